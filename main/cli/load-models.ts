import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModelPackage, type LoadedPackage } from '../../models/package/load-package';
import { nodeSource } from '../../models/package/node-source';
import type { BackendName } from '../../models/rnn/backend';
import type { Scorer } from '../../models/language/scorer';
import { createRecognizer, defaultRecognizerConfig, type Recognizer, type RecognizerConfig } from '../../renderer/engine/pipeline/recognizer';
import type { ReadableModels } from '../../renderer/engine/transcript/readable';
import { loadModels, type LoadedModels } from './model-loader';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The bundled models: what the app and the CLI use when no --model / --lm is given. */
export const DEFAULT_ACOUSTIC = join(REPO, 'models/default/acoustic');
export const DEFAULT_LM = join(REPO, 'models/default/lm');
/** Punctuation and capitals (kind 'punctuation') and spelled guesses for unknown sounds (kind 'spelling'). */
export const DEFAULT_PUNCT = join(REPO, 'models/default/punct');
export const DEFAULT_SPELL = join(REPO, 'models/default/spell');

export interface ModelOptions {
  model?: string;
  /** A path, or null for --no-lm; undefined = the bundled LM when present. */
  lm?: string | null;
  backend?: 'auto' | BackendName;
  hotwords?: string[];
  lexiconFile?: string;
  decoder?: 'beam' | 'greedy';
  /** Overrides the LM package's tuned shallow-fusion weights (either one alone: the other stays the package's). */
  lmWeights?: { alpha?: number; beta?: number };
  config?: Partial<RecognizerConfig>;
  /** true: today's lower-case words, no punctuation, capitals or spelled guesses (--raw). */
  raw?: boolean;
}

/** The bundled punctuation and spelling models, when present and wanted; built on the LM's backend choice. */
export async function loadReadable(backend: 'auto' | BackendName, raw: boolean): Promise<ReadableModels | null> {
  if (raw) return null;
  const { lmBackendFor } = await import('../../models/language/lm-scorer');
  const on = lmBackendFor(backend);
  const out: ReadableModels = {};
  if (existsSync(join(DEFAULT_PUNCT, 'model.json'))) {
    const { createPunctuator } = await import('../../models/language/punctuator');
    out.punctuator = await createPunctuator(await loadPackage(DEFAULT_PUNCT), { backend: on });
  }
  if (existsSync(join(DEFAULT_SPELL, 'model.json'))) {
    const { createSpeller } = await import('../../models/language/speller');
    out.speller = await createSpeller(await loadPackage(DEFAULT_SPELL), { backend: on });
  }
  return out.punctuator || out.speller ? out : null;
}

export async function loadPackage(path: string): Promise<LoadedPackage> {
  return loadModelPackage(await nodeSource(path));
}

/**
 * Loads the acoustic model (and LM), then builds the recognizer. Errors name the package and the problem.
 * The packages are read, the backends timed ('auto') and the lexicon built in a worker thread
 * (model-loader.ts), so that their garbage never lands in this one.
 */
export async function loadRecognizer(opts: ModelOptions): Promise<{
  recognizer: Recognizer; acoustic: LoadedPackage; lm: LoadedPackage | null; loadMs: number;
  /** The --lexicon file's text, when one was given. */
  userLexicon: string | undefined;
  /** Where the models were loaded: a worker thread, or here when it could not run (and why). */
  loading: Pick<LoadedModels, 'loadedIn' | 'workerError'>;
}> {
  const t0 = performance.now();
  const modelPath = opts.model ?? DEFAULT_ACOUSTIC;
  if (!opts.model && !existsSync(join(modelPath, 'model.json'))) {
    throw new Error(`the bundled model is missing (${modelPath}); pass --model PATH`);
  }
  const lmPath = opts.lm === null ? null : (opts.lm ?? (existsSync(join(DEFAULT_LM, 'model.json')) ? DEFAULT_LM : null));
  const userLexicon = opts.lexiconFile ? await readFile(opts.lexiconFile, 'utf8') : undefined;
  const backend = opts.backend ?? 'auto';
  const models = await loadModels({ model: resolve(modelPath), lm: lmPath !== null ? resolve(lmPath) : null, userLexicon, timeBackends: backend === 'auto' });
  const { acoustic, lm, timing } = models;
  let scorer: Scorer | null = null;
  if (lm) {
    const { createLmScorer, lmBackendFor } = await import('../../models/language/lm-scorer');
    scorer = await createLmScorer(lm, { backend: lmBackendFor(backend), ...opts.lmWeights });
  }
  const defaults = defaultRecognizerConfig();
  const config: RecognizerConfig = {
    ...defaults,
    ...opts.config,
    beam: { ...defaults.beam, ...opts.config?.beam },
    backend,
    useLm: lm !== null,
    hotwords: opts.hotwords ?? [],
    userLexicon,
    decoder: opts.decoder ?? 'beam',
  };
  const recognizer = await createRecognizer(acoustic, lm, config, {
    scorer,
    lexicon: models.lexicon ?? undefined,
    readable: await loadReadable(backend, opts.raw === true),
    chooseBackend: timing !== null ? async () => timing : undefined, // only the winner is built here
  });
  const loading = { loadedIn: models.loadedIn, ...(models.workerError !== undefined ? { workerError: models.workerError } : {}) };
  return { recognizer, acoustic, lm, loadMs: performance.now() - t0, loading, userLexicon };
}
