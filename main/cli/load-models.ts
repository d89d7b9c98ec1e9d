import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  createEngine,
  DEFAULT_ACOUSTIC,
  DEFAULT_LM,
  DEFAULT_PUNCT,
  DEFAULT_SPELL,
  type BackendName,
  type Engine,
  type EngineParams,
  type LoadedPackage,
} from '../../renderer/engine/node';
import { loadModels, type LoadedModels } from './model-loader';

export { DEFAULT_ACOUSTIC, DEFAULT_LM, DEFAULT_PUNCT, DEFAULT_SPELL };

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
  /** More engine parameters (e.g. beam: { beamWidth }). */
  params?: Partial<EngineParams>;
  /** true: today's lower-case words, no punctuation, capitals or spelled guesses (--raw). */
  raw?: boolean;
}

/**
 * Loads the acoustic model (and LM) and makes the engine. Errors name the package and the problem.
 * The packages are read, the backends timed ('auto') and the lexicon built in a worker thread
 * (model-loader.ts), so that their garbage never lands in this one; the engine is made from what it hands over.
 */
export async function loadEngine(opts: ModelOptions): Promise<{
  engine: Engine;
  acoustic: LoadedPackage;
  lm: LoadedPackage | null;
  loadMs: number;
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
  const lmPath =
    opts.lm === null ? null : (opts.lm ?? (existsSync(join(DEFAULT_LM, 'model.json')) ? DEFAULT_LM : null));
  const userLexicon = opts.lexiconFile ? await readFile(opts.lexiconFile, 'utf8') : undefined;
  const backend = opts.backend ?? 'auto';
  const models = await loadModels({
    model: resolve(modelPath),
    lm: lmPath !== null ? resolve(lmPath) : null,
    userLexicon,
    timeBackends: backend === 'auto',
  });
  const { acoustic, lm, timing } = models;
  const raw = opts.raw === true;
  const engine = await createEngine(
    { acoustic, lm, ...(raw ? { punctuation: null, spelling: null } : {}) },
    {
      ...opts.params,
      backend,
      lmWeights: opts.lmWeights ?? {},
      hotwords: opts.hotwords ?? [],
      userLexicon,
      decoder: opts.decoder ?? 'beam',
      readable: !raw,
    },
    {
      lexicon: models.lexicon ?? undefined,
      chooseBackend: timing !== null ? async () => timing : undefined, // only the winner is built here
    },
  );
  const loading = {
    loadedIn: models.loadedIn,
    ...(models.workerError !== undefined ? { workerError: models.workerError } : {}),
  };
  return { engine, acoustic, lm, loadMs: performance.now() - t0, loading, userLexicon };
}
