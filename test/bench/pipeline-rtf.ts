/**
 * Real-time factor of each pipeline stage and of the whole pipeline, for one backend: every clip
 * is streamed through a recognizer stream in 100 ms blocks (as the CLI does), and the stream's own
 * stage timers (RecognizerStream.stageTimes) run on this process's CPU clock. The LM scorer, when
 * one is given, is wrapped so that its share of the decoder's time is counted apart.
 *
 *   RTF = seconds of CPU (or wall clock) / seconds of audio; < 1 is faster than real time.
 *
 * CPU time is what "on one core" means and is steadier on a shared machine; wall time is also
 * given (it includes waiting for the core when other jobs run).
 */
import type { LoadedPackage } from '../../models/package/load-package';
import type { BackendName } from '../../models/rnn/backend';
import type { Scorer } from '../../models/language/scorer';
import { countErrors, addCounts, ZERO_COUNTS, type ErrorCounts } from '../../renderer/engine/metrics/error-rate';
import { createRecognizer, defaultRecognizerConfig, type Recognizer } from '../../renderer/engine/pipeline/recognizer';
import type { BenchClip } from './bench-audio';

/** Milliseconds of CPU time used by this process so far (all its threads). */
export function cpuClockMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

export interface StageRtf {
  /** 'js', 'webasm', ...; '+lm' when the LM scorer ran. */
  label: string;
  backend: BackendName | 'auto';
  /** Resampling + features + normalisation + stacking (CPU). */
  features: number;
  /** RNN forward (CPU). */
  acoustic: number;
  /** CTC beam search + endpointing, LM excluded (CPU). */
  decoder: number;
  /** LM scorer calls (CPU); null without an LM. */
  lm: number | null;
  /** Everything, acceptWaveform to finish (CPU). */
  wholeCpu: number;
  /** Everything, wall clock. */
  wholeWall: number;
  audioSeconds: number;
  /** Word errors against the clips' texts (meaningless for a random stand-in model). */
  errors: ErrorCounts;
  wer: number;
  /** The decoded text of each clip, for comparisons. */
  hypotheses: string[];
}

/** A Scorer that forwards to `inner` and adds its CPU time to `spent.ms`. */
export function timedScorer(inner: Scorer, spent: { ms: number }): Scorer {
  const timed: Scorer = {
    alpha: inner.alpha,
    beta: inner.beta,
    start: () => inner.start(),
    score: async (requests) => {
      const t0 = cpuClockMs();
      try {
        return await inner.score(requests);
      } finally {
        spent.ms += cpuClockMs() - t0;
      }
    },
  };
  if (inner.scoreEnd) {
    const scoreEnd = inner.scoreEnd.bind(inner);
    timed.scoreEnd = async (contexts) => {
      const t0 = cpuClockMs();
      try {
        return await scoreEnd(contexts);
      } finally {
        spent.ms += cpuClockMs() - t0;
      }
    };
  }
  return timed;
}

/** Streams every clip through a fresh stream of `recognizer` in blocks of `blockSeconds`; returns the texts. */
export async function streamClips(recognizer: Recognizer, clips: readonly BenchClip[], blockSeconds = 0.1): Promise<{ texts: string[]; stage: { featuresMs: number; acousticMs: number; decoderMs: number } }> {
  const stage = { featuresMs: 0, acousticMs: 0, decoderMs: 0 };
  const texts: string[] = [];
  for (const clip of clips) {
    const stream = recognizer.createStream();
    const block = Math.max(1, Math.round(clip.sampleRate * blockSeconds));
    for (let i = 0; i < clip.samples.length; i += block) {
      stream.acceptWaveform(clip.sampleRate, clip.samples.subarray(i, Math.min(clip.samples.length, i + block)));
      await stream.decode();
    }
    await stream.finish();
    texts.push(stream.finals().map((s) => s.text).join(' '));
    stage.featuresMs += stream.stageTimes.featuresMs;
    stage.acousticMs += stream.stageTimes.acousticMs;
    stage.decoderMs += stream.stageTimes.decoderMs;
  }
  return { texts, stage };
}

export interface MeasureOptions {
  /** The LM package and a Scorer factory (the LM module's createLmScorer); both or neither. */
  lm?: { pkg: LoadedPackage; makeScorer: (pkg: LoadedPackage) => Promise<Scorer & { dispose?(): void }> } | null;
  label?: string;
}

/** Measures one backend over all clips (after one untimed warm-up clip: JIT, kernel compiles). */
export async function measureStages(acoustic: LoadedPackage, backend: BackendName, clips: readonly BenchClip[], options: MeasureOptions = {}): Promise<StageRtf> {
  const lmSpent = { ms: 0 };
  const scorer = options.lm ? await options.lm.makeScorer(options.lm.pkg) : null;
  const recognizer = await createRecognizer(
    acoustic,
    options.lm?.pkg ?? null,
    { ...defaultRecognizerConfig(), backend, useLm: scorer !== null },
    { scorer: scorer ? timedScorer(scorer, lmSpent) : null, clock: cpuClockMs },
  );
  try {
    await streamClips(recognizer, clips.slice(0, 1));
    lmSpent.ms = 0;
    const audioSeconds = clips.reduce((s, c) => s + c.seconds, 0);
    const wall0 = performance.now();
    const cpu0 = cpuClockMs();
    const { texts, stage } = await streamClips(recognizer, clips);
    const wholeCpu = (cpuClockMs() - cpu0) / 1000 / audioSeconds;
    const wholeWall = (performance.now() - wall0) / 1000 / audioSeconds;
    let errors = ZERO_COUNTS;
    texts.forEach((t, i) => { errors = addCounts(errors, countErrors(t, clips[i].text)); });
    const rtf = (ms: number) => ms / 1000 / audioSeconds;
    return {
      label: options.label ?? backend,
      backend,
      features: rtf(stage.featuresMs),
      acoustic: rtf(stage.acousticMs),
      decoder: rtf(stage.decoderMs - lmSpent.ms),
      lm: scorer ? rtf(lmSpent.ms) : null,
      wholeCpu,
      wholeWall,
      audioSeconds,
      errors,
      wer: errors.words > 0 ? errors.wordErrors / errors.words : 0,
      hypotheses: texts,
    };
  } finally {
    recognizer.dispose();
    scorer?.dispose?.();
  }
}
