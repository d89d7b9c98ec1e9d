/**
 * The UI side of the engine worker: typed messages out, typed events in, and the request/response
 * pairs (load, open, configure, probe) as promises. Owns the Worker; the recognition itself never
 * runs on this thread.
 */
import type {
  EngineConfig,
  EngineInfo,
  FileAudio,
  LoadedSlot,
  PackagePayload,
  ReadablePayloads,
  Timeline,
  UiToWorker,
  WorkerToUi,
} from '../worker/protocol';

export type UpdateEvent = Extract<WorkerToUi, { type: 'update' }>;
export type StoppedEvent = Extract<WorkerToUi, { type: 'stopped' }>;
export type FileProgressEvent = Extract<WorkerToUi, { type: 'file-progress' }>;
export type FileFailedEvent = Extract<WorkerToUi, { type: 'file-failed' }>;

export interface EngineClientEvents {
  onUpdate(event: UpdateEvent): void;
  onStopped(event: StoppedEvent): void;
  onFileProgress(event: FileProgressEvent): void;
  onFileFailed(event: FileFailedEvent): void;
  onError(message: string): void;
}

export interface LoadResult {
  slot: LoadedSlot;
  info: EngineInfo;
}

interface Pending {
  resolve(value: LoadResult | string[]): void;
  reject(error: Error): void;
}

export class EngineClient {
  private readonly worker: Worker;
  private nextRequestId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly events: EngineClientEvents) {
    this.worker = new Worker(new URL('../worker/engine.worker.ts', import.meta.url), {
      type: 'module',
      name: 'earshot-engine',
    });
    this.worker.onmessage = (event: MessageEvent<WorkerToUi>) => this.dispatch(event.data);
    this.worker.onerror = (event) => {
      event.preventDefault();
      const message = `The recognition worker crashed: ${event.message || 'unknown error'}`;
      for (const pending of this.pending.values()) pending.reject(new Error(message));
      this.pending.clear();
      this.events.onError(message);
    };
  }

  /** Loads both packages (start-up, "use bundled models"). Rejects with the validation error; the old model stays. */
  load(
    acoustic: PackagePayload,
    lm: PackagePayload | null,
    config: EngineConfig,
    readable?: ReadablePayloads,
  ): Promise<LoadResult> {
    return this.request((requestId) => ({
      type: 'load',
      requestId,
      acoustic,
      lm,
      config,
      ...(readable ? { readable } : {}),
    })) as Promise<LoadResult>;
  }

  /** Validates one package and, by its kind, makes it the acoustic model or the LM. */
  openPackage(pkg: PackagePayload, config: EngineConfig): Promise<LoadResult> {
    return this.request((requestId) => ({ type: 'open-package', requestId, pkg, config })) as Promise<LoadResult>;
  }

  /** Rebuilds the recognizer from the loaded packages with a new configuration. */
  configure(config: EngineConfig): Promise<LoadResult> {
    return this.request((requestId) => ({ type: 'configure', requestId, config })) as Promise<LoadResult>;
  }

  probeBackends(): Promise<string[]> {
    return this.request((requestId) => ({ type: 'probe-backends', requestId })) as Promise<string[]>;
  }

  /** Begins a microphone stream whose audio arrives on `port` (from the capture worklet). */
  start(port: MessagePort, timeline: Timeline): void {
    this.post({ type: 'attach-audio', port }, [port]);
    this.post({ type: 'start', timeline });
  }

  /** Ends the microphone stream from the UI side; used when the worklet cannot send its end marker. */
  stop(): void {
    this.post({ type: 'stop' });
  }

  /** Streams a file's audio through the recognizer; returns the request id (for cancel and progress). */
  transcribeFile(audio: FileAudio, timeline: Timeline): number {
    const requestId = this.nextRequestId++;
    const transfer =
      audio.kind === 'wav' ? [audio.bytes.buffer as ArrayBuffer] : audio.channels.map((c) => c.buffer as ArrayBuffer);
    this.post({ type: 'transcribe-file', requestId, audio, timeline }, transfer);
    return requestId;
  }

  cancelFile(requestId: number): void {
    this.post({ type: 'cancel-file', requestId });
  }

  private request(make: (requestId: number) => UiToWorker): Promise<LoadResult | string[]> {
    const requestId = this.nextRequestId++;
    return new Promise((resolve, reject) => {
      this.pending.set(requestId, { resolve, reject });
      this.post(make(requestId));
    });
  }

  private post(message: UiToWorker, transfer: Transferable[] = []): void {
    this.worker.postMessage(message, transfer);
  }

  private settle(requestId: number): Pending | undefined {
    const pending = this.pending.get(requestId);
    this.pending.delete(requestId);
    return pending;
  }

  private dispatch(message: WorkerToUi): void {
    switch (message.type) {
      case 'loaded':
        return this.settle(message.requestId)?.resolve({ slot: message.slot, info: message.info });
      case 'load-failed':
        return this.settle(message.requestId)?.reject(new Error(message.message));
      case 'backends':
        return this.settle(message.requestId)?.resolve(message.backends);
      case 'update':
        return this.events.onUpdate(message);
      case 'stopped':
        return this.events.onStopped(message);
      case 'file-progress':
        return this.events.onFileProgress(message);
      case 'file-failed':
        return this.events.onFileFailed(message);
      case 'error':
        return this.events.onError(message.message);
    }
  }
}
