/**
 * Shared fixtures for the engine worker's tests: an EngineSession run in Node that records what it posts, the
 * messages the tests send it most (load, open-package, configure, transcribe-file, microphone audio), test packages
 * as payloads, speech-like audio, and the timeline checks on the final segments a run reports.
 */
import { expect } from 'vitest';
import { createEngine } from '../../../renderer/engine';
import { EngineSession } from '../../../renderer/worker/engine-session';
import type {
  EngineConfig,
  FileAudio,
  PackagePayload,
  ReadablePayloads,
  RecognizerConfig,
  Segment,
  Timeline,
  WorkerToUi,
} from '../../../renderer/worker/protocol';
import { makePhonemeCtcModel, testPackageFiles, type TestModel } from '../../fixtures/make-test-models';

export const config: EngineConfig = { recognizer: { backend: 'reference' }, lmAlpha: null, lmBeta: null };

/** `config` with recognizer settings added (hotwords, a user lexicon, useLm, ...). */
export function withRecognizer(recognizer: Partial<RecognizerConfig>): EngineConfig {
  return { ...config, recognizer: { ...config.recognizer, ...recognizer } };
}

/** The session timeline's start: offset 0 s, first segment id 0. */
export const timeline: Timeline = { offsetSeconds: 0, firstSegmentId: 0 };

export function payload(name: string, model: TestModel): PackagePayload {
  return { name, files: Object.fromEntries(testPackageFiles(model)) };
}

/** A random-weight phoneme CTC acoustic package: 'a' (seed 13) is the one most tests load, 'b' (seed 14) a swap. */
export function phonemes(name = 'a', seed = 13): PackagePayload {
  return payload(name, makePhonemeCtcModel({ seed }));
}

/** Speech-like bursts with pauses, 16 kHz unless said. */
export function babble(seconds: number, rate = 16000): Float32Array {
  const x = new Float32Array(Math.round(seconds * rate));
  for (let i = 0; i < x.length; i++) {
    const t = i / rate;
    const burst = Math.floor(t * 4) % 3 !== 2 ? 1 : 0;
    x[i] = burst * (0.3 * Math.sin(2 * Math.PI * 120 * t) + 0.1 * Math.sin(2 * Math.PI * 370 * t));
  }
  return x;
}

/** Every final segment the session reported, in order. */
export function finalsOf(messages: WorkerToUi[]): Segment[] {
  return messages.flatMap((m) => (m.type === 'update' || m.type === 'stopped' ? m.finals : []));
}

/**
 * The finals sit on the session timeline: at least `atLeast` of them, ids unique and from `firstId` on, starts in
 * order, every segment within [from, to] seconds.
 */
export function expectOnTimeline(
  finals: Segment[],
  { atLeast, firstId, from, to }: { atLeast: number; firstId: number; from: number; to: number },
): void {
  expect(finals.length).toBeGreaterThanOrEqual(atLeast);
  expect(new Set(finals.map((s) => s.id)).size).toBe(finals.length);
  for (let i = 1; i < finals.length; i++) expect(finals[i].start).toBeGreaterThanOrEqual(finals[i - 1].start);
  for (const s of finals) {
    expect(s.id).toBeGreaterThanOrEqual(firstId);
    expect(s.start).toBeGreaterThanOrEqual(from);
    expect(s.end).toBeLessThanOrEqual(to);
  }
}

/** What a 'load' message carries besides its acoustic package; the defaults: no LM, `config`, no readable packages. */
export interface LoadOptions {
  lm?: PackagePayload | null;
  config?: EngineConfig;
  readable?: ReadablePayloads;
}

/** An EngineSession on `create` (the real createEngine unless said) that records every message it posts. */
export function setup(create: typeof createEngine = createEngine) {
  const messages: WorkerToUi[] = [];
  const session = new EngineSession((m) => messages.push(m), create, {
    yieldToEvents: () => new Promise((r) => setTimeout(r, 0)),
  });
  /** The messages of this type posted so far, in order. */
  const of = <T extends WorkerToUi['type']>(type: T) =>
    messages.filter((m): m is Extract<WorkerToUi, { type: T }> => m.type === type);
  /** Waits until `done()` holds, looking every millisecond. */
  const until = async (done: () => boolean) => {
    while (!done()) await new Promise((r) => setTimeout(r, 1));
  };
  /** The first load (request 1). */
  const load = (acoustic: PackagePayload = phonemes(), options: LoadOptions = {}) =>
    session.handle({
      type: 'load',
      requestId: 1,
      acoustic,
      lm: options.lm ?? null,
      config: options.config ?? config,
      ...(options.readable && { readable: options.readable }),
    });
  const openPackage = (requestId: number, pkg: PackagePayload, cfg = config) =>
    session.handle({ type: 'open-package', requestId, pkg, config: cfg });
  const configure = (requestId: number, cfg: EngineConfig) =>
    session.handle({ type: 'configure', requestId, config: cfg });
  /** An import: mono 16 kHz samples, or any FileAudio. */
  const transcribe = (requestId: number, audio: Float32Array | FileAudio, at: Timeline = timeline) =>
    session.handle({
      type: 'transcribe-file',
      requestId,
      audio: audio instanceof Float32Array ? { kind: 'pcm', sampleRate: 16000, channels: [audio] } : audio,
      timeline: at,
    });
  /** Microphone audio: samples [start, end) of `audio` in blocks of `blockSize`, each awaited; then 20 ms. */
  const push = async (audio: Float32Array, start: number, end: number, blockSize: number) => {
    for (let i = start; i < end; i += blockSize)
      await session.handle({ type: 'audio', sampleRate: 16000, samples: audio.slice(i, Math.min(end, i + blockSize)) });
    await new Promise((r) => setTimeout(r, 20));
  };
  /** Imports `seconds` of babble as request `requestId`, cancels it once its first progress came, waits for its end. */
  const cancelAfterFirstProgress = async (requestId: number, seconds: number) => {
    const job = transcribe(requestId, babble(seconds));
    await until(() => of('file-progress').length > 0);
    await session.handle({ type: 'cancel-file', requestId });
    await job;
  };
  return {
    session,
    messages,
    of,
    until,
    load,
    openPackage,
    configure,
    transcribe,
    push,
    cancelAfterFirstProgress,
  };
}
