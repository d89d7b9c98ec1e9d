import { describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerAppHandlers, parseSaveRequest } from '../../../main/ipc/app-handlers';
import { IpcHandlerRegistry, type InvokeEventLike, type IpcMainLike } from '../../../main/ipc/handlers';
import { InvokeChannel } from '../../../renderer/shared/ipc-channels';
import { trustedOrigins } from '../../../main/security/origin-policy';
import { SettingsStore } from '../../../main/store/settings-store';
import { SessionStore } from '../../../main/store/session-store';
import { ModelRegistry } from '../../../main/store/model-registry';
import { describeFsError } from '../../../main/ipc/app-handlers';

type Listener = (event: InvokeEventLike, ...args: unknown[]) => unknown;
const appFrame: InvokeEventLike = { senderFrame: { url: 'app://earshot/index.html', parent: null } };

async function setup(dialogPaths: { save?: string | null; model?: string | null; audio?: string | null }) {
  const dir = await mkdtemp(join(tmpdir(), 'earshot-handlers-'));
  const listeners = new Map<string, Listener>();
  const ipc: IpcMainLike = {
    handle: (c, l) => void listeners.set(c, l),
    removeHandler: (c) => void listeners.delete(c),
  };
  const registry = new IpcHandlerRegistry(ipc, trustedOrigins());
  registerAppHandlers(registry, {
    settings: new SettingsStore(join(dir, 'settings.json')),
    sessions: new SessionStore(join(dir, 'sessions')),
    models: new ModelRegistry(join(dir, 'models.json')),
    dialogs: {
      chooseSavePath: async () => dialogPaths.save ?? null,
      chooseModel: async () => dialogPaths.model ?? null,
      chooseAudioFile: async () => dialogPaths.audio ?? null,
    },
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
    const result = await invoke(InvokeChannel.fileSave, {
      suggestedName: 'talk.srt',
      data: '1\n00:00:00,000 --> 00:00:01,000\nhi\n',
      filters: [{ name: 'SubRip', extensions: ['srt'] }],
    });
    expect(result).toEqual({ status: 'saved', fileName: 'talk.srt' });
    expect(await readFile(target, 'utf8')).toContain('hi');
  });

  it('reports a failed write as a message and does not throw', async () => {
    const { invoke } = await setup({ save: join(tmpdir(), 'no-such-dir-earshot', 'x.txt') });
    const result = (await invoke(InvokeChannel.fileSave, { suggestedName: 'x.txt', data: 'x', filters: [] })) as {
      status: string;
      message: string;
    };
    expect(result.status).toBe('failed');
    expect(result.message).toMatch(/x\.txt/);
  });

  it('rejects save requests whose name is a path', () => {
    expect(() => parseSaveRequest({ suggestedName: '../../.bashrc', data: 'x', filters: [] })).toThrow(
      /plain file name/,
    );
    expect(() => parseSaveRequest({ suggestedName: 'a.txt', data: 42, filters: [] })).toThrow(/text or bytes/);
  });

  it('opens a model folder as bytes, and explains a folder without model.json', async () => {
    const pkg = await mkdtemp(join(tmpdir(), 'earshot-pkg-'));
    await writeFile(join(pkg, 'model.json'), '{}');
    await mkdir(join(pkg, 'lexicon'));
    await writeFile(join(pkg, 'lexicon', 'words.txt'), 'A AH\n');
    const ok = (await (await setup({ model: pkg })).invoke(InvokeChannel.modelOpen, 'folder')) as {
      status: string;
      model: { files: Record<string, Uint8Array> };
    };
    expect(ok.status).toBe('opened');
    expect(Object.keys(ok.model.files).sort()).toEqual(['lexicon/words.txt', 'model.json']);

    const empty = await mkdtemp(join(tmpdir(), 'earshot-empty-'));
    const bad = (await (await setup({ model: empty })).invoke(InvokeChannel.modelOpen, 'folder')) as {
      status: string;
      message: string;
    };
    expect(bad.status).toBe('failed');
    expect(bad.message).toMatch(/no model\.json/);
  });

  it('remembers an opened package by an opaque ref and reads it again after a restart', async () => {
    const pkg = await mkdtemp(join(tmpdir(), 'earshot-pkg-'));
    await writeFile(join(pkg, 'model.json'), '{"name":"x"}');
    const first = await setup({ model: pkg });
    const opened = (await first.invoke(InvokeChannel.modelOpen, 'folder')) as { status: string; ref: string };
    expect(opened.status).toBe('opened');
    expect(opened.ref).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(JSON.stringify(opened)).not.toContain(pkg); // the renderer never learns the path

    const again = (await first.invoke(InvokeChannel.modelOpenSaved, opened.ref)) as {
      status: string;
      ref: string;
      model: { files: Record<string, Uint8Array> };
    };
    expect(again.status).toBe('opened');
    expect(again.ref).toBe(opened.ref);
    expect(new TextDecoder().decode(again.model.files['model.json'])).toBe('{"name":"x"}');

    // unknown or malformed refs are a message, not an exception and not a file read
    for (const ref of ['mdeadbeef', '../../etc/passwd', 42]) {
      const missing = (await first.invoke(InvokeChannel.modelOpenSaved, ref)) as { status: string; message: string };
      expect(missing.status).toBe('failed');
      expect(missing.message).toMatch(/Load it again/);
    }
  });

  it('reports a saved package that has disappeared from disk', async () => {
    const pkg = await mkdtemp(join(tmpdir(), 'earshot-pkg-'));
    await writeFile(join(pkg, 'model.json'), '{}');
    const { invoke } = await setup({ model: pkg });
    const opened = (await invoke(InvokeChannel.modelOpen, 'folder')) as { ref: string };
    await rm(pkg, { recursive: true });
    const gone = (await invoke(InvokeChannel.modelOpenSaved, opened.ref)) as { status: string; message: string };
    expect(gone.status).toBe('failed');
    expect(gone.message).toMatch(/not a folder/);
  });

  it('opens a .zip package as bytes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'earshot-zip-'));
    const zip = join(dir, 'en-small.zip');
    await writeFile(zip, new Uint8Array([0x50, 0x4b, 5, 6, 0, 0]));
    const opened = (await (await setup({ model: zip })).invoke(InvokeChannel.modelOpen, 'zip')) as {
      status: string;
      model: { source: string; name: string; zip: Uint8Array };
    };
    expect(opened.status).toBe('opened');
    expect(opened.model.source).toBe('zip');
    expect(opened.model.name).toBe('en-small');
    expect(opened.model.zip.byteLength).toBe(6);
  });

  it('a write that cannot happen leaves the existing file untouched and says why', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'earshot-export-'));
    const blocker = join(dir, 'not-a-folder');
    await writeFile(blocker, 'keep me');
    const { invoke } = await setup({ save: join(blocker, 'talk.txt') });
    const result = (await invoke(InvokeChannel.fileSave, { suggestedName: 'talk.txt', data: 'x', filters: [] })) as {
      status: string;
      message: string;
    };
    expect(result).toEqual({ status: 'failed', message: expect.stringMatching(/talk\.txt.*not a folder/) });
    expect(await readFile(blocker, 'utf8')).toBe('keep me');
  });

  it('turns permission and full-disk errors into messages that say what to do', () => {
    const err = (code: string) => Object.assign(new Error(code), { code });
    expect(describeFsError(err('EACCES'), '/x/talk.srt')).toMatch(
      /talk\.srt: permission denied\. Choose a folder you can write to/,
    );
    expect(describeFsError(err('EPERM'), '/x/talk.srt')).toMatch(/permission denied/);
    expect(describeFsError(err('ENOSPC'), '/x/talk.srt')).toMatch(/disk is full\. Free some space/);
    expect(describeFsError(err('EROFS'), '/x/talk.srt')).toMatch(/read-only/);
    expect(describeFsError(new Error('boom'), '/x/talk.srt')).toBe('talk.srt: boom');
  });

  it('opens an audio file for import as name and bytes; cancel and a missing file are answers, not exceptions', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'earshot-audio-'));
    const path = join(dir, 'talk.wav');
    await writeFile(path, new Uint8Array([82, 73, 70, 70]));
    const opened = (await (await setup({ audio: path })).invoke(InvokeChannel.fileOpenAudio)) as {
      status: string;
      name: string;
      data: Uint8Array;
    };
    expect(opened).toMatchObject({ status: 'opened', name: 'talk.wav' });
    expect([...opened.data]).toEqual([82, 73, 70, 70]);
    expect(await (await setup({ audio: null })).invoke(InvokeChannel.fileOpenAudio)).toEqual({ status: 'cancelled' });
    const missing = (await (await setup({ audio: join(dir, 'gone.wav') })).invoke(InvokeChannel.fileOpenAudio)) as {
      status: string;
      message: string;
    };
    expect(missing).toEqual({ status: 'failed', message: 'gone.wav was not found.' });
  });

  it('validates the model kind argument', async () => {
    const { invoke } = await setup({});
    await expect(invoke(InvokeChannel.modelOpen, '/etc')).rejects.toThrow(/"folder" or "zip"/);
  });
});
