/**
 * The engine's Web Worker: recognition runs here so feature extraction, the RNN and beam search
 * never block the UI thread. Messages: see protocol.ts.
 */
import { availableBackends, createEngine } from '../engine';
import { EngineSession } from './engine-session';
import type { UiToWorker, WorkerToUi } from './protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;

const session = new EngineSession(
  (message: WorkerToUi, transfer: ArrayBuffer[] = []) => scope.postMessage(message, transfer),
  createEngine,
  {
    probeBackends: async () => (await availableBackends()).filter((b) => b !== 'headlessgl'),
  },
);

scope.onmessage = (event: MessageEvent<UiToWorker>) => {
  session.handle(event.data).catch((error: unknown) => {
    scope.postMessage({
      type: 'error',
      message: error instanceof Error ? error.message : String(error),
    } satisfies WorkerToUi);
  });
};
