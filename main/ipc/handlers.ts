/**
 * Main's IPC handler registry: the only way main answers the renderer. Each handler is wrapped so
 * that it runs only when the request comes from the app's own top-level frame (origin checked
 * against the trusted list). A request from anything else (a foreign page that somehow got loaded,
 * a subframe, a destroyed frame) is rejected before the handler sees it.
 *
 * Arguments arrive as `unknown[]`: handlers validate them, because a compromised renderer can
 * send anything.
 *
 * No Electron import: main/index.ts passes the real `ipcMain`; tests pass a fake.
 */
import { INVOKE_CHANNELS, type InvokeChannel } from '../../renderer/shared/ipc-channels';
import { isTrustedUrl, type TrustedOrigins } from '../security/origin-policy';
import type { InvokeResults } from '../../renderer/shared/earshot-api';

/** The parts of Electron's IpcMainInvokeEvent the registry reads. */
export interface InvokeEventLike {
  senderFrame: { url: string; parent: unknown } | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export type InvokeHandler<C extends InvokeChannel> = (args: unknown[]) => InvokeResults[C] | Promise<InvokeResults[C]>;

export class UntrustedSenderError extends Error {
  constructor(channel: string, url: string | null) {
    super(`IPC ${channel}: refused request from untrusted sender ${url ?? '(no frame)'}`);
    this.name = 'UntrustedSenderError';
  }
}

export class IpcHandlerRegistry {
  private readonly registered = new Set<string>();

  constructor(
    private readonly ipc: IpcMainLike,
    private readonly trusted: TrustedOrigins,
    private readonly onRefused: (error: UntrustedSenderError) => void = () => undefined,
  ) {}

  /** Whether the event comes from the app's own top frame. */
  isTrustedSender(event: InvokeEventLike): boolean {
    const frame = event.senderFrame;
    if (!frame) return false;
    if (frame.parent !== null && frame.parent !== undefined) return false; // subframes never talk to main
    return isTrustedUrl(frame.url, this.trusted);
  }

  handle<C extends InvokeChannel>(channel: C, handler: InvokeHandler<C>): void {
    if (!INVOKE_CHANNELS.includes(channel)) throw new Error(`unknown IPC channel ${channel}`);
    if (this.registered.has(channel)) throw new Error(`IPC channel ${channel} already has a handler`);
    this.registered.add(channel);
    this.ipc.handle(channel, async (event, ...args) => {
      if (!this.isTrustedSender(event)) {
        const error = new UntrustedSenderError(channel, event.senderFrame?.url ?? null);
        this.onRefused(error);
        throw error;
      }
      return handler(args);
    });
  }

  /** Channels without a handler: main/index.ts asserts this is empty at start-up. */
  missingChannels(): InvokeChannel[] {
    return INVOKE_CHANNELS.filter((c) => !this.registered.has(c));
  }

  dispose(): void {
    for (const channel of this.registered) this.ipc.removeHandler(channel);
    this.registered.clear();
  }
}
