/// <reference types="node" />
/**
 * What RxJS costs per token: the same stages run twice over the same audio, once as the engine runs them
 * (recognize(): the operators piped, one update per block) and once as a plain loop calling the same stage
 * classes (Resampler is the identity here; Featurizer → Normalizer → Stacker → RNN → Transcriber). The RNN is
 * a stand-in that costs nothing (it answers blank for every step) and the decoder is the greedy one, so what is
 * left to compare is the machinery: Observables, operator subscribers, concatMap, the block objects. The
 * stand-in answers with a Promise, as the real stacks do (--sync: synchronously, as a test double can).
 *
 *   npx tsx test/bench/rx-overhead.ts [--seconds 60] [--block-ms 10] [--rounds 5] [--sync]
 *
 * Prints µs per block and per token (feature frame; and per RNN step) for both, and the difference.
 */
import { from, lastValueFrom, reduce } from 'rxjs';
import {
  audioBlocks,
  featureSize,
  Featurizer,
  GreedyDecoder,
  defaultEndpointConfig,
  Normalizer,
  recognize,
  Stacker,
  Transcriber,
  type CtcOutputSpec,
  type FeatureSpec,
  type StepModel,
} from '../../renderer/engine';
import { testFeatureSpec, TEST_STACKING } from '../fixtures/make-test-models';
import { arg } from './args';

// the acoustic test models' features (40 log-mel bands, 10 ms hop, 3 frames a step), without dither
const SPEC: FeatureSpec = { ...testFeatureSpec(), dither: 0 };
const STACKING = TEST_STACKING;
const ALPHABET = ['_', ' ', ...'abcdefghijklmnopqrstuvwxyz'];
const OUTPUT: CtcOutputSpec = { type: 'ctc', units: 'characters', alphabet: ALPHABET, blank: 0, wordSeparator: ' ' };
const SECONDS_PER_STEP = (SPEC.hopSize * STACKING.stride) / SPEC.sampleRate;

function noOpRnn(sync: boolean): StepModel {
  const k = ALPHABET.length;
  const row = new Float32Array(k).fill(-20);
  row[0] = 0;
  return {
    inputSize: featureSize(SPEC) * STACKING.frames,
    outputSize: k,
    initialState: () => ({ batch: 1, h: [], c: [] }),
    forward: (_x, steps) => {
      const out = new Float32Array(steps * k);
      for (let i = 0; i < steps; i++) out.set(row, i * k);
      return sync ? out : Promise.resolve(out);
    },
  };
}

async function viaRxjs(
  audio: Float32Array,
  blockSeconds: number,
  sync: boolean,
): Promise<{ ms: number; frames: number; steps: number; blocks: number }> {
  const op = recognize({
    model: { features: SPEC, stacking: STACKING, output: OUTPUT, secondsPerStep: SECONDS_PER_STEP, rnn: noOpRnn(sync) },
    decoder: new GreedyDecoder(OUTPUT, { secondsPerStep: SECONDS_PER_STEP }),
    endpoint: defaultEndpointConfig(),
    readable: null,
  });
  const blocks = audioBlocks(audio, SPEC.sampleRate, blockSeconds);
  const t0 = performance.now();
  // blocks fed one at a time, each after the last one's update (engine.streamBlocks's pace) would add a
  // Promise per block on both sides alike; here the source is an array, as engine.stream takes one
  const total = await lastValueFrom(
    from(blocks).pipe(
      op,
      reduce((n, u) => ({ frames: n.frames + u.features.length, steps: n.steps + u.steps }), { frames: 0, steps: 0 }),
    ),
  );
  return { ms: performance.now() - t0, ...total, blocks: blocks.length };
}

async function plainLoop(
  audio: Float32Array,
  blockSeconds: number,
  sync: boolean,
): Promise<{ ms: number; frames: number; steps: number; blocks: number }> {
  const rnn = noOpRnn(sync);
  const size = featureSize(SPEC);
  const blocks = audioBlocks(audio, SPEC.sampleRate, blockSeconds);
  const t0 = performance.now();
  const featurizer = new Featurizer(SPEC);
  const normalizer = new Normalizer(SPEC.normalization, size);
  const stacker = new Stacker(STACKING.frames, STACKING.stride, size);
  const transcriber = new Transcriber(
    new GreedyDecoder(OUTPUT, { secondsPerStep: SECONDS_PER_STEP }),
    defaultEndpointConfig(),
    SECONDS_PER_STEP,
    ALPHABET.length,
  );
  const state = rnn.initialState(1);
  let x = new Float32Array(16 * rnn.inputSize);
  let frames = 0;
  let steps = 0;
  for (const b of blocks) {
    let sumSquares = 0;
    for (let i = 0; i < b.samples.length; i++) sumSquares += b.samples[i] * b.samples[i];
    const features = featurizer.push(b.samples);
    const normalized = features.map((f) => normalizer.apply(Float32Array.from(f)));
    const inputs = stacker.push(normalized);
    frames += features.length;
    if (inputs.length) {
      if (inputs.length * rnn.inputSize > x.length) x = new Float32Array(inputs.length * rnn.inputSize);
      inputs.forEach((s, i) => x.set(s, i * rnn.inputSize));
      const out = rnn.forward(x.subarray(0, inputs.length * rnn.inputSize), inputs.length, state);
      const logProbs = out instanceof Promise ? await out : out;
      transcriber.pushSync({ logProbs, steps: inputs.length });
      steps += inputs.length;
    } else {
      transcriber.pushSync({ logProbs: new Float32Array(0), steps: 0 });
    }
    if (sumSquares < 0) throw new Error('unreachable');
  }
  transcriber.flushSync();
  return { ms: performance.now() - t0, frames, steps, blocks: blocks.length };
}

async function main(argv: string[]): Promise<void> {
  const seconds = Number(arg(argv, 'seconds') ?? 60);
  const blockSeconds = Number(arg(argv, 'block-ms') ?? 10) / 1000;
  const rounds = Number(arg(argv, 'rounds') ?? 5);
  const sync = argv.includes('--sync');
  const audio = new Float32Array(seconds * SPEC.sampleRate);
  let seed = 1;
  for (let i = 0; i < audio.length; i++) audio[i] = 0.1 * ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32 - 0.5);
  const best = { rx: Infinity, plain: Infinity };
  let counts = { frames: 0, steps: 0, blocks: 0 };
  for (let r = 0; r < rounds + 1; r++) {
    // alternate the order; round 0 is a warm-up
    const order = r % 2 ? (['plain', 'rx'] as const) : (['rx', 'plain'] as const);
    for (const which of order) {
      const res =
        which === 'rx' ? await viaRxjs(audio, blockSeconds, sync) : await plainLoop(audio, blockSeconds, sync);
      if (r > 0) best[which] = Math.min(best[which], res.ms);
      if (which === 'rx') counts = res;
      else if (res.frames !== counts.frames && counts.frames)
        throw new Error(`the two runs saw ${res.frames} and ${counts.frames} frames`);
    }
  }
  const us = (ms: number, n: number) => ((1000 * ms) / n).toFixed(2);
  console.log(
    `${seconds} s of audio in ${blockSeconds * 1000} ms blocks: ${counts.blocks} blocks, ${counts.frames} feature frames (tokens), ${counts.steps} RNN steps; no-op RNN answering ${sync ? 'synchronously' : 'with a Promise'}; best of ${rounds}`,
  );
  console.log(
    `plain loop   ${best.plain.toFixed(1)} ms   ${us(best.plain, counts.blocks)} µs/block  ${us(best.plain, counts.frames)} µs/token  ${us(best.plain, counts.steps)} µs/step`,
  );
  console.log(
    `RxJS         ${best.rx.toFixed(1)} ms   ${us(best.rx, counts.blocks)} µs/block  ${us(best.rx, counts.frames)} µs/token  ${us(best.rx, counts.steps)} µs/step`,
  );
  const d = best.rx - best.plain;
  console.log(
    `RxJS - plain ${d.toFixed(1)} ms   ${us(d, counts.blocks)} µs/block  ${us(d, counts.frames)} µs/token  ${us(d, counts.steps)} µs/step  (RTF ${(d / 1000 / seconds).toFixed(5)})`,
  );
}

main(process.argv.slice(2)).catch((e) => {
  console.error(e);
  process.exit(1);
});
