/**
 * Real-time factor of each pipeline stage and of the whole pipeline, for one backend: every clip
 * is streamed through the engine's pipeline in 100 ms blocks (engine.streamBlocks, as the CLI does), and
 * the stream's own stage timers (StageTimes) run on this process's CPU clock. The LM scorer, when
 * one is given, is wrapped (EngineOptions.wrapScorer) so that its share of the decoder's time is counted apart.
 *
 *   RTF = seconds of CPU (or wall clock) / seconds of audio; < 1 is faster than real time.
 *
 * CPU time is what "on one core" means and is steadier on a shared machine; wall time is also
 * given (it includes waiting for the core when other jobs run).
 */
import { lastValueFrom, reduce } from 'rxjs';
import {
  addCounts,
  audioBlocks,
  countErrors,
  createEngine,
  zeroStageTimes,
  ZERO_COUNTS,
  type BackendName,
  type Engine,
  type ErrorCounts,
  type LoadedPackage,
  type Scorer,
  type Segment,
} from '../../renderer/engine';
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
  /**
   * Everything, acceptWaveform to finish (CPU), from a second pass as the app and the CLI run: no
   * per-stage CPU clock (process.cpuUsage at every block and stage costs ~0.004-0.01 RTF by itself).
   */
  wholeCpu: number;
  /** Everything, wall clock (the second pass). */
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

/** Streams every clip through a stream of its own of `engine` in blocks of `blockSeconds`; returns the texts. */
export async function streamClips(
  engine: Engine,
  clips: readonly BenchClip[],
  blockSeconds = 0.1,
): Promise<{ texts: string[]; stage: { featuresMs: number; acousticMs: number; decoderMs: number } }> {
  const times = zeroStageTimes();
  const texts: string[] = [];
  for (const clip of clips) {
    const finals = await lastValueFrom(
      engine
        .streamBlocks(audioBlocks(clip.samples, clip.sampleRate, blockSeconds), { times })
        .pipe(reduce((all: Segment[], u) => (all.push(...u.finals), all), [])),
    );
    texts.push(finals.map((s) => s.text).join(' '));
  }
  return { texts, stage: { featuresMs: times.featuresMs, acousticMs: times.acousticMs, decoderMs: times.decoderMs } };
}

export interface MeasureOptions {
  /** The LM package (the engine makes its scorer, on the backend lmBackendFor picks). */
  lm?: { pkg: LoadedPackage } | null;
  label?: string;
}

/**
 * Measures one backend over all clips (after one untimed warm-up clip: JIT, kernel compiles): the stages
 * with CPU clocks around each, then the whole pipeline again in a pass of its own without them.
 */
export async function measureStages(
  acoustic: LoadedPackage,
  backend: BackendName,
  clips: readonly BenchClip[],
  options: MeasureOptions = {},
): Promise<StageRtf> {
  const lmSpent = { ms: 0 };
  const engine = await createEngine(
    { acoustic, lm: options.lm?.pkg ?? null },
    { backend, readable: false },
    { wrapScorer: (scorer) => timedScorer(scorer, lmSpent), clock: cpuClockMs },
  );
  const withLm = engine.info.lmName !== null;
  try {
    await streamClips(engine, clips.slice(0, 1));
    lmSpent.ms = 0;
    const audioSeconds = clips.reduce((s, c) => s + c.seconds, 0);
    const { texts, stage } = await streamClips(engine, clips);
    const { wholeCpu, wholeWall } = await measureWhole(acoustic, backend, clips, options, audioSeconds);
    let errors = ZERO_COUNTS;
    texts.forEach((t, i) => {
      errors = addCounts(errors, countErrors(t, clips[i].text));
    });
    const rtf = (ms: number) => ms / 1000 / audioSeconds;
    return {
      label: options.label ?? backend,
      backend,
      features: rtf(stage.featuresMs),
      acoustic: rtf(stage.acousticMs),
      decoder: rtf(stage.decoderMs - lmSpent.ms),
      lm: withLm ? rtf(lmSpent.ms) : null,
      wholeCpu,
      wholeWall,
      audioSeconds,
      errors,
      wer: errors.words > 0 ? errors.wordErrors / errors.words : 0,
      hypotheses: texts,
    };
  } finally {
    engine.dispose();
  }
}

/** CPU and wall RTF of the whole pipeline with the engine's own (cheap) stage clock, after a warm-up clip. */
async function measureWhole(
  acoustic: LoadedPackage,
  backend: BackendName,
  clips: readonly BenchClip[],
  options: MeasureOptions,
  audioSeconds: number,
): Promise<{ wholeCpu: number; wholeWall: number }> {
  const engine = await createEngine({ acoustic, lm: options.lm?.pkg ?? null }, { backend, readable: false });
  try {
    await streamClips(engine, clips.slice(0, 1));
    const wall0 = performance.now();
    const cpu0 = cpuClockMs();
    await streamClips(engine, clips);
    return {
      wholeCpu: (cpuClockMs() - cpu0) / 1000 / audioSeconds,
      wholeWall: (performance.now() - wall0) / 1000 / audioSeconds,
    };
  } finally {
    engine.dispose();
  }
}
