/**
 * Streaming latency, on a simulated real-time clock: block i of a clip "arrives" when its last
 * sample would have been captured (t = (i+1)·blockSeconds); the engine works as the app's worker
 * does: when idle, it takes every block that has arrived, accepts them and runs one decode() pass.
 * A pass's duration is its measured wall-clock time, so queueing behind a slow pass is counted.
 * Nothing waits for real: the simulated clock jumps, which makes the run faster than real time.
 *
 *   block latency     arrival of a block → end of the pass that consumed it (every block)
 *   partial latency   the same, for passes that changed the displayed text (partial or finals),
 *                     measured from the newest block in the pass: the block that completed the change
 *   first partial     speech onset (measured from the audio) → end of the first pass after it that
 *                     changed the displayed text. Word-granular: the partial shows whole words,
 *                     so this includes the time to say the first word.
 *   word              the end of a word in the audio (the decoder's time of its last phoneme) → the
 *                     end of the pass that first displayed it: how long after a word is said it shows
 */
import type { Recognizer } from '../../renderer/engine/pipeline/recognizer';
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
  word: LatencyStats;
  /** Raw partial latencies (ms), for the chart. */
  partialSamples: number[];
}

export function latencyStats(values: readonly number[]): LatencyStats {
  if (values.length === 0) return { count: 0, p50: NaN, p95: NaN, max: NaN, mean: NaN };
  const s = [...values].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))];
  return { count: s.length, p50: q(0.5), p95: q(0.95), max: s[s.length - 1], mean: s.reduce((a, b) => a + b, 0) / s.length };
}

export async function measureStreamingLatency(recognizer: Recognizer, clips: readonly BenchClip[], blockSeconds: number): Promise<StreamingLatency> {
  const blockLatencies: number[] = [];
  const partialLatencies: number[] = [];
  const firstPartial: number[] = [];
  const wordLatencies: number[] = [];
  let passes = 0;
  let coalesced = 0;
  for (const clip of clips) {
    const stream = recognizer.createStream();
    const block = Math.max(1, Math.round(clip.sampleRate * blockSeconds));
    const starts: number[] = [];
    for (let i = 0; i < clip.samples.length; i += block) starts.push(i);
    const arrival = (b: number) => Math.min(clip.samples.length, starts[b] + block) / clip.sampleRate;
    let now = 0;           // simulated seconds since the clip started
    let next = 0;          // first block not yet consumed
    let shown = '';
    let wordsShown = 0;
    let firstAfterOnsetDone = false;
    while (next < starts.length) {
      now = Math.max(now, arrival(next));
      const first = next;
      while (next < starts.length && arrival(next) <= now) next++;
      coalesced += next - first - 1;
      const t0 = performance.now();
      for (let b = first; b < next; b++) {
        stream.acceptWaveform(clip.sampleRate, clip.samples.subarray(starts[b], Math.min(clip.samples.length, starts[b] + block)));
      }
      const update = await stream.decode();
      now += (performance.now() - t0) / 1000;
      passes++;
      for (let b = first; b < next; b++) blockLatencies.push(1000 * (now - arrival(b)));
      const text = [...stream.finals().map((s) => s.text), update.partial?.text ?? ''].join(' ').trim();
      const words = [...stream.finals().flatMap((s) => s.words), ...(update.partial?.words ?? [])];
      for (let w = wordsShown; w < words.length; w++) wordLatencies.push(1000 * (now - words[w].end));
      wordsShown = Math.max(wordsShown, words.length);
      if (text !== shown) {
        shown = text;
        partialLatencies.push(1000 * (now - arrival(next - 1)));
        if (!firstAfterOnsetDone && arrival(next - 1) > clip.onsetSeconds) {
          firstPartial.push(1000 * (now - clip.onsetSeconds));
          firstAfterOnsetDone = true;
        }
      }
    }
    await stream.finish();
  }
  return {
    blockMs: blockSeconds * 1000,
    passes,
    coalescedBlocks: coalesced,
    block: latencyStats(blockLatencies),
    partial: latencyStats(partialLatencies),
    firstPartialAfterOnset: latencyStats(firstPartial),
    word: latencyStats(wordLatencies),
    partialSamples: partialLatencies,
  };
}
