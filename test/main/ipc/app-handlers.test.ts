import { describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerAppHandlers, parseSaveRequest } from '../../../main/ipc/app-handlers';
import { IpcHandlerRegistry, type InvokeEventLike, type IpcMainLike } from '../../../main/ipc/handlers';
import { InvokeChannel } from '../../../main/ipc/channels';
import { trustedOrigins } from '../../../main/security/origin-policy';
import { SettingsStore } from '../../../main/store/settings-store';
import { SessionStore } from '../../../main/store/session-store';

type Listener = (event: InvokeEventLike, ...args: unknown[]) => unknown;
const appFrame: InvokeEventLike = { senderFrame: { url: 'app://earshot/index.html', parent: null } };

async function setup(dialogPaths: { save?: string | null; model?: string | null }) {
  const dir = await mkdtemp(join(tmpdir(), 'earshot-handlers-'));
  const listeners = new Map<string, Listener>();
  const ipc: IpcMainLike = { handle: (c, l) => void listeners.set(c, l), removeHandler: (c) => void listeners.delete(c) };
  const registry = new IpcHandlerRegistry(ipc, trustedOrigins());
  registerAppHandlers(registry, {
    settings: new SettingsStore(join(dir, 'settings.json')),
    sessions: new SessionStore(join(dir, 'sessions')),
    dialogs: { chooseSavePath: async () => dialogPaths.save ?? null, chooseModel: async () => dialogPaths.model ?? null },
  });
  const invoke = (channel: string, ...args: unknown[]) => Promise.resolve(listeners.get(channel)!(appFrame, ...args));
  return { dir, registry, invoke };
}

describe('app IPC handlers', () => {
  it('registers a handler for every channel', async () => {
    const { registry } = await setup({});
    expect(registry.missingChannels()).toEqual([]);
  });

  it('saves an export atomically to the chosen path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'earshot-export-'));
    const target = join(dir, 'talk.srt');
    const { invoke } = await setup({ save: target });
    const result = await invoke(InvokeChannel.fileSave, { suggestedName: 'talk.srt', data: '1\n00:00:00,000 --> 00:00:01,000\nhi\n', filters: [{ name: 'SubRip', extensions: ['srt'] }] });
    expect(result).toEqual({ status: 'saved', fileName: 'talk.srt' });
    expect(await readFile(target, 'utf8')).toContain('hi');
  });

  it('reports a failed write as a message and does not throw', async () => {
    const { invoke } = await setup({ save: join(tmpdir(), 'no-such-dir-earshot', 'x.txt') });
    const result = (await invoke(InvokeChannel.fileSave, { suggestedName: 'x.txt', data: 'x', filters: [] })) as { status: string; message: string };
    expect(result.status).toBe('failed');
    expect(result.message).toMatch(/x\.txt/);
  });

  it('rejects save requests whose name is a path', () => {
    expect(() => parseSaveRequest({ suggestedName: '../../.bashrc', data: 'x', filters: [] })).toThrow(/plain file name/);
    expect(() => parseSaveRequest({ suggestedName: 'a.txt', data: 42, filters: [] })).toThrow(/text or bytes/);
  });

  it('opens a model folder as bytes, and explains a folder without model.json', async () => {
    const pkg = await mkdtemp(join(tmpdir(), 'earshot-pkg-'));
    await writeFile(join(pkg, 'model.json'), '{}');
    await mkdir(join(pkg, 'lexicon'));
    await writeFile(join(pkg, 'lexicon', 'words.txt'), 'A AH\n');
    const ok = (await (await setup({ model: pkg })).invoke(InvokeChannel.modelOpen, 'folder')) as { status: string; model: { files: Record<string, Uint8Array> } };
    expect(ok.status).toBe('opened');
    expect(Object.keys(ok.model.files).sort()).toEqual(['lexicon/words.txt', 'model.json']);

    const empty = await mkdtemp(join(tmpdir(), 'earshot-empty-'));
    const bad = (await (await setup({ model: empty })).invoke(InvokeChannel.modelOpen, 'folder')) as { status: string; message: string };
    expect(bad.status).toBe('failed');
    expect(bad.message).toMatch(/no model\.json/);
  });

  it('validates the model kind argument', async () => {
    const { invoke } = await setup({});
    await expect(invoke(InvokeChannel.modelOpen, '/etc')).rejects.toThrow(/"folder" or "zip"/);
  });
});
