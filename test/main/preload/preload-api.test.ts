/**
 * The preload is the renderer's only door into main: it must expose exactly `window.earshot`, whose
 * functions invoke channels from the one channel list, and it must never hand out ipcRenderer or
 * an IPC event (both reach Node-side objects).
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { EventChannel, INVOKE_CHANNELS, InvokeChannel } from '../../../renderer/shared/ipc-channels';
import type { EarshotApi } from '../../../renderer/shared/earshot-api';

const exposed = new Map<string, unknown>();
const invoke = vi.fn(async (..._args: unknown[]) => 'result');
const listeners = new Map<string, (event: unknown, ...args: unknown[]) => void>();
const ipcRenderer = {
  invoke,
  on: vi.fn((channel: string, listener: (event: unknown, ...args: unknown[]) => void) =>
    listeners.set(channel, listener),
  ),
  removeListener: vi.fn((channel: string) => listeners.delete(channel)),
  send: vi.fn(),
  sendSync: vi.fn(),
};

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => exposed.set(key, value) },
  ipcRenderer,
}));

let api: EarshotApi;

beforeAll(async () => {
  await import('../../../main/preload/index');
  api = exposed.get('earshot') as EarshotApi;
});

/** Every function in the API object, by dotted path. */
function functionsOf(value: unknown, prefix = ''): string[] {
  if (typeof value === 'function') return [prefix];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => functionsOf(v, prefix ? `${prefix}.${k}` : k));
}

describe('preload bridge', () => {
  it('exposes one global, `earshot`, made only of functions', () => {
    expect([...exposed.keys()]).toEqual(['earshot']);
    expect(functionsOf(api).sort()).toEqual(
      [
        'files.openAudio',
        'files.saveAs',
        'models.open',
        'models.openSaved',
        'onMenuCommand',
        'sessions.list',
        'sessions.read',
        'sessions.remove',
        'sessions.write',
        'settings.get',
        'settings.update',
      ].sort(),
    );
    const json = JSON.stringify(api);
    expect(json).not.toMatch(/ipcRenderer|invoke|send/);
  });

  it('each function invokes its own channel from the channel list and nothing else', async () => {
    const calls: [() => Promise<unknown>, string, unknown[]][] = [
      [() => api.settings.get(), InvokeChannel.settingsGet, []],
      [() => api.settings.update({ theme: 'dark' }), InvokeChannel.settingsUpdate, [{ theme: 'dark' }]],
      [() => api.models.open('zip'), InvokeChannel.modelOpen, ['zip']],
      [() => api.models.openSaved('m1'), InvokeChannel.modelOpenSaved, ['m1']],
      [
        () => api.files.saveAs({ suggestedName: 'a.txt', data: 'x', filters: [] }),
        InvokeChannel.fileSave,
        [{ suggestedName: 'a.txt', data: 'x', filters: [] }],
      ],
      [() => api.files.openAudio(), InvokeChannel.fileOpenAudio, []],
      [() => api.sessions.list(), InvokeChannel.sessionList, []],
      [() => api.sessions.read('s1'), InvokeChannel.sessionRead, ['s1']],
      [() => api.sessions.remove('s1'), InvokeChannel.sessionRemove, ['s1']],
    ];
    for (const [call, channel, args] of calls) {
      invoke.mockClear();
      await call();
      expect(invoke).toHaveBeenCalledExactlyOnceWith(channel, ...args);
    }
    expect(ipcRenderer.send).not.toHaveBeenCalled();
    expect(ipcRenderer.sendSync).not.toHaveBeenCalled();
    const used = new Set(invoke.mock.calls.map((c) => c[0]));
    for (const channel of used) expect(INVOKE_CHANNELS).toContain(channel);
  });

  it('passes only valid menu commands to the page, without the IPC event, and unsubscribes', () => {
    const received: unknown[][] = [];
    const off = api.onMenuCommand((...args: unknown[]) => void received.push(args));
    const deliver = listeners.get(EventChannel.menuCommand)!;
    const event = { sender: ipcRenderer, senderFrame: {} };
    deliver(event, 'toggle-recording');
    deliver(event, 'rm -rf /');
    deliver(event, { command: 'toggle-recording' });
    expect(received).toEqual([['toggle-recording']]);
    off();
    expect(listeners.has(EventChannel.menuCommand)).toBe(false);
  });
});
