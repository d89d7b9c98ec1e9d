/**
 * The UI side of the engine worker: typed messages out, typed events in, and `load()` as a
 * promise. Owns the Worker; the recognition itself never runs on this thread.
 */
import type { EngineInfo, PackagePayload, RecognizerConfig, UiToWorker, WorkerToUi } from '../worker/protocol';

type UpdateEvent = Extract<WorkerToUi, { type: 'update' }>;
type StoppedEvent = Extract<WorkerToUi, { type: 'stopped' }>;

export interface EngineClientEvents {
  onUpdate(event: UpdateEvent): void;
  onStopped(event: StoppedEvent): void;
  onError(message: string): void;
}

export class EngineClient {
  private readonly worker: Worker;
  private nextRequestId = 1;
  private readonly pendingLoads = new Map<number, { resolve(info: EngineInfo): void; reject(error: Error): void }>();

  constructor(private readonly events: EngineClientEvents) {
    this.worker = new Worker(new URL('../worker/engine.worker.ts', import.meta.url), { type: 'module', name: 'earshot-engine' });
    this.worker.onmessage = (event: MessageEvent<WorkerToUi>) => this.dispatch(event.data);
    this.worker.onerror = (event) => {
      event.preventDefault();
      const message = `The recognition worker crashed: ${event.message || 'unknown error'}`;
      for (const pending of this.pendingLoads.values()) pending.reject(new Error(message));
      this.pendingLoads.clear();
      this.events.onError(message);
    };
  }

  /** Loads (or switches to) a model. Rejects with the package's validation error; the old model stays. */
  load(acoustic: PackagePayload, lm: PackagePayload | null, config: Partial<RecognizerConfig>): Promise<EngineInfo> {
    const requestId = this.nextRequestId++;
    return new Promise((resolve, reject) => {
      this.pendingLoads.set(requestId, { resolve, reject });
      this.post({ type: 'load', requestId, acoustic, lm, config });
    });
  }

  /** Begins a new stream whose audio arrives on `port` (from the capture worklet). */
  start(port: MessagePort): void {
    this.post({ type: 'attach-audio', port }, [port]);
    this.post({ type: 'start' });
  }

  /** Ends the stream from the UI side; used when the worklet cannot send its end marker. */
  stop(): void {
    this.post({ type: 'stop' });
  }

  pushAudio(sampleRate: number, samples: Float32Array): void {
    this.post({ type: 'audio', sampleRate, samples }, [samples.buffer]);
  }

  private post(message: UiToWorker, transfer: Transferable[] = []): void {
    this.worker.postMessage(message, transfer);
  }

  private dispatch(message: WorkerToUi): void {
    switch (message.type) {
      case 'loaded':
      case 'load-failed': {
        const pending = this.pendingLoads.get(message.requestId);
        this.pendingLoads.delete(message.requestId);
        if (message.type === 'loaded') pending?.resolve(message.info);
        else pending?.reject(new Error(message.message));
        return;
      }
      case 'update':
        return this.events.onUpdate(message);
      case 'stopped':
        return this.events.onStopped(message);
      case 'error':
        return this.events.onError(message.message);
    }
  }
}
