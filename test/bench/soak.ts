/// <reference types="node" />
/**
 * Soak test: one live stream fed 60 minutes of speech with pauses (the benchmark clips, repeated
 * in a shuffled order, with 0.3–3 s of low noise between them), in blocks as the app's capture
 * delivers them, faster than real time. Reports memory over time, dropped blocks and segments.
 *
 *   npx tsx test/bench/soak.ts [--minutes 60] [--block-ms 10] [--decode-every-ms 100] [--no-lm] [--out PATH]
 *   (npm run soak -- ...)
 *
 * Memory is sampled every simulated minute: RSS and V8 heap, both as found and right after a full
 * garbage collection (retained memory; growth there is a leak, growth in RSS alone may be the
 * collector's slack).
 *
 * Dropped blocks, defined: a block is dropped when its samples never reach the RNN. It is checked
 * by counting: the feature frames the stream returned must equal floor((N − window) / hop) + 1 for
 * the N samples sent, and the RNN steps run must equal what the stacker can make of those frames.
 * Any shortfall, in blocks, is reported (expected: 0). Also reported: the worst lag of the engine
 * behind the simulated real-time clock (a lag that grows would mean audio piling up).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  createEngine,
  type BackendName,
  type Engine,
  type EngineUpdate,
  type LoadedPackage,
} from '../../renderer/engine';
import { CAPTURE_BLOCK_SECONDS } from '../../renderer/worker/protocol';
import { seededRandom } from '../fixtures/make-test-models';
import { loadBenchAudio } from './bench-audio';
import { loadBenchLm, loadBenchModel, REPO } from './bench-model';
import { latencyStats, passByPass } from './streaming-latency';
import { num, textTable } from './text-table';
import { arg } from './args';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

interface Sample {
  minute: number;
  rssMiB: number;
  heapUsedMiB: number;
  heapTotalMiB: number;
  externalMiB: number;
  /** After a full GC: what is really retained. */
  retainedHeapMiB: number;
  retainedRssMiB: number;
  segments: number;
  /** CPU seconds per audio second over this minute. */
  rtfCpu: number;
}

const MiB = 2 ** 20;

/** Least-squares slope of y over x. */
function slope(x: number[], y: number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (x[i] - mx) * (y[i] - my);
    den += (x[i] - mx) ** 2;
  }
  return den > 0 ? num / den : 0;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const minutes = Number(arg(argv, 'minutes') ?? 60);
  const blockMs = Number(arg(argv, 'block-ms') ?? CAPTURE_BLOCK_SECONDS * 1000);
  const decodeEveryMs = Number(arg(argv, 'decode-every-ms') ?? 100);
  const out = resolve(arg(argv, 'out') ?? join(REPO, 'bench-results/soak.json'));
  const backend = (arg(argv, 'backend') ?? 'auto') as BackendName | 'auto';

  const model = await loadBenchModel();
  // speech material to loop over (the set's first ~3 minutes: enough variety, little memory)
  const audio = await loadBenchAudio({ set: arg(argv, 'set'), maxSeconds: 180 });
  const rate = audio.clips[0].sampleRate;
  if (audio.clips.some((c) => c.sampleRate !== rate)) throw new Error('soak: the clips must share one sample rate');
  let lmPkg: LoadedPackage | null = null;
  let lmDescription = 'none';
  if (!argv.includes('--no-lm')) {
    try {
      const lm = await loadBenchLm(arg(argv, 'lm'));
      if (lm) {
        lmPkg = lm.pkg;
        lmDescription = lm.description;
      }
    } catch (e) {
      process.stderr.write(`[soak] no LM: ${(e as Error).message.split('\n')[0]}\n`);
    }
  }
  // the LM runs where the app runs it for this backend (lmBackendFor: 'auto' → wasm-simd where it runs, else js)
  let engine: Engine;
  try {
    engine = await createEngine({ acoustic: model.pkg, lm: lmPkg }, { backend, readable: false });
  } catch (e) {
    process.stderr.write(`[soak] no LM: ${(e as Error).message.split('\n')[0]}\n`);
    lmDescription = 'none';
    engine = await createEngine({ acoustic: model.pkg, lm: null }, { backend, readable: false });
  }
  const features = model.pkg.json.features!;
  const stacking = model.pkg.json.stacking!;
  process.stderr.write(
    `[soak] ${minutes} min, ${blockMs} ms blocks, decode every ${decodeEveryMs} ms; model: ${model.description}; LM: ${lmDescription}; backend ${engine.info.backend}\n`,
  );

  // The audio, made on the fly: clips in a shuffled cycle, pauses of low noise between them.
  const random = seededRandom(42);
  const block = Math.round((rate * blockMs) / 1000);
  const totalBlocks = Math.ceil((minutes * 60 * rate) / block);
  let clip: Float32Array = new Float32Array(0);
  let clipPos = 0;
  let playClipNext = true;
  const blockBuffer = new Float32Array(block);
  const fillBlock = (): Float32Array => {
    let filled = 0;
    while (filled < block) {
      if (clipPos >= clip.length) {
        if (playClipNext) {
          clip = audio.clips[Math.floor(random() * audio.clips.length)].samples;
        } else {
          // a pause: 0.3–3 s of noise at about −60 dBFS
          const pause = new Float32Array(Math.round(rate * (0.3 + 2.7 * random())));
          for (let i = 0; i < pause.length; i++) pause[i] = 0.001 * (random() - 0.5);
          clip = pause;
        }
        playClipNext = !playClipNext;
        clipPos = 0;
      }
      const n = Math.min(block - filled, clip.length - clipPos);
      blockBuffer.set(clip.subarray(clipPos, clipPos + n), filled);
      filled += n;
      clipPos += n;
    }
    return blockBuffer;
  };

  // one live stream, driven pass by pass on the simulated clock: the blocks since the last pass go in as one
  // (what engine.stream's `coalesce` does when the engine is busy)
  const stream = passByPass(engine);
  const pending = new Float32Array(block * Math.max(1, Math.round(decodeEveryMs / blockMs)));
  let pendingLength = 0;
  let samplesAccounted = 0;
  const samples: Sample[] = [];
  let samplesSent = 0;
  let frames = 0;
  let steps = 0;
  let segments = 0;
  let words = 0;
  let lastSegmentEnd = 0;
  let nonMonotonic = 0;
  let errors = 0;
  let maxLagSeconds = 0;
  const passMs: number[] = [];
  let now = 0; // simulated seconds: the engine's clock
  const blocksPerDecode = Math.max(1, Math.round(decodeEveryMs / blockMs));
  const blocksPerMinute = Math.round((60 * rate) / block);
  let cpuMark = process.cpuUsage();
  const wall0 = performance.now();

  const sample = (minute: number): void => {
    const m = process.memoryUsage();
    gc();
    const r = process.memoryUsage();
    const cpu = process.cpuUsage(cpuMark);
    cpuMark = process.cpuUsage();
    samples.push({
      minute,
      rssMiB: m.rss / MiB,
      heapUsedMiB: m.heapUsed / MiB,
      heapTotalMiB: m.heapTotal / MiB,
      externalMiB: m.external / MiB,
      retainedHeapMiB: r.heapUsed / MiB,
      retainedRssMiB: r.rss / MiB,
      segments,
      rtfCpu: (cpu.user + cpu.system) / 1e6 / 60,
    });
  };
  sample(0);

  const handle = (update: EngineUpdate): void => {
    frames += update.features.length;
    steps += update.steps;
    samplesAccounted += update.samples ?? 0;
    for (const s of update.finals) {
      segments++;
      words += s.words.length;
      if (s.start < lastSegmentEnd - 1e-9 || s.end < s.start) nonMonotonic++;
      lastSegmentEnd = s.end;
    }
  };

  for (let b = 0; b < totalBlocks; b++) {
    const x = fillBlock();
    pending.set(x, pendingLength);
    pendingLength += x.length;
    samplesSent += x.length;
    const arrival = ((b + 1) * block) / rate;
    if ((b + 1) % blocksPerDecode === 0 || b === totalBlocks - 1) {
      now = Math.max(now, arrival);
      const t0 = performance.now();
      try {
        handle(await stream.pass({ sampleRate: rate, samples: pending.slice(0, pendingLength) }));
        pendingLength = 0;
      } catch (e) {
        errors++;
        process.stderr.write(`[soak] decode failed: ${(e as Error).message}\n`);
      }
      const ms = performance.now() - t0;
      passMs.push(ms);
      now += ms / 1000;
      maxLagSeconds = Math.max(maxLagSeconds, now - arrival);
    }
    if ((b + 1) % blocksPerMinute === 0) {
      const minute = (b + 1) / blocksPerMinute;
      sample(minute);
      const s = samples[samples.length - 1];
      process.stderr.write(
        `[soak] minute ${minute}: rss ${s.rssMiB.toFixed(1)} MiB, retained heap ${s.retainedHeapMiB.toFixed(1)} MiB, ${segments} segments, RTF ${s.rtfCpu.toFixed(3)}\n`,
      );
    }
  }
  // the last updates (the partial flushed as final) come with the end of the input
  const finalsBefore = stream.finals.length;
  gc();
  const beforeEnd = process.memoryUsage().heapUsed / MiB;
  await stream.end();
  for (const s of stream.finals.slice(finalsBefore))
    handle({ finals: [s], partial: null, features: [], level: -Infinity, steps: 0, samples: 0 });
  const wallSeconds = (performance.now() - wall0) / 1000;
  // what the stream held (its transcript: all final segments, kept by design for their ids), freed when it ended
  stream.finals.length = 0;
  gc();
  const transcriptHeapMiB = beforeEnd - process.memoryUsage().heapUsed / MiB;
  engine.dispose();

  // what the stream should have produced from samplesSent samples
  const expectedFrames =
    samplesSent >= features.windowSize ? Math.floor((samplesSent - features.windowSize) / features.hopSize) + 1 : 0;
  const expectedSteps =
    expectedFrames >= stacking.frames ? Math.floor((expectedFrames - stacking.frames) / stacking.stride) + 1 : 0;
  const lostSamples = samplesSent - samplesAccounted;
  const lostFrames = Math.max(0, expectedFrames - frames);
  const droppedBlocks = Math.ceil(Math.max(lostSamples, lostFrames * features.hopSize) / block);

  const after = samples.slice(1); // minute 0 is before any audio; growth is measured from minute 1
  const growth =
    after.length >= 2
      ? {
          rssMiB: after[after.length - 1].rssMiB - after[0].rssMiB,
          retainedHeapMiB: after[after.length - 1].retainedHeapMiB - after[0].retainedHeapMiB,
          retainedHeapMiBPerHour:
            60 *
            slope(
              after.map((s) => s.minute),
              after.map((s) => s.retainedHeapMiB),
            ),
          retainedRssMiBPerHour:
            60 *
            slope(
              after.map((s) => s.minute),
              after.map((s) => s.retainedRssMiB),
            ),
        }
      : null;
  const result = {
    meta: {
      date: new Date().toISOString(),
      node: process.version,
      command: `tsx test/bench/soak.ts ${argv.join(' ')}`.trim(),
    },
    model: { kind: model.kind, description: model.description },
    lm: lmDescription,
    backend: engine.info.backend,
    audio: { source: audio.source, minutes, blockMs, decodeEveryMs, samplesSent, sampleRate: rate },
    wallSeconds,
    rtfWall: wallSeconds / (samplesSent / rate),
    droppedBlocks,
    accounting: {
      samplesSent,
      samplesAccounted,
      featureFrames: frames,
      expectedFeatureFrames: expectedFrames,
      rnnSteps: steps,
      expectedRnnSteps: expectedSteps,
    },
    maxLagBehindRealTimeSeconds: maxLagSeconds,
    /** Wall-clock milliseconds per decode pass (each covers decodeEveryMs of audio). */
    decodePassMs: latencyStats(passMs),
    decodePassesOver100Ms: passMs.filter((v) => v > 100).length,
    decodeErrors: errors,
    segments,
    words,
    segmentsOutOfOrder: nonMonotonic,
    memoryGrowth: growth,
    /** Heap freed when the stream ends: the final segments the transcript keeps (by design), and the stream's state. */
    transcriptHeapMiB,
    samples,
  };
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(result, null, 2) + '\n');

  const p = (s: string) => process.stdout.write(s + '\n');
  p(
    `Soak: ${minutes} min of audio (${audio.clips.length} clips + pauses), ${blockMs} ms blocks, decode every ${decodeEveryMs} ms, backend ${engine.info.backend}`,
  );
  p(`model: ${model.description}`);
  p(`LM: ${lmDescription}`);
  p('');
  const every = Math.max(1, Math.round(samples.length / 13));
  p(
    textTable(
      ['minute', 'RSS MiB', 'heap used', 'heap total', 'retained heap', 'retained RSS', 'segments', 'CPU RTF'],
      samples
        .filter((_s, i) => i % every === 0 || i === samples.length - 1)
        .map((s) => [
          s.minute,
          num(s.rssMiB, 1),
          num(s.heapUsedMiB, 1),
          num(s.heapTotalMiB, 1),
          num(s.retainedHeapMiB, 1),
          num(s.retainedRssMiB, 1),
          s.segments,
          s.minute === 0 ? '—' : num(s.rtfCpu, 4),
        ]),
    ),
  );
  p('');
  p(
    textTable(
      ['figure', 'value'],
      [
        ['wall time', `${wallSeconds.toFixed(0)} s (RTF ${result.rtfWall.toFixed(4)})`],
        ['dropped blocks', String(droppedBlocks)],
        ['feature frames (expected)', `${frames} (${expectedFrames})`],
        ['RNN steps (expected)', `${steps} (${expectedSteps})`],
        ['worst lag behind real time', `${(1000 * maxLagSeconds).toFixed(0)} ms`],
        [
          'decode pass ms p50 / p95 / max',
          `${num(result.decodePassMs.p50, 1)} / ${num(result.decodePassMs.p95, 1)} / ${num(result.decodePassMs.max, 0)} (${result.decodePassesOver100Ms} of ${passMs.length} over 100 ms)`,
        ],
        ['decode errors', String(errors)],
        ['segments / words', `${segments} / ${words}`],
        ['segments out of order', String(nonMonotonic)],
        ['RSS growth, minute 1 → end', growth ? `${growth.rssMiB.toFixed(1)} MiB` : '—'],
        [
          'retained heap growth, minute 1 → end',
          growth
            ? `${growth.retainedHeapMiB.toFixed(2)} MiB (slope ${growth.retainedHeapMiBPerHour.toFixed(2)} MiB/h)`
            : '—',
        ],
        [
          'of which the transcript (freed when the stream ends)',
          `${transcriptHeapMiB.toFixed(2)} MiB for ${segments} segments`,
        ],
      ],
    ),
  );
  if (model.kind === 'random')
    p('(random stand-in model: segment and word counts are not meaningful; memory and accounting are)');
  p(`wrote ${out}`);
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`soak: ${(e as Error)?.stack ?? e}\n`);
    process.exit(1);
  },
);
