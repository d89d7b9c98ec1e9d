import { describe, expect, it } from 'vitest';
import { mkdtemp, readFile, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SettingsStore } from '../../../main/store/settings-store';
import { defaultSettings, sanitizeSettings } from '../../../renderer/shared/settings-schema';
import { ALL_BACKENDS } from '../../../models/rnn/backend';

async function storePath(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'earshot-settings-')), 'settings.json');
}

describe('SettingsStore', () => {
  it('starts from defaults when no file exists', async () => {
    const store = new SettingsStore(await storePath());
    expect(await store.load()).toEqual(defaultSettings());
  });

  it('persists updates across instances', async () => {
    const path = await storePath();
    const a = new SettingsStore(path);
    await a.load();
    await a.update({ theme: 'dark', deviceId: 'mic-2', hotwords: ['Earshot', ' gpu.js '] });
    const b = new SettingsStore(path);
    const loaded = await b.load();
    expect(loaded.theme).toBe('dark');
    expect(loaded.deviceId).toBe('mic-2');
    expect(loaded.hotwords).toEqual(['Earshot', 'gpu.js']);
  });

  it('drops invalid fields from an update but keeps the valid ones', async () => {
    const store = new SettingsStore(await storePath());
    await store.load();
    const result = await store.update({ theme: 'neon', endpointSilenceMs: 1200, useLm: 'yes', evil: '__proto__' });
    expect(result.theme).toBe('system');
    expect(result.endpointSilenceMs).toBe(1200);
    expect(result.useLm).toBe(true);
    expect(result).not.toHaveProperty('evil');
  });

  it('persists every setting the app offers: models, LM weights, lexicon, backend', async () => {
    const path = await storePath();
    const a = new SettingsStore(path);
    await a.load();
    const patch = {
      acousticModel: 'm12ab',
      languageModel: 'm34cd',
      useLm: false,
      lmAlpha: 0.8,
      lmBeta: 1.5,
      userLexicon: 'earshot IH R SH AA T\n',
      backend: 'webgl2',
      endpointSilenceMs: 600,
    };
    await a.update(patch);
    expect(await new SettingsStore(path).load()).toMatchObject(patch);
  });

  it('refuses model refs that are not plain names, unknown backends and oversized lexicons', () => {
    const s = sanitizeSettings({
      acousticModel: '../../etc',
      languageModel: 'a b',
      backend: 'cuda',
      userLexicon: 'x'.repeat(300 * 1024),
      lmAlpha: 99,
    });
    expect(s.acousticModel).toBe('default');
    expect(s.languageModel).toBe('default');
    expect(s.backend).toBe('auto');
    expect(s.userLexicon).toBe('');
    expect(s.lmAlpha).toBeNull();
  });

  it('keeps every backend the app can offer (all but Node-only headlessgl), wasm-simd included', () => {
    for (const backend of ALL_BACKENDS.filter((b) => b !== 'headlessgl'))
      expect(sanitizeSettings({ backend }).backend).toBe(backend);
  });

  it('clamps the endpoint silence into its allowed range', () => {
    expect(sanitizeSettings({ endpointSilenceMs: 10 }).endpointSilenceMs).toBe(200);
    expect(sanitizeSettings({ endpointSilenceMs: 1e9 }).endpointSilenceMs).toBe(5000);
  });

  it('keeps a corrupt file aside and falls back to defaults', async () => {
    const path = await storePath();
    await writeFile(path, '{ not json');
    const store = new SettingsStore(path);
    expect(await store.load()).toEqual(defaultSettings());
    expect((await readdir(join(path, '..'))).sort()).toEqual(['settings.json.corrupt']);
    await store.update({ theme: 'light' });
    expect(JSON.parse(await readFile(path, 'utf8')).theme).toBe('light');
  });

  it('serialises concurrent updates so the last one wins on disk', async () => {
    const path = await storePath();
    const store = new SettingsStore(path);
    await store.load();
    await Promise.all([
      store.update({ endpointSilenceMs: 300 }),
      store.update({ endpointSilenceMs: 400 }),
      store.update({ endpointSilenceMs: 500 }),
    ]);
    expect(JSON.parse(await readFile(path, 'utf8')).endpointSilenceMs).toBe(500);
  });
});
