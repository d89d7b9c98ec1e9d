/**
 * Messages between the UI thread and the engine worker, and between the capture worklet and the
 * worker. All are structured-cloneable; sample and feature buffers are transferred, not copied.
 *
 *   UI ──load──────────▶ worker ──loaded | load-failed──▶ UI
 *   UI ──attach-audio──▶ worker          (a MessagePort whose other end is the capture worklet)
 *   UI ──start─────────▶ worker          (new stream; counters reset)
 *   worklet ──audio…──▶ worker ──update…──▶ UI   (one update per decode pass; passes coalesce under load)
 *   worklet ──end─────▶ worker ──stopped──▶ UI   (flush: the partial becomes final)
 *   UI ──stop──────────▶ worker          (fallback when the worklet is gone, e.g. device unplugged)
 *   UI ──audio─────────▶ worker          (audio not from the microphone: file import, tests)
 */
import type { RecognizerConfig } from '../engine/pipeline/recognizer';
import type { Segment } from '../engine/transcript/segment';

export type { RecognizerConfig, Segment };

/** A model package as bytes: a folder's files, or a .zip (unpacked in the worker, off the UI thread). */
export type PackagePayload =
  | { name: string; files: Record<string, Uint8Array> }
  | { name: string; zip: Uint8Array };

export interface EngineInfo {
  backend: string;
  acousticName: string;
  lmName: string | null;
}

/** Counters that prove audio reached the engine (the e2e test reads them). */
export interface EngineStats {
  /** Samples accepted into the current stream, at the rate they arrived. */
  samplesReceived: number;
  /** Seconds of audio accepted into the current stream. */
  secondsReceived: number;
  decodePasses: number;
  featureFrames: number;
  /** Wall time of the last decode pass, ms. */
  lastDecodeMs: number;
}

/** New feature frames, flattened: frame i is data[i*dims .. (i+1)*dims). */
export interface FeatureBlock {
  dims: number;
  frames: number;
  data: Float32Array;
}

export type UiToWorker =
  /** `config` overrides the engine's defaults (filled in by the worker, so the UI bundle never imports the engine). */
  | { type: 'load'; requestId: number; acoustic: PackagePayload; lm: PackagePayload | null; config: Partial<RecognizerConfig> }
  | { type: 'attach-audio'; port: MessagePort }
  | { type: 'start' }
  | { type: 'audio'; sampleRate: number; samples: Float32Array }
  | { type: 'stop' };

export type WorkerToUi =
  | { type: 'loaded'; requestId: number; info: EngineInfo }
  | { type: 'load-failed'; requestId: number; message: string }
  | { type: 'update'; finals: Segment[]; partial: Segment | null; level: number; features: FeatureBlock | null; stats: EngineStats }
  | { type: 'stopped'; finals: Segment[]; stats: EngineStats }
  | { type: 'error'; message: string };

/** Worklet → worker, on the attached port. */
export type AudioPortMessage =
  | { type: 'audio'; sampleRate: number; samples: Float32Array }
  | { type: 'end' };

/** UI → worklet (AudioWorkletNode.port). */
export type UiToWorklet = { type: 'connect'; port: MessagePort } | { type: 'flush' };

/** Worklet → UI (AudioWorkletNode.port): levels for the meter, and the flush acknowledgement. */
export type WorkletToUi = { type: 'level'; rmsDb: number; peak: number } | { type: 'flushed' };

/** Rate the worklet delivers: what the bundled models expect. The engine resamples anything else. */
export const CAPTURE_SAMPLE_RATE = 16_000;
