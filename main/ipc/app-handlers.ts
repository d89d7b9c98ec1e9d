/**
 * The handlers behind each invoke channel. Electron's dialogs are injected (main/index.ts passes
 * thin wrappers around `dialog`), so this module and its argument validation run under Node tests.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { InvokeChannel } from '../../renderer/shared/ipc-channels';
import type { IpcHandlerRegistry } from './handlers';
import type { SettingsStore } from '../store/settings-store';
import type { SessionStore } from '../store/session-store';
import type { ModelPackageFormat, ModelRegistry } from '../store/model-registry';
import { writeFileAtomic } from '../fs/atomic-write';
import { MAX_PACKAGE_BYTES, readModelFolder } from '../fs/model-folder';
import type {
  OpenAudioResult,
  OpenedModelPackage,
  OpenModelResult,
  SaveFileRequest,
  SaveFileResult,
} from '../../renderer/shared/earshot-api';

export interface DialogPort {
  /** Returns the chosen path, or null when the user cancels. */
  chooseSavePath(suggestedName: string, filters: SaveFileRequest['filters']): Promise<string | null>;
  chooseModel(kind: 'folder' | 'zip'): Promise<string | null>;
  chooseAudioFile(): Promise<string | null>;
}

/** Largest audio file import reads (decoding holds it all in memory). */
export const MAX_AUDIO_BYTES = 1024 * 1024 * 1024;

export interface AppHandlerDeps {
  settings: SettingsStore;
  sessions: SessionStore;
  models: ModelRegistry;
  dialogs: DialogPort;
}

const MAX_EXPORT_BYTES = 64 * 1024 * 1024;

export function registerAppHandlers(registry: IpcHandlerRegistry, deps: AppHandlerDeps): void {
  registry.handle(InvokeChannel.settingsGet, () => deps.settings.get());
  registry.handle(InvokeChannel.settingsUpdate, ([patch]) => deps.settings.update(patch));

  registry.handle(InvokeChannel.modelOpen, async ([kind]): Promise<OpenModelResult> => {
    if (kind !== 'folder' && kind !== 'zip') throw new Error('model:open expects "folder" or "zip"');
    const path = await deps.dialogs.chooseModel(kind);
    if (!path) return { status: 'cancelled' };
    const read = await readModelPackageAt(path, kind);
    if (read.status !== 'opened') return read;
    return { ...read, ref: await deps.models.remember(path, kind) };
  });

  registry.handle(InvokeChannel.modelOpenSaved, async ([ref]): Promise<OpenModelResult> => {
    const entry = await deps.models.lookup(ref);
    if (!entry)
      return {
        status: 'failed',
        message: 'This model is no longer in the list of loaded models. Load it again with “Load model…”.',
      };
    const read = await readModelPackageAt(entry.path, entry.format);
    return read.status === 'opened' ? { ...read, ref: entry.ref } : read;
  });

  registry.handle(InvokeChannel.fileSave, async ([request]): Promise<SaveFileResult> => {
    const req = parseSaveRequest(request);
    const path = await deps.dialogs.chooseSavePath(req.suggestedName, req.filters);
    if (!path) return { status: 'cancelled' };
    try {
      await writeFileAtomic(path, req.data);
      return { status: 'saved', fileName: basename(path) };
    } catch (error) {
      return { status: 'failed', message: describeFsError(error, path) };
    }
  });

  registry.handle(InvokeChannel.fileOpenAudio, async (): Promise<OpenAudioResult> => {
    const path = await deps.dialogs.chooseAudioFile();
    if (!path) return { status: 'cancelled' };
    try {
      const size = (await stat(path)).size;
      if (size > MAX_AUDIO_BYTES)
        return { status: 'failed', message: `${basename(path)} is larger than ${MAX_AUDIO_BYTES >> 30} GiB` };
      return { status: 'opened', name: basename(path), data: new Uint8Array(await readFile(path)) };
    } catch (error) {
      return { status: 'failed', message: describeFsError(error, path) };
    }
  });

  registry.handle(InvokeChannel.sessionWrite, ([record]) => deps.sessions.write(record));
  registry.handle(InvokeChannel.sessionList, () => deps.sessions.list());
  registry.handle(InvokeChannel.sessionRead, ([id]) => deps.sessions.read(id));
  registry.handle(InvokeChannel.sessionRemove, ([id]) => deps.sessions.remove(id));
}

/** Reads a package folder or .zip into memory; problems come back as a message, never a throw. */
export async function readModelPackageAt(
  path: string,
  format: ModelPackageFormat,
): Promise<{ status: 'opened'; model: OpenedModelPackage } | { status: 'failed'; message: string }> {
  try {
    if (format === 'folder') return { status: 'opened', model: { source: 'folder', ...(await readModelFolder(path)) } };
    const size = (await stat(path)).size;
    if (size > MAX_PACKAGE_BYTES)
      return { status: 'failed', message: `${basename(path)} is larger than ${MAX_PACKAGE_BYTES >> 20} MiB` };
    return {
      status: 'opened',
      model: { source: 'zip', name: basename(path).replace(/\.zip$/i, ''), zip: new Uint8Array(await readFile(path)) },
    };
  } catch (error) {
    return { status: 'failed', message: describeFsError(error, path) };
  }
}

export function parseSaveRequest(value: unknown): SaveFileRequest {
  if (typeof value !== 'object' || value === null) throw new Error('file:save expects a request object');
  const v = value as Record<string, unknown>;
  if (
    typeof v.suggestedName !== 'string' ||
    v.suggestedName.length === 0 ||
    v.suggestedName.length > 255 ||
    /[\\/\0]/.test(v.suggestedName)
  ) {
    throw new Error('file:save: suggestedName must be a plain file name');
  }
  const data = v.data;
  if (typeof data !== 'string' && !(data instanceof Uint8Array))
    throw new Error('file:save: data must be text or bytes');
  if ((typeof data === 'string' ? data.length : data.byteLength) > MAX_EXPORT_BYTES)
    throw new Error('file:save: data too large');
  const filters = Array.isArray(v.filters)
    ? v.filters.filter(
        (f): f is SaveFileRequest['filters'][number] =>
          typeof f === 'object' &&
          f !== null &&
          typeof (f as { name?: unknown }).name === 'string' &&
          Array.isArray((f as { extensions?: unknown }).extensions) &&
          (f as { extensions: unknown[] }).extensions.every(
            (e) => typeof e === 'string' && /^[A-Za-z0-9*]{1,10}$/.test(e),
          ),
      )
    : [];
  return { suggestedName: v.suggestedName, data, filters };
}

/** A message a person can act on: says what failed and the likely reason. */
export function describeFsError(error: unknown, path: string): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const name = basename(path);
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return `Could not write ${name}: permission denied. Choose a folder you can write to.`;
    case 'ENOSPC':
      return `Could not write ${name}: the disk is full. Free some space and try again.`;
    case 'EROFS':
      return `Could not write ${name}: the location is read-only.`;
    case 'ENOENT':
      return `${name} was not found.`;
    case 'EISDIR':
      return `${name} is a folder, not a file.`;
    case 'ENOTDIR':
      return `Could not use ${name}: part of its path is not a folder.`;

    default:
      return `${name}: ${error instanceof Error ? error.message : String(error)}`;
  }
}
