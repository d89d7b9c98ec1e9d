/**
 * Streaming latency, on a simulated real-time clock: block i of a clip "arrives" when its last
 * sample would have been captured (t = (i+1)·blockSeconds); the engine works as the app's worker
 * does (engine.stream with `coalesce`): when idle, it takes every block that has arrived and runs them
 * through the pipeline as one pass (one update).
 * A pass's duration is its measured wall-clock time, so queueing behind a slow pass is counted.
 * Nothing waits for real: the simulated clock jumps, which makes the run faster than real time.
 *
 *   block latency     arrival of a block → end of the pass that consumed it (every block)
 *   partial latency   the same, for passes that changed the displayed text (partial or finals),
 *                     measured from the newest block in the pass: the block that completed the change
 *   first partial     speech onset (measured from the audio) → end of the first pass, among those
 *                     that consumed audio past the onset, after which any text is displayed (the
 *                     partial's tentative word counts: it is what the user sees first). A clip whose
 *                     text appeared before its onset (noise decoded as words) is left out of the
 *                     figure and counted in `textBeforeOnset`, so it cannot flatter it.
 *   word              the end of a word in the audio (the decoder's time of its last phoneme) → the
 *                     end of the pass that first displayed it as a settled word (tentative words,
 *                     the one still being spoken, do not count): how long after a word is said it shows
 *   first word kept   clips whose first displayed word is the first word of the final transcript
 *                     (the first tentative guess is often revised; that is what it is for)
 */
import { Subject } from 'rxjs';
import type { AudioBlock, Engine, EngineUpdate, Segment } from '../../renderer/engine';
import type { BenchClip } from './bench-audio';

export interface LatencyStats {
  count: number;
  p50: number;
  p95: number;
  max: number;
  mean: number;
}

export interface StreamingLatency {
  blockMs: number;
  /** decode() passes run. */
  passes: number;
  /** Blocks that arrived while a pass ran and waited for the next one. */
  coalescedBlocks: number;
  /** Milliseconds. */
  block: LatencyStats;
  partial: LatencyStats;
  firstPartialAfterOnset: LatencyStats;
  /** Clips whose text appeared before the speech onset (left out of firstPartialAfterOnset). */
  textBeforeOnset: number;
  /** Clips whose first displayed word is also the first word of their final transcript. */
  firstWordKept: number;
  clips: number;
  word: LatencyStats;
  /** Raw partial latencies (ms), for the chart. */
  partialSamples: number[];
  /** Each clip's final transcript, in clip order. */
  finals: string[];
}

export function latencyStats(values: readonly number[]): LatencyStats {
  if (values.length === 0) return { count: 0, p50: NaN, p95: NaN, max: NaN, mean: NaN };
  const s = [...values].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))];
  return {
    count: s.length,
    p50: q(0.5),
    p95: q(0.95),
    max: s[s.length - 1],
    mean: s.reduce((a, b) => a + b, 0) / s.length,
  };
}

/**
 * One stream of `engine` driven pass by pass: pass(block) sends it and resolves with its update; end()
 * completes the input and resolves once the last updates (the partial flushed as final) are out.
 */
export function passByPass(engine: Engine): {
  pass(block: AudioBlock): Promise<EngineUpdate>;
  end(): Promise<void>;
  finals: Segment[];
} {
  const input = new Subject<AudioBlock>();
  const finals: Segment[] = [];
  let waiting: { resolve(u: EngineUpdate): void; reject(e: unknown): void } | null = null;
  let failure: Error | null = null;
  const ended = new Promise<void>((resolve, reject) => {
    engine.stream(input).subscribe({
      next: (u) => {
        finals.push(...u.finals);
        const w = waiting;
        waiting = null;
        w?.resolve(u);
      },
      error: (e: unknown) => {
        const error = e instanceof Error ? e : new Error(String(e));
        failure = error;
        waiting?.reject(error);
        reject(error);
      },
      complete: resolve,
    });
  });
  ended.catch(() => undefined);
  return {
    finals,
    pass: (block) =>
      new Promise<EngineUpdate>((resolve, reject) => {
        if (failure !== null) return reject(failure);
        waiting = { resolve, reject };
        input.next(block);
      }),
    end: () => {
      input.complete();
      return ended;
    },
  };
}

function joined(
  samples: Float32Array,
  starts: readonly number[],
  first: number,
  next: number,
  block: number,
): Float32Array {
  return samples.subarray(starts[first], Math.min(samples.length, starts[next - 1] + block));
}

export async function measureStreamingLatency(
  engine: Engine,
  clips: readonly BenchClip[],
  blockSeconds: number,
): Promise<StreamingLatency> {
  const blockLatencies: number[] = [];
  const partialLatencies: number[] = [];
  const firstPartial: number[] = [];
  const wordLatencies: number[] = [];
  let passes = 0;
  let coalesced = 0;
  let textBeforeOnset = 0;
  let firstWordKept = 0;
  const finals: string[] = [];
  for (const clip of clips) {
    const stream = passByPass(engine);
    const block = Math.max(1, Math.round(clip.sampleRate * blockSeconds));
    const starts: number[] = [];
    for (let i = 0; i < clip.samples.length; i += block) starts.push(i);
    const arrival = (b: number) => Math.min(clip.samples.length, starts[b] + block) / clip.sampleRate;
    let now = 0; // simulated seconds since the clip started
    let next = 0; // first block not yet consumed
    let shown = '';
    let wordsShown = 0;
    let firstAfterOnsetDone = false;
    let firstWord: string | null = null;
    while (next < starts.length) {
      now = Math.max(now, arrival(next));
      const first = next;
      while (next < starts.length && arrival(next) <= now) next++;
      coalesced += next - first - 1;
      const t0 = performance.now();
      // the blocks that arrived while the engine was busy go through as one (engine.stream's `coalesce`)
      const update = await stream.pass({
        sampleRate: clip.sampleRate,
        samples: joined(clip.samples, starts, first, next, block),
      });
      now += (performance.now() - t0) / 1000;
      passes++;
      for (let b = first; b < next; b++) blockLatencies.push(1000 * (now - arrival(b)));
      const text = [...stream.finals.map((s) => s.text), update.partial?.text ?? ''].join(' ').trim();
      const settled = [
        ...stream.finals.flatMap((s) => s.words),
        ...(update.partial?.words ?? []).filter((w) => !w.tentative),
      ];
      for (let w = wordsShown; w < settled.length; w++) wordLatencies.push(1000 * (now - settled[w].end));
      wordsShown = Math.max(wordsShown, settled.length);
      if (text !== shown) {
        shown = text;
        partialLatencies.push(1000 * (now - arrival(next - 1)));
      }
      if (!firstAfterOnsetDone && text !== '') {
        firstAfterOnsetDone = true;
        firstWord = text.split(' ')[0];
        if (arrival(next - 1) > clip.onsetSeconds) firstPartial.push(1000 * (now - clip.onsetSeconds));
        else textBeforeOnset++;
      }
    }
    await stream.end();
    finals.push(stream.finals.map((s) => s.text).join(' '));
    const finalFirst = stream.finals.find((s) => s.words.length > 0)?.words[0].word ?? null;
    if (firstWord !== null && firstWord === finalFirst) firstWordKept++;
  }
  return {
    blockMs: blockSeconds * 1000,
    passes,
    coalescedBlocks: coalesced,
    block: latencyStats(blockLatencies),
    partial: latencyStats(partialLatencies),
    firstPartialAfterOnset: latencyStats(firstPartial),
    textBeforeOnset,
    firstWordKept,
    clips: clips.length,
    word: latencyStats(wordLatencies),
    partialSamples: partialLatencies,
    finals,
  };
}
