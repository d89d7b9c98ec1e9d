/**
 * The engine's entry for Node callers (the CLI, the recipe's tools, the benches): everything in
 * ../index.ts, plus packages from paths on disk (the bundled models by default), audio files, and
 * evaluation sets. Not for the worker or the browser (it imports node:fs).
 *
 *   const engine = await createEngine({ acoustic: 'models/default/acoustic' }, { backend: 'js' });
 *   const { segments } = await transcribeFile(engine, 'talk.wav');
 *   const result = await evaluateSet(engine, 'data/corpus/dev.tsv');
 *   engine.dispose();
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModelPackage, type LoadedPackage } from '../../../models/package/load-package';
import { nodeSource } from '../../../models/package/node-source';
import { createEngine as createEngineFrom, type Engine, type EngineOptions, type PackageInput } from '../engine';
import type { EngineParams } from '../params';

export * from '../index';
export { nodeSource } from './loading';
export { writeModelPackageToDisk } from '../../../models/package/node-write';
export { AudioFileError, decodeAudioBytes, openAudioFile, readAudioFile, STDIN } from './audio-file';
export type { AudioData, AudioStream } from './audio-file';
export { transcribeFile } from './transcribe-file';
export type { TranscribedFile, TranscribeFileOptions } from './transcribe-file';
export { evaluateSet, readEvalSet } from './evaluate';
export { lastValue, parseArgs, UsageError } from './args';
export type { ParsedArgs } from './args';
export type { EvalResult, EvalRow, EvaluateOptions } from './evaluate';

// the repository: three folders up from renderer/engine/node, two from the CLI's bundle (out/cli/cli.mjs)
const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = /[\\/]out[\\/]cli$/.test(HERE) ? resolve(HERE, '../..') : resolve(HERE, '../../..');
/** The bundled models: what the app and the CLI use when no other is named. */
export const DEFAULT_ACOUSTIC = join(REPO, 'models/default/acoustic');
export const DEFAULT_LM = join(REPO, 'models/default/lm');
/** Punctuation and capitals (kind 'punctuation') and spelled guesses for unknown sounds (kind 'spelling'). */
export const DEFAULT_PUNCT = join(REPO, 'models/default/punct');
export const DEFAULT_SPELL = join(REPO, 'models/default/spell');

/** A package: a folder, a .zip or a model.json on disk, or what ../engine.ts takes. */
export type NodePackageInput = PackageInput | string;

export interface NodeEngineModels {
  /** Default: the bundled acoustic model. */
  acoustic?: NodePackageInput;
  /** Default (undefined): the bundled LM when it is there; null: none. */
  lm?: NodePackageInput | null;
  /** Default: the bundled punctuation model when it is there (and params.readable is not false); null: none. */
  punctuation?: NodePackageInput | null;
  /** Default: the bundled speller when it is there (and params.readable is not false); null: none. */
  spelling?: NodePackageInput | null;
}

/** Reads and validates a package on disk (a folder, a .zip, or its model.json). */
export async function loadPackage(path: string): Promise<LoadedPackage> {
  return loadModelPackage(await nodeSource(path));
}

function bundled(dir: string): string | null {
  return existsSync(join(dir, 'model.json')) ? dir : null;
}

/**
 * createEngine (../engine.ts) for Node: packages may be paths, and what is not named is the bundled
 * model when it is there.
 */
export async function createEngine(
  models: NodeEngineModels = {},
  params: Partial<EngineParams> = {},
  options: EngineOptions = {},
): Promise<Engine> {
  if (models.acoustic === undefined && bundled(DEFAULT_ACOUSTIC) === null) {
    throw new Error(`the bundled model is missing (${DEFAULT_ACOUSTIC}); pass --model PATH`);
  }
  const open = async (
    input: NodePackageInput | null | undefined,
    fallback: string | null,
  ): Promise<PackageInput | null> => {
    const chosen = input === undefined ? fallback : input;
    if (chosen === null) return null;
    return typeof chosen === 'string' ? loadPackage(resolve(chosen)) : chosen;
  };
  const readable = params.readable !== false;
  return createEngineFrom(
    {
      acoustic: (await open(models.acoustic, DEFAULT_ACOUSTIC))!,
      lm: await open(models.lm, bundled(DEFAULT_LM)),
      punctuation: readable ? await open(models.punctuation, bundled(DEFAULT_PUNCT)) : null,
      spelling: readable ? await open(models.spelling, bundled(DEFAULT_SPELL)) : null,
    },
    params,
    options,
  );
}
