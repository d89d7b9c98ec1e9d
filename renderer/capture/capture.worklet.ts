/**
 * AudioWorklet processor: microphone → mono Float32 at 16 kHz, posted straight to the engine
 * worker over a MessagePort (the UI thread never touches the samples).
 *
 * Runs on the audio rendering thread, so it only downmixes, buffers ~10 ms of input, resamples
 * and posts. The resampler is the engine's own streaming windowed-sinc one, so microphone audio
 * is converted exactly as files are.
 */
import { Resampler } from '../engine/audio/resampler';
import {
  CAPTURE_BLOCK_SECONDS,
  INPUT_SAMPLE_RATE,
  type AudioPortMessage,
  type UiToWorklet,
  type WorkletToUi,
} from '../worker/protocol';

/** The AudioWorkletGlobalScope names this file uses; TypeScript's DOM lib does not declare them. */
interface WorkletScope {
  sampleRate: number;
  registerProcessor(name: string, ctor: new (options: { processorOptions?: unknown }) => unknown): void;
  AudioWorkletProcessor: new () => { readonly port: MessagePort };
}
const scope = globalThis as unknown as WorkletScope;

import { CAPTURE_PROCESSOR_NAME } from './capture-processor-name';
const CHUNK_SECONDS = CAPTURE_BLOCK_SECONDS; // input buffered before each resample + post
const LEVEL_INTERVAL_SECONDS = 0.05; // meter refresh: 20 Hz is smooth enough and cheap

class CaptureProcessor extends scope.AudioWorkletProcessor {
  private readonly resampler = new Resampler(scope.sampleRate, INPUT_SAMPLE_RATE);
  private readonly chunk: Float32Array;
  private filled = 0;
  private audioPort: MessagePort | null = null;
  private levelSumSquares = 0;
  private levelPeak = 0;
  private levelCount = 0;
  private readonly levelEvery = Math.round(scope.sampleRate * LEVEL_INTERVAL_SECONDS);
  private ended = false;

  constructor() {
    super();
    this.chunk = new Float32Array(Math.ceil(scope.sampleRate * CHUNK_SECONDS) + 128);
    this.port.onmessage = (event: MessageEvent<UiToWorklet>) => {
      const message = event.data;
      if (message.type === 'connect') this.audioPort = message.port;
      else this.flush();
    };
  }

  process(inputs: Float32Array[][]): boolean {
    if (this.ended) return false;
    const channels = inputs[0];
    if (!channels || channels.length === 0) return true; // no input connected (yet)
    const frames = channels[0].length;
    const gain = 1 / channels.length;
    for (let i = 0; i < frames; i++) {
      let sum = 0;
      for (let c = 0; c < channels.length; c++) sum += channels[c][i];
      const sample = sum * gain;
      this.chunk[this.filled++] = sample;
      this.levelSumSquares += sample * sample;
      this.levelPeak = Math.max(this.levelPeak, Math.abs(sample));
      if (++this.levelCount >= this.levelEvery) this.postLevel();
    }
    if (this.filled >= this.chunk.length - 128) this.send(this.resampler.push(this.chunk.slice(0, this.filled)));
    return true;
  }

  private send(samples: Float32Array): void {
    this.filled = 0;
    if (samples.length === 0 || !this.audioPort) return;
    const message: AudioPortMessage = { type: 'audio', sampleRate: INPUT_SAMPLE_RATE, samples };
    this.audioPort.postMessage(message, [samples.buffer]);
  }

  private postLevel(): void {
    const rms = Math.sqrt(this.levelSumSquares / Math.max(1, this.levelCount));
    const message: WorkletToUi = { type: 'level', rmsDb: 20 * Math.log10(Math.max(rms, 1e-6)), peak: this.levelPeak };
    this.port.postMessage(message);
    this.levelSumSquares = 0;
    this.levelPeak = 0;
    this.levelCount = 0;
  }

  /** Stop: deliver what is buffered, then the end marker, on the same port so order is kept. */
  private flush(): void {
    const head = this.resampler.push(this.chunk.slice(0, this.filled));
    const tail = this.resampler.flush();
    const rest = new Float32Array(head.length + tail.length);
    rest.set(head);
    rest.set(tail, head.length);
    this.send(rest);
    this.audioPort?.postMessage({ type: 'end' } satisfies AudioPortMessage);
    this.ended = true;
    this.port.postMessage({ type: 'flushed' } satisfies WorkletToUi);
  }
}

scope.registerProcessor(CAPTURE_PROCESSOR_NAME, CaptureProcessor);
