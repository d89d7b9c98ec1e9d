import { describe, expect, it, vi } from 'vitest';
import {
  IpcHandlerRegistry,
  UntrustedSenderError,
  type InvokeEventLike,
  type IpcMainLike,
} from '../../../main/ipc/handlers';
import { INVOKE_CHANNELS, InvokeChannel } from '../../../renderer/shared/ipc-channels';
import { trustedOrigins } from '../../../main/security/origin-policy';
import { defaultSettings } from '../../../renderer/shared/settings-schema';

type Listener = (event: InvokeEventLike, ...args: unknown[]) => unknown;

function fakeIpcMain(): IpcMainLike & { listeners: Map<string, Listener> } {
  const listeners = new Map<string, Listener>();
  return {
    listeners,
    handle: (channel, listener) => void listeners.set(channel, listener),
    removeHandler: (channel) => void listeners.delete(channel),
  };
}

const topFrame = (url: string): InvokeEventLike => ({ senderFrame: { url, parent: null } });

describe('IpcHandlerRegistry', () => {
  function setup(devServer?: string) {
    const ipc = fakeIpcMain();
    const refused = vi.fn();
    const registry = new IpcHandlerRegistry(ipc, trustedOrigins(devServer), refused);
    const handler = vi.fn(() => defaultSettings());
    registry.handle(InvokeChannel.settingsGet, handler);
    const call = (event: InvokeEventLike, ...args: unknown[]) =>
      Promise.resolve(ipc.listeners.get(InvokeChannel.settingsGet)!(event, ...args));
    return { ipc, registry, handler, refused, call };
  }

  it('answers the app’s own top frame', async () => {
    const { handler, call } = setup();
    await expect(call(topFrame('app://earshot/index.html'))).resolves.toEqual(defaultSettings());
    expect(handler).toHaveBeenCalledOnce();
  });

  it('rejects a sender with a foreign URL without running the handler', async () => {
    const { handler, refused, call } = setup();
    for (const url of [
      'https://evil.example/index.html',
      'file:///etc/passwd',
      'app://other/index.html',
      'http://localhost:5173/',
      'data:text/html,hi',
    ]) {
      await expect(call(topFrame(url))).rejects.toBeInstanceOf(UntrustedSenderError);
    }
    expect(handler).not.toHaveBeenCalled();
    expect(refused).toHaveBeenCalledTimes(5);
  });

  it('rejects subframes and destroyed frames even on the app origin', async () => {
    const { handler, call } = setup();
    await expect(call({ senderFrame: { url: 'app://earshot/index.html', parent: {} } })).rejects.toThrow(
      /untrusted sender/,
    );
    await expect(call({ senderFrame: null })).rejects.toThrow(/untrusted sender/);
    expect(handler).not.toHaveBeenCalled();
  });

  it('trusts the dev server origin only when running under the dev server', async () => {
    const dev = setup('http://localhost:5173');
    await expect(dev.call(topFrame('http://localhost:5173/index.html'))).resolves.toBeDefined();
    await expect(dev.call(topFrame('http://localhost:5174/index.html'))).rejects.toThrow(/untrusted/);
  });

  it('refuses channels outside the channel list and duplicate handlers', () => {
    const { registry } = setup();
    expect(() => registry.handle('earshot:shell:exec' as never, () => undefined as never)).toThrow(
      /unknown IPC channel/,
    );
    expect(() => registry.handle(InvokeChannel.settingsGet, () => defaultSettings())).toThrow(/already has a handler/);
  });

  it('reports channels that still lack a handler, and removes handlers on dispose', () => {
    const { registry, ipc } = setup();
    expect(registry.missingChannels()).toEqual(INVOKE_CHANNELS.filter((c) => c !== InvokeChannel.settingsGet));
    registry.dispose();
    expect(ipc.listeners.size).toBe(0);
  });
});
