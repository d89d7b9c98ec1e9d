/**
 * Marble tests (rxjs/testing TestScheduler) of the pipeline's operators and of recognize(), the whole
 * pipeline, with a synchronous stand-in for the RNN (the real stacks always answer with a Promise) so that
 * every emission happens in virtual time.
 */
import { concatMap, delay, map, of } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it, vi } from 'vitest';
import type { CtcOutputSpec } from '../../../../models/package/model-spec';
import {
  acousticStep,
  featurize,
  normalize,
  recognize,
  resampleTo,
  stackFrames,
  zeroStageTimes,
  type AudioBlock,
  type EngineUpdate,
  type StepModel,
} from '../../../../renderer/engine';
import { GreedyDecoder } from '../../../../renderer/engine/decoding/greedy-decoder';
import { testFeatureSpec } from '../../../fixtures/make-test-models';

const CHARS = ['_', ' ', ...'abcdefghijklmnopqrstuvwxyz'];
const OUTPUT: CtcOutputSpec = { type: 'ctc', units: 'characters', alphabet: CHARS, blank: 0, wordSeparator: ' ' };
const SPEC = testFeatureSpec(); // 16 kHz, 512-sample windows, 160-sample hop
const STACKING = { frames: 3, stride: 3 };
const ENDPOINT = { trailingSilenceMs: 300, minSpeechMs: 0, maxSegmentMs: 20_000, maxSilenceWithoutSpeechMs: 2_400 };
/** What the stand-in RNN says at each step (counted from the stream's start): "hi", silence, "ok". */
const SCRIPT = new Map([
  [2, 'h'],
  [4, 'i'],
  [30, 'o'],
  [32, 'k'],
]);

/** A synchronous RNN stand-in: step s of the stream emits SCRIPT's letter (else blank), whatever its input. */
function scriptedRnn(): StepModel & { forwards: number; states: number } {
  const k = CHARS.length;
  const rnn = {
    inputSize: 40 * STACKING.frames,
    outputSize: k,
    forwards: 0,
    states: 0,
    initialState: () => {
      rnn.states++;
      return { batch: 1, h: [new Float32Array(1)], c: [new Float32Array(0)] };
    },
    forward: (x: Float32Array, steps: number, state: { h: Float32Array[] }) => {
      rnn.forwards++;
      if (x.length < steps * rnn.inputSize)
        throw new Error(`x holds ${x.length} values, steps=${steps} needs ${steps * rnn.inputSize}`);
      const out = new Float32Array(steps * k).fill(-20);
      for (let i = 0; i < steps; i++) {
        const s = state.h[0][0]++;
        out[i * k + CHARS.indexOf(SCRIPT.get(s) ?? '_')] = 0;
      }
      return out;
    },
  };
  return rnn;
}

const block = (seconds: number, rate = 16000): AudioBlock => {
  const samples = new Float32Array(Math.round(seconds * rate));
  for (let i = 0; i < samples.length; i++) samples[i] = 0.3 * Math.sin((2 * Math.PI * 220 * i) / rate);
  return { sampleRate: rate, samples };
};
const view = (u: EngineUpdate) => `${u.finals.map((s) => s.text).join('+')}|${u.partial?.text ?? ''}`;

function pipeline(
  rnn = scriptedRnn(),
  decoder = new GreedyDecoder(OUTPUT, { secondsPerStep: 0.03 }),
  times = zeroStageTimes(),
) {
  const op = recognize({
    model: { features: SPEC, stacking: STACKING, output: OUTPUT, secondsPerStep: 0.03, rnn },
    decoder,
    endpoint: ENDPOINT,
    readable: null,
    clock: { times, now: () => performance.now() },
  });
  return { op, rnn, decoder, times };
}

const scheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

describe('the pipeline operators (marbles)', () => {
  it('resampleTo: one block out per block in, in order, at the model rate; a change of rate flushes the old one; the tail comes at completion', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const src = cold<AudioBlock>('a-b-c|', { a: block(0.1, 48000), b: block(0.1, 48000), c: block(0.1, 16000) });
      const out = src.pipe(
        resampleTo(16000),
        map((b) => `${b.level.count}`),
      );
      expectObservable(out).toBe('a-b-c(d|)', { a: '4800', b: '4800', c: '1600', d: '0' });
      const lengths = src.pipe(
        resampleTo(16000),
        map((b) => b.samples.length),
      );
      // 48 kHz → 16 kHz holds back the filter's half-width until more comes: all 3200 samples are out once c arrives
      expectObservable(lengths.pipe(map((n) => (n > 0 ? 'some' : 'none')))).toBe('a-b-c(d|)', {
        a: 'some',
        b: 'some',
        c: 'some',
        d: 'none',
      });
    });
  });

  it('featurize → normalize → stackFrames: a token per hop, a step per 3 tokens, what is unfinished waits for the next block', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const src = cold<AudioBlock>('a-b-c|', { a: block(0.3), b: block(0.3), c: block(0.01) });
      const steps = src.pipe(resampleTo(16000), featurize(SPEC), normalize(null, 40), stackFrames(3, 3, 40));
      // 4800 samples: (4800 - 512) / 160 + 1 = 27 frames → 9 steps; then 30 frames → 10 steps; 160 samples → 1 frame,
      // no step yet; the resampler's tail at completion (empty at 16 kHz in, 16 kHz out) goes through as a block
      // of its own
      expectObservable(steps.pipe(map((b) => `${b.features.length}/${b.inputs.length}`))).toBe('a-b-c(d|)', {
        a: '27/9',
        b: '30/10',
        c: '1/0',
        d: '0/0',
      });
    });
  });

  it('acousticStep: steps × K log-posteriors per block, the state carried from block to block', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const rnn = scriptedRnn();
      const src = cold<AudioBlock>('a-b|', { a: block(0.3), b: block(0.3) });
      const out = src.pipe(
        resampleTo(16000),
        featurize(SPEC),
        normalize(null, 40),
        stackFrames(3, 3, 40),
        acousticStep(rnn),
      );
      expectObservable(out.pipe(map((b) => `${b.steps}:${b.logProbs.length / CHARS.length}`))).toBe('a-b(c|)', {
        a: '9:9',
        b: '10:10',
        c: '0:0',
      });
      expect(rnn.forwards).toBe(0); // cold: nothing ran before the scheduler flushed
    });
  });
});

describe('recognize(): the whole pipeline (marbles)', () => {
  const input = { a: block(0.3), b: block(0.3), c: block(0.3), d: block(0.3) };
  // steps 0-8: "hi" partial; 9-18: 10 blank steps (300 ms) after "i" end it at step 14 → final; 19-28: nothing;
  // 29-38: "ok"; end of input: the resampler's (empty) tail, then the partial flushed as final
  const updates = { a: '|hi', b: 'hi|', c: '|', d: '|ok', x: '|ok', y: 'ok|' };

  it('emits one update per block, in order, and at completion flushes the partial as final', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const { op } = pipeline();
      expectObservable(cold<AudioBlock>('a-b-c-d|', input).pipe(op, map(view))).toBe('a-b-c-d(xy|)', updates);
    });
  });

  it('drops nothing when the consumer is slower than the audio', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const { op } = pipeline();
      const slow = cold<AudioBlock>('a-b-c-d|', input).pipe(
        op,
        concatMap((u) => of(u).pipe(delay(5))),
        map(view),
      );
      expectObservable(slow).toBe('-----a----b----c----d----x----(y|)', updates);
    });
  });

  it('unsubscribing mid-stream (a model switch, a cancelled import) stops the work and frees the decoder and the RNN state', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions, flush }) => {
      const { op, rnn, decoder } = pipeline();
      const reset = vi.spyOn(decoder, 'reset');
      const src = cold<AudioBlock>('a-b-c-d|', input);
      expectObservable(src.pipe(op, map(view)), '^--!').toBe('a-b', updates);
      expectSubscriptions(src.subscriptions).toBe('^--!');
      flush();
      expect(rnn.forwards).toBe(2); // blocks c and d never reached the RNN
      expect(reset).toHaveBeenCalled(); // the beam is let go
      expect(rnn.states).toBe(2); // made at the start, replaced (the old one dropped) at the end
    });
  });

  it('passes an upstream error on as it is, and names the stage of an error inside the pipeline', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const failing = new Error('the microphone went away');
      expectObservable(cold<AudioBlock>('a-#', input, failing).pipe(pipeline().op, map(view))).toBe(
        'a-#',
        updates,
        failing,
      );
      const bad = cold<AudioBlock>('a-b|', {
        a: input.a,
        b: { sampleRate: Number.NaN, samples: new Float32Array(10) },
      });
      expectObservable(bad.pipe(pipeline().op, map(view))).toBe(
        'a-#',
        updates,
        new Error('resample: sample rate NaN is not a finite positive number'),
      );
    });
  });

  it('names the acoustic model when the RNN fails', () => {
    const rnn = scriptedRnn();
    rnn.forward = () => {
      throw new Error('state holds 2 sequence(s), this call needs 1');
    };
    const errors: string[] = [];
    of(input.a)
      .pipe(pipeline(rnn).op)
      .subscribe({ error: (e: Error) => errors.push(e.message) });
    expect(errors).toEqual(['acoustic model: state holds 2 sequence(s), this call needs 1']);
  });

  it('keeps the stage times', () => {
    const { op, times } = pipeline();
    of(input.a, input.b).pipe(op).subscribe();
    expect(times.featuresMs).toBeGreaterThan(0);
    expect(times.decoderMs).toBeGreaterThan(0);
    expect(times.readableMs).toBe(0);
  });
});
