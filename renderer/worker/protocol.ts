/**
 * Messages between the UI thread and the engine worker, and between the capture worklet and the
 * worker. All are structured-cloneable; sample and feature buffers are transferred, not copied.
 *
 *   UI ──load──────────▶ worker ──loaded | load-failed──▶ UI   (both packages: start-up, "use bundled")
 *   UI ──open-package──▶ worker ──loaded | load-failed──▶ UI   (one package; its kind picks the slot)
 *   UI ──configure─────▶ worker ──loaded | load-failed──▶ UI   (settings changed: same packages, new config)
 *   UI ──attach-audio──▶ worker          (a MessagePort whose other end is the capture worklet)
 *   UI ──start─────────▶ worker          (new microphone stream on the session timeline; counters reset)
 *   worklet ──audio…──▶ worker ──update…──▶ UI   (one update per decode pass; passes coalesce under load)
 *   worklet ──end─────▶ worker ──stopped──▶ UI   (flush: the partial becomes final)
 *   UI ──stop──────────▶ worker          (fallback when the worklet is gone, e.g. device unplugged)
 *   UI ──audio─────────▶ worker          (audio pushed by the UI: tests)
 *   UI ──transcribe-file▶ worker ──update… file-progress…──▶ UI ──stopped──▶ UI
 *   UI ──cancel-file───▶ worker          (the file stream ends early; what was heard becomes final)
 *   UI ──probe-backends▶ worker ──backends──▶ UI
 *
 * A successful load/open/configure while a stream runs swaps models live: the old stream is
 * finished (its partial becomes final) and a new one continues on the same timeline. A failed one
 * changes nothing: the current model keeps working.
 */
import type { DecodedWord, EngineParams, PackageDescription, Segment, WordAlternative } from '../engine';

export type { DecodedWord, PackageDescription, Segment, WordAlternative };

/** The engine parameters the UI sets (the LM weights travel as lmAlpha/lmBeta; the block size is the worker's). */
export type RecognizerConfig = Omit<EngineParams, 'lmWeights' | 'blockSeconds'>;

/** A model package as bytes: a folder's files, or a .zip (unpacked in the worker, off the UI thread). */
export type PackagePayload = { name: string; files: Record<string, Uint8Array> } | { name: string; zip: Uint8Array };

/** The readable-text packages: punctuation and capitals (kind 'punctuation'), spelled guesses (kind 'spelling'). */
export interface ReadablePayloads {
  punct: PackagePayload | null;
  spell: PackagePayload | null;
  /** Letters → phonemes (kind 'spelling', direction 'g2p'): proposes pronunciations (lexiconProblems[].proposal). */
  g2p?: PackagePayload | null;
}

/** What the UI asks of the engine, besides the packages. */
export interface EngineConfig {
  /** Overrides of the engine's defaults (filled in by the worker, so the UI bundle never imports the engine). */
  recognizer: Partial<RecognizerConfig>;
  /** Shallow-fusion weights replacing the LM package's tuned alpha/beta; null = the package's. */
  lmAlpha: number | null;
  lmBeta: number | null;
}

export interface EngineInfo {
  backend: string;
  acoustic: PackageDescription;
  lm: PackageDescription | null;
  /** Whether the LM rescores hypotheses now (present, switched on, scorer built). */
  lmActive: boolean;
  /** The backend the LM runs on ('wasm-simd', 'js', ...: lmBackendFor); null without an LM scorer. */
  lmBackend: string | null;
  /** The shallow-fusion weights in use (the package's tuned ones unless overridden); null without LM. */
  lmWeights: { alpha: number; beta: number } | null;
  /** Why a present LM is not in use, or why it failed to load; null when all is well. */
  lmNote: string | null;
  /** The readable-text models in use (punctuation, spelling); empty with Settings' raw words or without them. */
  readable?: { punctuation: string | null; spelling: string | null; note: string | null };
  /** Hotwords whose words are not in the lexicon (they cannot be recognised until given a pronunciation). */
  unknownHotwords: string[];
  /** Lexicon words without a usable pronunciation. */
  unknownWords: string[];
  /**
   * The lines of Settings → Pronunciations that were not used, with their 1-based line number and
   * the reason (checkUserLexicon): a word without a pronunciation, lower-case or unknown phonemes.
   */
  lexiconProblems: Array<{
    line: number;
    text: string;
    reason: string;
    /** For a word without a pronunciation: the letters → phonemes model's guess, 'PH PH …'. */ proposal?: string;
  }>;
}

/** Where a stream's segments land on the session's timeline. */
export interface Timeline {
  /** Added to every time the stream reports: audio of earlier runs in this session. */
  offsetSeconds: number;
  /** Id of the stream's first segment: ids stay unique across runs and model swaps. */
  firstSegmentId: number;
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

/** An imported file's audio: WAV bytes (decoded in the worker by the engine's WAV reader), or PCM decoded already. */
export type FileAudio =
  { kind: 'wav'; bytes: Uint8Array } | { kind: 'pcm'; sampleRate: number; channels: Float32Array[] };

export type StreamSource = 'microphone' | 'file';

/** Which package a successful load replaced. */
export type LoadedSlot = 'both' | 'acoustic' | 'lm' | 'config';

export type UiToWorker =
  | {
      type: 'load';
      requestId: number;
      acoustic: PackagePayload;
      lm: PackagePayload | null;
      config: EngineConfig;
      readable?: ReadablePayloads;
    }
  | { type: 'open-package'; requestId: number; pkg: PackagePayload; config: EngineConfig }
  | { type: 'configure'; requestId: number; config: EngineConfig }
  | { type: 'attach-audio'; port: MessagePort }
  | { type: 'start'; timeline: Timeline }
  | { type: 'audio'; sampleRate: number; samples: Float32Array }
  | { type: 'stop' }
  | { type: 'transcribe-file'; requestId: number; audio: FileAudio; timeline: Timeline }
  | { type: 'cancel-file'; requestId: number }
  | { type: 'probe-backends'; requestId: number };

export type WorkerToUi =
  | { type: 'loaded'; requestId: number; slot: LoadedSlot; info: EngineInfo }
  | { type: 'load-failed'; requestId: number; message: string }
  | {
      type: 'update';
      finals: Segment[];
      partial: Segment | null;
      level: number;
      features: FeatureBlock | null;
      stats: EngineStats;
    }
  | { type: 'file-progress'; requestId: number; processedSeconds: number; totalSeconds: number }
  | { type: 'file-failed'; requestId: number; message: string }
  | {
      type: 'stopped';
      source: StreamSource;
      requestId: number | null;
      cancelled: boolean;
      finals: Segment[];
      stats: EngineStats;
    }
  | { type: 'backends'; requestId: number; backends: string[] }
  | { type: 'error'; message: string };

/** Worklet → worker, on the attached port. */
export type AudioPortMessage = { type: 'audio'; sampleRate: number; samples: Float32Array } | { type: 'end' };

/** UI → worklet (AudioWorkletNode.port). */
export type UiToWorklet = { type: 'connect'; port: MessagePort } | { type: 'flush' };

/** Worklet → UI (AudioWorkletNode.port): levels for the meter, and the flush acknowledgement. */
export type WorkletToUi = { type: 'level'; rmsDb: number; peak: number } | { type: 'flushed' };

/**
 * Rate of the audio the app hands the engine, the worklet's blocks and decodeAudioData's output for an imported
 * file alike: what the bundled models expect. The engine resamples anything else.
 */
export const INPUT_SAMPLE_RATE = 16_000;

/**
 * Audio the worklet buffers before each post to the engine (100 posts/s). Shorter blocks reach the
 * engine sooner: against 20 ms blocks, the first partial after speech onset comes 5 ms sooner on
 * average (mean 118 -> 113 ms, p95 191 -> 181 ms, 300 held-out clips, test/bench/first-partial.ts)
 * for the same CPU time, since a pass without a new RNN step is cheap. The soak and the bench's
 * latency figures stream in blocks of this size; its per-stage RTF uses the CLI's 100 ms blocks.
 */
export const CAPTURE_BLOCK_SECONDS = 0.01;
