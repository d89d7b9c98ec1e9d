import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModelPackage, type LoadedPackage } from '../../models/package/load-package';
import { nodeSource } from '../../models/package/node-source';
import type { BackendName } from '../../models/rnn/backend';
import type { Scorer } from '../../renderer/engine/decoding/scorer';
import { createRecognizer, defaultRecognizerConfig, type Recognizer, type RecognizerConfig } from '../../renderer/engine/pipeline/recognizer';
import { chooseBackendInWorker, type TimedChoice } from './backend-timing';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The bundled models: what the app and the CLI use when no --model / --lm is given. */
export const DEFAULT_ACOUSTIC = join(REPO, 'models/default/acoustic');
export const DEFAULT_LM = join(REPO, 'models/default/lm');

export interface ModelOptions {
  model?: string;
  /** A path, or null for --no-lm; undefined = the bundled LM when present. */
  lm?: string | null;
  backend?: 'auto' | BackendName;
  hotwords?: string[];
  lexiconFile?: string;
  decoder?: 'beam' | 'greedy';
  /** Overrides the LM package's tuned shallow-fusion weights. */
  lmWeights?: { alpha: number; beta: number };
  config?: Partial<RecognizerConfig>;
}

export async function loadPackage(path: string): Promise<LoadedPackage> {
  return loadModelPackage(await nodeSource(path));
}

/** Loads the acoustic model (and LM), then builds the recognizer. Errors name the package and the problem. */
export async function loadRecognizer(opts: ModelOptions): Promise<{
  recognizer: Recognizer; acoustic: LoadedPackage; lm: LoadedPackage | null; loadMs: number;
  /** With backend 'auto': where the backends were timed (a worker thread, or here if it failed). */
  autoTiming: Pick<TimedChoice, 'timedIn' | 'workerError'> | null;
}> {
  const t0 = performance.now();
  const modelPath = opts.model ?? DEFAULT_ACOUSTIC;
  if (!opts.model && !existsSync(join(modelPath, 'model.json'))) {
    throw new Error(`the bundled model is missing (${modelPath}); pass --model PATH`);
  }
  const acoustic = await loadPackage(resolve(modelPath));
  // 'auto' times the backends in a worker thread (backend-timing.ts), so that only the winner is ever
  // built in this one; first, while little else is in memory, so the worker's heap is not added to
  // the LM's and the lexicon's
  const timed = (opts.backend ?? 'auto') === 'auto' ? await chooseBackendInWorker(acoustic.json.layers, acoustic.tensors) : null;
  let lm: LoadedPackage | null = null;
  if (opts.lm !== null) {
    const lmPath = opts.lm ?? (existsSync(join(DEFAULT_LM, 'model.json')) ? DEFAULT_LM : undefined);
    if (lmPath) lm = await loadPackage(resolve(lmPath));
  }
  let scorer: Scorer | null = null;
  if (lm) {
    const { createLmScorer, lmBackendFor } = await import('../../models/language/lm-scorer');
    scorer = await createLmScorer(lm, { backend: lmBackendFor(opts.backend ?? 'auto'), ...opts.lmWeights });
  }
  const userLexicon = opts.lexiconFile ? await readFile(opts.lexiconFile, 'utf8') : undefined;
  const defaults = defaultRecognizerConfig();
  const config: RecognizerConfig = {
    ...defaults,
    ...opts.config,
    beam: { ...defaults.beam, ...opts.config?.beam },
    backend: opts.backend ?? 'auto',
    useLm: lm !== null,
    hotwords: opts.hotwords ?? [],
    userLexicon,
    decoder: opts.decoder ?? 'beam',
  };
  const recognizer = await createRecognizer(acoustic, lm, config, { scorer, chooseBackend: timed ? async () => timed : undefined });
  const autoTiming = timed ? { timedIn: timed.timedIn, ...(timed.workerError !== undefined ? { workerError: timed.workerError } : {}) } : null;
  return { recognizer, acoustic, lm, loadMs: performance.now() - t0, autoTiming };
}
