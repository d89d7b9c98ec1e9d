/**
 * Model packages edited for the package-loading tests (load-package, readable-kinds): model.json changed by a
 * function, and the ModelPackageError a package is refused with.
 */
import { expect } from 'vitest';
import { loadModelPackage } from '../../models/package/load-package';
import { ModelPackageError } from '../../models/package/package-error';
import { memorySource } from '../../models/package/package-source';

/** A package's files, path → bytes. */
export type PackageFiles = Map<string, Uint8Array>;
/** model.json as the tests edit it: freely, into invalid shapes too. */
export type JsonObject = Record<string, any>;

/** The error loading `files` fails with; the test fails when the package loads. */
export async function loadError(files: PackageFiles, source = 'test-package'): Promise<ModelPackageError> {
  try {
    await loadModelPackage(memorySource(source, files));
  } catch (error) {
    expect(error).toBeInstanceOf(ModelPackageError);
    return error as ModelPackageError;
  }
  throw new Error('expected the package to be refused');
}

/** A package's files with model.json edited by `edit` (written back with two-space indents). */
export function withJson(files: PackageFiles, edit: (json: JsonObject) => void): PackageFiles {
  const json = JSON.parse(new TextDecoder().decode(files.get('model.json'))) as JsonObject;
  edit(json);
  return new Map(files).set('model.json', new TextEncoder().encode(JSON.stringify(json, null, 2)));
}
