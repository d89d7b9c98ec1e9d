/**
 * Loading a model package: read model.json, the files it names and the weights, and check every part
 * against every other before the engine sees any of it.
 *
 *   const pkg = await loadModelPackage(await nodeSource('models/default/en-phonemes'));   // Node
 *   const pkg = await loadModelPackage(zipSource(file.name, bytes));                      // worker / browser
 *
 * Fails with a ModelPackageError that names the package, the file, and (for weights) the tensor with its
 * expected and found shapes.
 */

import type { TensorMap } from '../rnn/tensor';
import { type ModelJson } from './model-spec';
import { findJsonErrorPosition } from './json-error-position';
import { ModelPackageError, formatShape } from './package-error';
import { MODEL_JSON, type PackageSource, normalizePackagePath } from './package-source';
import { type SafetensorsTensor, readSafetensors } from './safetensors';
import { expectedTensorShapes } from './tensor-shapes';
import { validateModelJson } from './validate-model-json';

export interface LoadedPackage {
  json: ModelJson;
  /** Float32 whatever the file's dtype; names and shapes as in model-spec.ts. */
  tensors: TensorMap;
  files: {
    /** Phoneme models: the pronunciation lexicon's text (`WORD PH1 PH2 ...` per line). */
    lexicon?: string;
    /** `word<TAB>count` lines, when the package has them. */
    wordCounts?: string;
    /** Language models: the words in output-row order; punctuation models: the input words in embedding-row order. */
    vocabulary?: string[];
    /** Punctuation models: `lower<TAB>Mixed` lines, when the package has them. */
    mixedCase?: string;
    /** Language models: `word<TAB>count` lines of words outside the vocabulary (output.unknownWords), when present. */
    unknownWordCounts?: string;
  };
  /** Total weights (sum of tensor sizes). */
  parameterCount: number;
  /** The source's name: folder, zip path or label. */
  source: string;
}

/** Reads and validates a whole package. */
export async function loadModelPackage(source: PackageSource): Promise<LoadedPackage> {
  try {
    const available = new Set(await source.list());
    const read = async (path: string): Promise<Uint8Array | undefined> =>
      available.has(path) ? source.read(path) : undefined;

    const files = new Map<string, Uint8Array>();
    const modelJsonBytes = await read(MODEL_JSON);
    if (modelJsonBytes === undefined) throw missingModelJson(available);
    files.set(MODEL_JSON, modelJsonBytes);
    const json = parseModelJson(modelJsonBytes);
    for (const path of referencedFiles(json)) {
      const bytes = await read(path);
      if (bytes !== undefined) files.set(path, bytes);
    }
    return parseModelPackage(files, source.name, available);
  } catch (error) {
    if (error instanceof ModelPackageError && error.source === undefined) throw error.inSource(source.name);
    throw error;
  }
}

/**
 * The synchronous core: validates a package whose files are already in memory.
 * `listing` (all file names, for messages) defaults to the keys of `files`.
 */
export function parseModelPackage(
  files: ReadonlyMap<string, Uint8Array>,
  source = 'memory',
  listing?: Iterable<string>,
): LoadedPackage {
  const byPath = new Map<string, Uint8Array>();
  for (const [path, bytes] of files) byPath.set(normalizePackagePath(path) ?? path, bytes);
  const available = new Set(listing ?? byPath.keys());

  const modelJsonBytes = byPath.get(MODEL_JSON);
  if (modelJsonBytes === undefined) throw missingModelJson(available).inSource(source);
  const need = (path: string, field: string): Uint8Array => {
    const bytes = byPath.get(path);
    if (bytes === undefined) {
      throw new ModelPackageError({
        file: path,
        problem: `missing from the package (model.json ${field} names it)`,
        expected: `a file "${path}"`,
        found: listFiles(available),
        source,
      });
    }
    return bytes;
  };

  try {
    const json = parseModelJson(modelJsonBytes);
    const loaded: LoadedPackage = { json, tensors: new Map(), files: {}, parameterCount: 0, source };

    // Output rows K: alphabet size (CTC) or vocabulary size (LM).
    let outputRows: number;
    let inputRows: number | undefined;
    if (json.output.type === 'ctc') {
      outputRows = json.output.alphabet.length;
      if (json.output.lexicon !== undefined)
        loaded.files.lexicon = checkLexicon(need(json.output.lexicon, 'output.lexicon'), json.output.lexicon);
      if (json.output.wordCounts !== undefined)
        loaded.files.wordCounts = checkWordCounts(
          need(json.output.wordCounts, 'output.wordCounts'),
          json.output.wordCounts,
        );
    } else if (json.output.type === 'tagger') {
      const o = json.output;
      loaded.files.vocabulary = parseVocabulary(need(o.vocabulary, 'output.vocabulary'), o.vocabulary, o.unk, o.pad, [
        'output.unk',
        'output.pad',
      ]);
      if (o.mixedCase !== undefined)
        loaded.files.mixedCase = checkMixedCase(need(o.mixedCase, 'output.mixedCase'), o.mixedCase);
      inputRows = loaded.files.vocabulary.length;
      outputRows = o.cases.length * o.marks.length;
    } else if (json.output.type === 'seq2seq') {
      outputRows = json.output.target.length;
    } else {
      const vocabulary = parseVocabulary(
        need(json.output.vocabulary, 'output.vocabulary'),
        json.output.vocabulary,
        json.output.unk,
        json.output.eos,
      );
      loaded.files.vocabulary = vocabulary;
      outputRows = vocabulary.length;
      const uw = json.output.unknownWords;
      if (uw !== undefined)
        loaded.files.unknownWordCounts = checkWordCounts(need(uw.counts, 'output.unknownWords.counts'), uw.counts);
    }

    const weights = readSafetensors(need(json.weights, 'weights'), json.weights).tensors;
    if (json.output.type === 'lm') {
      // Say "the vocabulary is the wrong size" rather than "output.W_ya has the wrong shape" when that is the story.
      const found = weights.get('output.W_ya');
      if (found !== undefined && found.shape.length === 2 && found.shape[0] !== outputRows) {
        throw new ModelPackageError({
          file: json.output.vocabulary,
          problem: 'vocabulary size does not match the rows of output.W_ya in the weights',
          expected: `${found.shape[0]} words`,
          found: `${outputRows} words`,
        });
      }
    }
    loaded.tensors = checkTensors(json, weights, outputRows, json.weights, inputRows);
    for (const tensor of loaded.tensors.values()) loaded.parameterCount += tensor.data.length;
    return loaded;
  } catch (error) {
    if (error instanceof ModelPackageError && error.source === undefined) throw error.inSource(source);
    throw error;
  }
}

function referencedFiles(json: ModelJson): string[] {
  const paths = [json.weights];
  if (json.output.type === 'ctc') {
    if (json.output.lexicon !== undefined) paths.push(json.output.lexicon);
    if (json.output.wordCounts !== undefined) paths.push(json.output.wordCounts);
  } else if (json.output.type === 'tagger') {
    paths.push(json.output.vocabulary);
    if (json.output.mixedCase !== undefined) paths.push(json.output.mixedCase);
  } else if (json.output.type === 'lm') {
    paths.push(json.output.vocabulary);
    if (json.output.unknownWords !== undefined) paths.push(json.output.unknownWords.counts);
  }
  return paths;
}

function listFiles(available: Iterable<string>): string {
  const names = [...available].sort();
  if (names.length === 0) return 'an empty package';
  const shown = names.slice(0, 12).join(', ');
  return `files: ${shown}${names.length > 12 ? `, ... (${names.length} in all)` : ''}`;
}

function missingModelJson(available: Iterable<string>): ModelPackageError {
  return new ModelPackageError({
    file: MODEL_JSON,
    problem: 'missing: a model package has model.json at its root (or inside one top folder)',
    expected: 'model.json',
    found: listFiles(available),
  });
}

function decodeText(bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw new ModelPackageError({ file, problem: 'not valid UTF-8 text' });
  }
}

/** model.json bytes → validated ModelJson; bad JSON is reported with its line and column. */
export function parseModelJson(bytes: Uint8Array, file = MODEL_JSON): ModelJson {
  const text = decodeText(bytes, file);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const at = findJsonErrorPosition(text);
    const where = at !== null ? ` at line ${at.line}, column ${at.column} (offset ${at.offset})` : '';
    throw new ModelPackageError({ file, problem: `invalid JSON${where}: ${(error as Error).message}` });
  }
  return validateModelJson(value, file);
}

/** Lines of a text file without the line ending; a final newline does not make an extra empty line. */
function lines(text: string): string[] {
  const all = text.split(/\r?\n/);
  if (all.length > 0 && all[all.length - 1] === '') all.pop();
  return all;
}

/**
 * `WORD PH1 PH2 ...` per line; ';;;' comment lines (CMUdict style) and blank lines are skipped.
 * Scans the text in place (no per-line strings or arrays: CMUdict has 135k lines).
 */
function checkLexicon(bytes: Uint8Array, file: string): string {
  const text = decodeText(bytes, file);
  // what trim() and /\s/ call whitespace, without making a string per character
  const isSpace = (i: number): boolean => {
    const c = text.charCodeAt(i);
    return c <= 32 ? c === 32 || (c >= 9 && c <= 13) : c >= 128 && /\s/.test(text[i]);
  };
  let entries = 0;
  let lineNo = 0;
  for (let pos = 0; pos < text.length;) {
    let eol = text.indexOf('\n', pos);
    if (eol < 0) eol = text.length;
    lineNo++;
    let i = pos;
    while (i < eol && isSpace(i)) i++;
    const blank = i === eol;
    const comment = !blank && text.startsWith(';;;', i);
    if (!blank && !comment) {
      while (i < eol && !isSpace(i)) i++; // the word
      while (i < eol && isSpace(i)) i++; // the gap
      if (i === eol) {
        const line = text.slice(pos, eol).replace(/\r$/, '');
        throw new ModelPackageError({
          file,
          field: `line ${lineNo}`,
          problem: 'a lexicon line is a word followed by its phonemes',
          expected: 'WORD PH1 PH2 ...',
          found: JSON.stringify(line),
        });
      }
      entries++;
    }
    pos = eol + 1;
  }
  if (entries === 0)
    throw new ModelPackageError({
      file,
      problem: 'the lexicon has no entries',
      expected: 'at least one word',
      found: 'none',
    });
  return text;
}

/** `word<TAB>count` per line, count a non-negative number. */
function checkWordCounts(bytes: Uint8Array, file: string): string {
  const text = decodeText(bytes, file);
  lines(text).forEach((line, i) => {
    if (line.trim() === '') return;
    const [word, count, ...rest] = line.split('\t');
    const n = Number(count);
    if (word === '' || count === undefined || rest.length > 0 || !Number.isFinite(n) || n < 0) {
      throw new ModelPackageError({
        file,
        field: `line ${i + 1}`,
        problem: 'a word-counts line is a word, a tab and a count',
        expected: 'word<TAB>count',
        found: JSON.stringify(line),
      });
    }
  });
  return text;
}

/** `lower<TAB>Mixed` per line: the mixed form spells the same word (same letters ignoring case). */
function checkMixedCase(bytes: Uint8Array, file: string): string {
  const text = decodeText(bytes, file);
  lines(text).forEach((line, i) => {
    if (line.trim() === '') return;
    const [word, form, ...rest] = line.split('\t');
    if (word === '' || form === undefined || rest.length > 0 || form.toLowerCase() !== word) {
      throw new ModelPackageError({
        file,
        field: `line ${i + 1}`,
        problem: 'a mixed-case line is a lower-case word, a tab and the same word in its mixed case',
        expected: 'mcdonald<TAB>McDonald',
        found: JSON.stringify(line),
      });
    }
  });
  return text;
}

/** One word per line, in output-row order; unique, non-empty, containing `unk` and `eos` (or the tagger's `pad`). */
function parseVocabulary(
  bytes: Uint8Array,
  file: string,
  unk: string,
  eos: string,
  roles: readonly [string, string] = ['output.unk', 'output.eos'],
): string[] {
  const words = lines(decodeText(bytes, file));
  const seen = new Map<string, number>();
  words.forEach((word, i) => {
    if (word.trim() === '' || word !== word.trim()) {
      throw new ModelPackageError({
        file,
        field: `line ${i + 1}`,
        problem: 'a vocabulary line is one word without surrounding spaces',
        expected: 'a word',
        found: JSON.stringify(word),
      });
    }
    const first = seen.get(word);
    if (first !== undefined) {
      throw new ModelPackageError({
        file,
        field: `line ${i + 1}`,
        problem: `duplicate word (also on line ${first + 1})`,
        expected: 'unique words',
        found: JSON.stringify(word),
      });
    }
    seen.set(word, i);
  });
  for (const [role, token] of [
    [roles[0], unk],
    [roles[1], eos],
  ] as const) {
    if (!seen.has(token)) {
      throw new ModelPackageError({
        file,
        problem: `the vocabulary lacks the ${token} token (model.json ${role})`,
        expected: `a line "${token}"`,
        found: `${words.length} words without it`,
      });
    }
  }
  return words;
}

/** Exactly the promised tensors, each with its promised shape and only finite values. */
function checkTensors(
  json: ModelJson,
  weights: Map<string, SafetensorsTensor>,
  outputRows: number,
  file: string,
  inputRows?: number,
): TensorMap {
  const expected = expectedTensorShapes(json, outputRows, inputRows);
  const tensors: TensorMap = new Map();
  for (const [name, { shape, why }] of expected) {
    const found = weights.get(name);
    if (found === undefined) {
      throw new ModelPackageError({
        file,
        tensor: name,
        problem: `missing tensor (${why})`,
        expected: formatShape(shape),
        found: 'no such tensor',
      });
    }
    if (found.shape.length !== shape.length || found.shape.some((d, i) => d !== shape[i])) {
      throw new ModelPackageError({
        file,
        tensor: name,
        problem: `wrong shape (${why})`,
        expected: formatShape(shape),
        found: formatShape(found.shape),
      });
    }
    const bad = found.data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      throw new ModelPackageError({
        file,
        tensor: name,
        problem: `non-finite weight ${found.data[bad]} at index ${formatShape(unflatten(bad, shape))}`,
        expected: `finite values in ${formatShape(shape)}`,
        found: String(found.data[bad]),
      });
    }
    tensors.set(
      name,
      found.int8
        ? { shape: found.shape, data: found.data, int8: found.int8 }
        : { shape: found.shape, data: found.data },
    );
  }
  for (const [name, found] of weights) {
    if (!expected.has(name)) {
      throw new ModelPackageError({
        file,
        tensor: name,
        problem:
          'unexpected tensor: model.json describes no such weight (stale export, or layers missing from model.json?)',
        expected: 'no such tensor',
        found: formatShape(found.shape),
      });
    }
  }
  return tensors;
}

/** Flat row-major index → index per dimension. */
function unflatten(index: number, shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    out[d] = index % shape[d];
    index = Math.floor(index / shape[d]);
  }
  return out;
}

export interface PackageDescription {
  name: string;
  kind: ModelJson['kind'];
  description?: string;
  /** Acoustic models: what the CTC outputs are. */
  units?: 'phonemes' | 'characters';
  /** Acoustic models: output symbols including the blank. */
  alphabetSize?: number;
  /** Language and punctuation models: words including <unk> and <eos> (or <pad>). */
  vocabularySize?: number;
  parameterCount: number;
  /** 'GRU 2×128' style summary of the layers. */
  architecture: string;
  provenance: Record<string, unknown>;
  source: string;
}

/** What the model manager shows for a loaded package. */
export function describePackage(pkg: LoadedPackage): PackageDescription {
  const { json } = pkg;
  const description: PackageDescription = {
    name: json.name,
    kind: json.kind,
    parameterCount: pkg.parameterCount,
    architecture: describeLayers(json),
    provenance: json.provenance ?? {},
    source: pkg.source,
  };
  if (json.description !== undefined) description.description = json.description;
  if (json.output.type === 'ctc') {
    description.units = json.output.units;
    description.alphabetSize = json.output.alphabet.length;
  } else if (json.output.type === 'seq2seq') {
    description.alphabetSize = json.output.target.length;
  } else {
    description.vocabularySize = pkg.files.vocabulary?.length ?? 0;
  }
  return description;
}

/** Runs of equal layers: 'GRU 2×128', 'vanilla 64 + GRU 128'. */
function describeLayers(json: ModelJson): string {
  const runs: { cell: string; hidden: number; count: number }[] = [];
  for (const layer of json.layers) {
    const cell = layer.cell === 'vanilla' ? 'vanilla' : layer.cell.toUpperCase();
    const last = runs[runs.length - 1];
    if (last !== undefined && last.cell === cell && last.hidden === layer.hiddenSize) last.count++;
    else runs.push({ cell, hidden: layer.hiddenSize, count: 1 });
  }
  return runs.map((r) => (r.count > 1 ? `${r.cell} ${r.count}×${r.hidden}` : `${r.cell} ${r.hidden}`)).join(' + ');
}
