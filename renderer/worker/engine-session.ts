/**
 * What the engine worker does, apart from the `self.onmessage` wiring: holds the recognizer and
 * the current stream, feeds it audio, runs decode passes one at a time (audio that arrives during
 * a pass is picked up by the next one, so a slow backend delays text but never piles up passes),
 * and reports transcript updates and counters.
 */
import { loadModelPackage, type LoadedPackage } from '../../models/package/load-package';
import { memorySource, zipSource, type PackageSource } from '../../models/package/package-source';
import { defaultRecognizerConfig, type createRecognizer, type Recognizer, type RecognizerStream, type TranscriptUpdate } from '../engine/pipeline/recognizer';
import type { AudioPortMessage, EngineStats, FeatureBlock, PackagePayload, UiToWorker, WorkerToUi } from './protocol';

export type PostToUi = (message: WorkerToUi, transfer?: Transferable[]) => void;

export function packageSource(payload: PackagePayload): PackageSource {
  return 'zip' in payload ? zipSource(payload.name, payload.zip) : memorySource(payload.name, payload.files);
}

function emptyStats(): EngineStats {
  return { samplesReceived: 0, secondsReceived: 0, decodePasses: 0, featureFrames: 0, lastDecodeMs: 0 };
}

export class EngineSession {
  private recognizer: Recognizer | null = null;
  private stream: RecognizerStream | null = null;
  private stats = emptyStats();
  private pendingAudio = false;
  private decoding: Promise<void> | null = null;
  private ending = false;
  private loadSeq = 0;

  constructor(
    private readonly post: PostToUi,
    private readonly create: typeof createRecognizer,
  ) {}

  async handle(message: UiToWorker): Promise<void> {
    switch (message.type) {
      case 'load':
        return this.load(message);
      case 'attach-audio':
        message.port.onmessage = (event: MessageEvent<AudioPortMessage>) => this.onAudioPort(event.data);
        return;
      case 'start':
        return this.start();
      case 'audio':
        return this.accept(message.sampleRate, message.samples);
      case 'stop':
        return this.end();
    }
  }

  private onAudioPort(message: AudioPortMessage): void {
    if (message.type === 'audio') this.accept(message.sampleRate, message.samples);
    else void this.end();
  }

  private async load(message: Extract<UiToWorker, { type: 'load' }>): Promise<void> {
    const seq = ++this.loadSeq;
    try {
      const acoustic = await loadModelPackage(packageSource(message.acoustic));
      const config = { ...defaultRecognizerConfig(), ...message.config };
      let lm: LoadedPackage | null = null;
      if (message.lm && config.useLm) lm = await loadModelPackage(packageSource(message.lm));
      const recognizer = await this.create(acoustic, lm, config);
      if (seq !== this.loadSeq) {
        recognizer.dispose(); // a newer load superseded this one
        return;
      }
      // Swap only after the new model loaded: a broken package leaves the current one working.
      this.recognizer?.dispose();
      this.recognizer = recognizer;
      this.stream = null;
      const { backend, acousticName, lmName } = recognizer.info;
      this.post({ type: 'loaded', requestId: message.requestId, info: { backend, acousticName, lmName } });
    } catch (error) {
      this.post({ type: 'load-failed', requestId: message.requestId, message: describeError(error) });
    }
  }

  private start(): void {
    if (!this.recognizer) {
      this.post({ type: 'error', message: 'No model is loaded.' });
      return;
    }
    this.stream?.reset();
    this.stream = this.recognizer.createStream();
    this.stats = emptyStats();
    this.ending = false;
    this.pendingAudio = false;
  }

  private accept(sampleRate: number, samples: Float32Array): void {
    if (!this.stream || this.ending) return;
    this.stream.acceptWaveform(sampleRate, samples);
    this.stats.samplesReceived += samples.length;
    this.stats.secondsReceived += samples.length / sampleRate;
    this.pendingAudio = true;
    this.pump();
  }

  private pump(): void {
    if (this.decoding || !this.stream) return;
    const stream = this.stream;
    this.decoding = (async () => {
      try {
        while (this.pendingAudio && !this.ending) {
          this.pendingAudio = false;
          const t0 = performance.now();
          const update = await stream.decode();
          this.stats.lastDecodeMs = performance.now() - t0;
          this.stats.decodePasses++;
          this.report(update);
        }
      } catch (error) {
        this.post({ type: 'error', message: `Recognition failed: ${describeError(error)}` });
      } finally {
        this.decoding = null;
      }
    })();
  }

  /** End of input: waits for the running pass, then flushes so the partial becomes final. */
  private async end(): Promise<void> {
    const stream = this.stream;
    if (!stream || this.ending) return;
    this.ending = true;
    await this.decoding;
    try {
      const update = await stream.finish();
      this.stats.featureFrames += update.features.length;
      this.post({ type: 'stopped', finals: update.finals, stats: { ...this.stats } });
    } catch (error) {
      this.post({ type: 'error', message: `Recognition failed at the end of the recording: ${describeError(error)}` });
      this.post({ type: 'stopped', finals: [], stats: { ...this.stats } });
    }
    this.stream = null;
  }

  private report(update: TranscriptUpdate): void {
    this.stats.featureFrames += update.features.length;
    const features = flattenFeatures(update.features);
    this.post(
      { type: 'update', finals: update.finals, partial: update.partial, level: update.level, features, stats: { ...this.stats } },
      features ? [features.data.buffer] : [],
    );
  }
}

function flattenFeatures(frames: Float32Array[]): FeatureBlock | null {
  if (frames.length === 0) return null;
  const dims = frames[0].length;
  const data = new Float32Array(frames.length * dims);
  frames.forEach((frame, i) => data.set(frame.subarray(0, dims), i * dims));
  return { dims, frames: frames.length, data };
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
