/**
 * Writing a model package: model.json + safetensors weights + text files, as path → bytes.
 * Pure (no Node): tools and test fixtures write the map with node-write.ts, or zip it here.
 *
 *   const files = writeModelPackage(json, tensors, { 'lexicon.txt': lexiconText }, { dtype: 'F16' });
 */

import { zipSync } from 'fflate';
import type { TensorMap } from '../rnn/tensor';
import { parseModelPackage } from './load-package';
import type { ModelJson } from './model-spec';
import { ModelPackageError } from './package-error';
import { fileEntries, MODEL_JSON, normalizePackagePath } from './package-source';
import { type FloatDtype, writeSafetensors } from './safetensors';

export interface WritePackageOptions {
  /** Weights dtype: F32 is exact; F16 halves the size (relative error <= 2^-11). */
  dtype: FloatDtype;
  /**
   * Matrices with at least this many values are written as int8 rows with a scale each (a quarter of F32's
   * bytes; error <= scale/2 per value; safetensors.ts). Default: none.
   */
  int8From?: number;
  /**
   * Load the result back (as the app would) and throw its ModelPackageError if it is not a valid package.
   * Default true; tests that build broken packages on purpose turn it off.
   */
  verify?: boolean;
  /** Extra `__metadata__` strings in the safetensors header. */
  metadata?: Record<string, string>;
}

/**
 * Serializes a package. `extraFiles` holds the files model.json names besides the weights
 * (lexicon, word counts, vocabulary), as text or bytes, by package-relative path.
 * Returns package path → bytes, model.json first.
 */
export function writeModelPackage(
  json: ModelJson,
  tensors: TensorMap,
  extraFiles: ReadonlyMap<string, string | Uint8Array> | Record<string, string | Uint8Array>,
  options: WritePackageOptions,
): Map<string, Uint8Array> {
  const encoder = new TextEncoder();
  const files = new Map<string, Uint8Array>();
  files.set(MODEL_JSON, encoder.encode(`${JSON.stringify(json, null, 2)}\n`));

  const weightsPath = normalizePackagePath(json.weights) ?? json.weights;
  const metadata = { format: 'earshot-model', version: String(json.version), ...options.metadata };
  files.set(
    weightsPath,
    writeSafetensors(tensors, { dtype: options.dtype, int8From: options.int8From, metadata, file: weightsPath }),
  );

  const extras = fileEntries(extraFiles);
  for (const [rawPath, content] of extras) {
    const path = normalizePackagePath(rawPath);
    if (path === null || path === MODEL_JSON || path === weightsPath) {
      throw new ModelPackageError({
        file: rawPath,
        problem: 'cannot be an extra file (outside the package, or model.json / the weights)',
      });
    }
    files.set(path, typeof content === 'string' ? encoder.encode(content) : content);
  }

  if (options.verify ?? true) parseModelPackage(files, json.name ?? 'written package');
  return files;
}

export interface ZipPackageOptions {
  /** Put every file under this folder inside the zip ('en-phonemes/model.json'); default: files at the root. */
  topFolder?: string;
  /** Deflate level 0-9 (default 6); weights compress little, so 0 is a fine choice for speed. */
  level?: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
}

/** A package's files as zip bytes (the form users download and drop into the app). */
export function zipModelPackage(files: ReadonlyMap<string, Uint8Array>, options: ZipPackageOptions = {}): Uint8Array {
  const top = options.topFolder !== undefined ? normalizePackagePath(options.topFolder) : null;
  const prefix = top !== null ? `${top}/` : '';
  const entries: Record<string, Uint8Array> = {};
  for (const [path, bytes] of files) entries[`${prefix}${path}`] = bytes;
  return zipSync(entries, { level: options.level ?? 6 });
}
