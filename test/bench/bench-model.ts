/**
 * The acoustic model the benchmarks run: the bundled `models/default/acoustic` when it exists,
 * otherwise a random stand-in of the same shape, so the figures measure the real amount of work:
 *
 *   the recipe's layers (models/recipe/config/acoustic-cpu.json: cell, layers, hidden; 3 × GRU-256
 *   if it cannot be read), input 40 log-mel × 3 frames = 120, output 40 (CTC blank + 39 ARPAbet),
 *   lexicon = Debian's CMUdict (pocketsphinx-en-us, ~135k entries), word counts from the corpus
 *   when data/corpus/word-counts.tsv exists.
 *
 * The stand-in's transcripts are noise (random weights); its speed and memory are what count.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModelPackage, parseModelPackage, type LoadedPackage } from '../../models/package/load-package';
import { MODEL_FORMAT, MODEL_FORMAT_VERSION, type ModelJson } from '../../models/package/model-spec';
import { nodeSource } from '../../models/package/node-source';
import { expectedTensorShapes } from '../../models/package/tensor-shapes';
import { writeModelPackage } from '../../models/package/write-package';
import type { TensorMap } from '../../models/rnn/tensor';
import { PHONEME_ALPHABET } from '../../models/recipe/phonemes';
import { seededRandom, testFeatureSpec } from '../fixtures/make-test-models';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const BUNDLED_ACOUSTIC = join(REPO, 'models/default/acoustic');
export const BUNDLED_LM = join(REPO, 'models/default/lm');
export const CMUDICT = '/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict';
const CORPUS_WORD_COUNTS = join(REPO, 'data/corpus/word-counts.tsv');

export interface BenchModel {
  pkg: LoadedPackage;
  /** 'bundled' (models/default/acoustic) or 'random' (the stand-in). */
  kind: 'bundled' | 'random';
  /** Folder holding the package on disk (the stand-in is written to a temp folder for the CLI). */
  path: string | null;
  /** One line for the report: which model, its shape. */
  description: string;
}

const RECIPE_CONFIG = join(REPO, 'models/recipe/config/acoustic-cpu.json');

/** The acoustic recipe's layer shape, so the stand-in does the work the bundled model will do. */
function recipeShape(): { cell: 'gru' | 'lstm' | 'vanilla'; layers: number; hidden: number } {
  try {
    const c = JSON.parse(readFileSync(RECIPE_CONFIG, 'utf8')) as { cell?: string; layers?: number; hidden?: number };
    const cell = c.cell === 'lstm' || c.cell === 'vanilla' ? c.cell : 'gru';
    if (Number.isInteger(c.layers) && Number.isInteger(c.hidden)) return { cell, layers: c.layers!, hidden: c.hidden! };
  } catch {
    // no recipe config: the default shape
  }
  return { cell: 'gru', layers: 3, hidden: 256 };
}

/** The stand-in's package files (model.json, weights, lexicon, word counts). */
export function randomAcousticPackageFiles(seed = 5): Map<string, Uint8Array> {
  if (!existsSync(CMUDICT)) throw new Error(`${CMUDICT} is missing: apt-get install pocketsphinx-en-us`);
  const features = testFeatureSpec();
  const { cell, layers, hidden } = recipeShape();
  const json: ModelJson = {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    kind: 'acoustic',
    name: `bench-random-${cell}${layers}x${hidden}`,
    description: "Benchmark stand-in: random weights in the bundled model's shape",
    features,
    stacking: { frames: 3, stride: 3 },
    layers: Array.from({ length: layers }, (_v, l) => ({
      cell,
      inputSize: l === 0 ? features.nMels * 3 : hidden,
      hiddenSize: hidden,
    })),
    output: { type: 'ctc', units: 'phonemes', alphabet: [...PHONEME_ALPHABET], blank: 0, lexicon: 'lexicon.txt' },
    weights: 'model.safetensors',
    provenance: { note: 'random weights (test/bench/bench-model.ts); not a model to ship', seed },
  };
  const extra: Record<string, string> = { 'lexicon.txt': readFileSync(CMUDICT, 'utf8') };
  if (existsSync(CORPUS_WORD_COUNTS)) {
    json.output = { ...json.output, wordCounts: 'word-counts.tsv' } as ModelJson['output'];
    extra['word-counts.tsv'] = readFileSync(CORPUS_WORD_COUNTS, 'utf8');
  }
  return writeModelPackage(json, randomTensors(json, PHONEME_ALPHABET.length, seed), extra, {
    dtype: 'F32',
    verify: false,
  });
}

/** Loads the bundled model, or builds the stand-in (and writes it under `tempDir` when given, for the CLI). */
export async function loadBenchModel(options: { tempDir?: string; forceRandom?: boolean } = {}): Promise<BenchModel> {
  if (!options.forceRandom && existsSync(join(BUNDLED_ACOUSTIC, 'model.json'))) {
    const pkg = await loadModelPackage(await nodeSource(BUNDLED_ACOUSTIC));
    return { pkg, kind: 'bundled', path: BUNDLED_ACOUSTIC, description: `bundled ${pkg.json.name} (${describe(pkg)})` };
  }
  const files = randomAcousticPackageFiles();
  const pkg = parseModelPackage(files, 'bench-random');
  let path: string | null = null;
  if (options.tempDir) {
    const { writeModelPackageToDisk } = await import('../../models/package/node-write');
    path = join(options.tempDir, 'bench-random-acoustic');
    await writeModelPackageToDisk(files, path);
  }
  return {
    pkg,
    kind: 'random',
    path,
    description: `RANDOM stand-in (models/default/acoustic is missing): ${describe(pkg)}`,
  };
}

const LM_VOCABULARY = join(REPO, 'data/lm/vocab.txt');

/**
 * The language model the benchmarks run: `path` (a package), the bundled models/default/lm, or a
 * random stand-in in the recipe's default LM shape (embedding 128 → GRU-256 → the LM vocabulary of
 * data/lm/vocab.txt, ~10k words; or the 10,000 most frequent CMUdict spellings when that file is
 * missing). Null when none can be made.
 */
export async function loadBenchLm(path?: string, tempDir?: string): Promise<BenchModel | null> {
  const chosen = path ?? (existsSync(join(BUNDLED_LM, 'model.json')) ? BUNDLED_LM : undefined);
  if (chosen) {
    const pkg = await loadModelPackage(await nodeSource(chosen));
    return {
      pkg,
      kind: 'bundled',
      path: chosen,
      description: `${chosen === BUNDLED_LM ? 'bundled ' : ''}${pkg.json.name} (${describe(pkg)})`,
    };
  }
  let words: string[];
  if (existsSync(LM_VOCABULARY)) {
    words = readFileSync(LM_VOCABULARY, 'utf8')
      .split('\n')
      .map((w) => w.trim())
      .filter(Boolean);
  } else if (existsSync(CMUDICT)) {
    const seen = new Set<string>();
    for (const line of readFileSync(CMUDICT, 'utf8').split('\n')) {
      const w = line.split(' ')[0]?.replace(/\(\d+\)$/, '');
      if (w && /^[a-z']+$/.test(w)) seen.add(w);
      if (seen.size >= 10_000) break;
    }
    words = ['<unk>', '<eos>', ...seen];
  } else {
    return null;
  }
  for (const special of ['<unk>', '<eos>']) if (!words.includes(special)) words.unshift(special);
  const embedding = 128;
  const hidden = 256;
  const json: ModelJson = {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    kind: 'language',
    name: 'bench-random-lm-gru256',
    description: "Benchmark stand-in: random weights in the recipe's default LM shape",
    layers: [{ cell: 'gru', inputSize: embedding, hiddenSize: hidden }],
    output: {
      type: 'lm',
      vocabulary: 'vocabulary.txt',
      unk: '<unk>',
      eos: '<eos>',
      embeddingSize: embedding,
      alpha: 0.5,
      beta: 1,
    },
    weights: 'model.safetensors',
    provenance: { note: 'random weights (test/bench/bench-model.ts); not a model to ship' },
  };
  const files = writeModelPackage(
    json,
    randomTensors(json, words.length, 6),
    { 'vocabulary.txt': words.join('\n') + '\n' },
    { dtype: 'F32', verify: false },
  );
  const pkg = parseModelPackage(files, 'bench-random-lm');
  let written: string | null = null;
  if (tempDir) {
    const { writeModelPackageToDisk } = await import('../../models/package/node-write');
    written = join(tempDir, 'bench-random-lm');
    await writeModelPackageToDisk(files, written);
  }
  return {
    pkg,
    kind: 'random',
    path: written,
    description: `RANDOM stand-in (models/default/lm is missing): ${describe(pkg)}`,
  };
}

/** Uniform ±1/√fanIn weights for every tensor model.json promises (PyTorch's RNN init). */
function randomTensors(json: ModelJson, outputRows: number, seed: number): TensorMap {
  const random = seededRandom(seed);
  const tensors: TensorMap = new Map();
  for (const [name, { shape }] of expectedTensorShapes(json, outputRows)) {
    const bound = 1 / Math.sqrt(shape[shape.length - 1]);
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++) data[i] = (2 * random() - 1) * bound;
    tensors.set(name, { shape, data });
  }
  return tensors;
}

function describe(pkg: LoadedPackage): string {
  const j = pkg.json;
  const layers = j.layers.map((l) => `${l.cell.toUpperCase()}-${l.hiddenSize}`).join(' → ');
  const out =
    j.output.type === 'ctc'
      ? `${j.output.alphabet.length} ${j.output.units}`
      : `${pkg.files.vocabulary?.length ?? 0} words`;
  const lexicon = pkg.files.lexicon ? `, lexicon ${pkg.files.lexicon.split('\n').filter(Boolean).length} lines` : '';
  return `${layers}, input ${j.layers[0].inputSize}, output ${out}, ${pkg.parameterCount.toLocaleString('en')} parameters${lexicon}`;
}
