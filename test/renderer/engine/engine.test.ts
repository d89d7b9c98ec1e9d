import { lastValueFrom, Subject, toArray } from 'rxjs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it, vi } from 'vitest';

// every model the engine makes records its dispose() here
const disposed = vi.hoisted(() => [] as string[]);
vi.mock('../../../models/language/lm-scorer', async (importOriginal) => {
  const mod = await importOriginal<typeof import('../../../models/language/lm-scorer')>();
  return {
    ...mod,
    createLmScorer: async (...args: Parameters<typeof mod.createLmScorer>) => {
      const scorer = await mod.createLmScorer(...args);
      const dispose = scorer.dispose.bind(scorer);
      scorer.dispose = () => {
        disposed.push('lm');
        dispose();
      };
      return scorer;
    },
  };
});
vi.mock('../../../models/language/punctuator', async (importOriginal) => {
  const mod = await importOriginal<typeof import('../../../models/language/punctuator')>();
  return {
    ...mod,
    createPunctuator: async (...args: Parameters<typeof mod.createPunctuator>) => {
      const p = await mod.createPunctuator(...args);
      const dispose = p.dispose.bind(p);
      return Object.assign(Object.create(Object.getPrototypeOf(p)), p, {
        dispose: () => {
          disposed.push('punctuation');
          dispose();
        },
      });
    },
  };
});

import {
  createEngine,
  memorySource,
  parseModelPackage,
  type AudioBlock,
  type EngineUpdate,
  type Segment,
} from '../../../renderer/engine';
import {
  makeCharacterCtcModel,
  makePhonemeCtcModel,
  makePunctuationModel,
  makeWordLm,
  testPackageFiles,
} from '../../fixtures/make-test-models';

/** A speech-like signal: bursts of harmonics with pauses. */
function babble(seconds: number, rate = 16000): Float32Array {
  const x = new Float32Array(Math.round(seconds * rate));
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  for (let i = 0; i < x.length; i++) {
    const t = i / rate;
    const burst = Math.floor(t * 4) % 3 !== 2 ? 1 : 0;
    const f0 = 110 + 40 * Math.sin(t * 3);
    x[i] =
      burst * (0.3 * Math.sin(2 * Math.PI * f0 * t) + 0.15 * Math.sin(2 * Math.PI * 3.1 * f0 * t)) +
      0.01 * (rnd() - 0.5);
  }
  return x;
}

const strip = (segs: readonly Segment[]) =>
  JSON.stringify(
    segs.map((s) => ({
      t: s.text,
      s: s.start,
      e: s.end,
      w: s.words.map((w) => [w.word, w.start, w.end, w.confidence]),
    })),
  );
const blocks = (x: Float32Array, rate: number, size: number): AudioBlock[] => {
  const out: AudioBlock[] = [];
  for (let i = 0; i < x.length; i += size)
    out.push({ sampleRate: rate, samples: x.subarray(i, Math.min(x.length, i + size)) });
  return out;
};

const finalsOf = (updates: EngineUpdate[]) => updates.flatMap((u) => u.finals);

describe('createEngine', () => {
  const audio = babble(3);
  const phonemes = testPackageFiles(makePhonemeCtcModel({ seed: 13 }));
  const characters = testPackageFiles(makeCharacterCtcModel({ cell: 'gru', seed: 12 }));
  const lm = testPackageFiles(makeWordLm({ seed: 5 }));

  for (const [name, files, lmFiles] of [
    ['phoneme lexicon beam + LM', phonemes, lm],
    ['phoneme lexicon beam', phonemes, null],
    ['character prefix beam', characters, null],
  ] as const) {
    it(`gives one transcript whole, offline and streamed in blocks of 7, 160, 4096 samples (${name})`, async () => {
      const engine = await createEngine(
        { acoustic: memorySource('am', files), lm: lmFiles ? memorySource('lm', lmFiles) : null },
        { backend: 'reference' },
      );
      try {
        const whole = finalsOf(
          await lastValueFrom(engine.stream([{ sampleRate: 16000, samples: audio }]).pipe(toArray())),
        );
        expect(whole.length).toBeGreaterThan(0);
        expect(whole.map((s) => s.text).join(' ').length).toBeGreaterThan(0);
        const expected = strip(whole);
        const offline = await engine.transcribe(audio, 16000);
        expect(strip(offline.segments)).toBe(expected);
        expect(offline.seconds).toBe(3);
        expect(offline.times.acousticMs).toBeGreaterThan(0);
        for (const size of [7, 160, 4096]) {
          const updates = await lastValueFrom(engine.stream(blocks(audio, 16000, size)).pipe(toArray()));
          expect(strip(finalsOf(updates))).toBe(expected);
        }
      } finally {
        engine.dispose();
      }
    });
  }

  it('resamples 44.1 kHz blocks, and gives one update per block plus the end of input', async () => {
    const engine = await createEngine({ acoustic: parseModelPackage(phonemes) }, { backend: 'reference' });
    const input = blocks(new Float32Array(44100).fill(0.1), 44100, 4410);
    const updates = await lastValueFrom(engine.stream(input).pipe(toArray()));
    engine.dispose();
    expect(updates.length).toBeGreaterThanOrEqual(input.length + 1);
    expect(updates.length).toBeLessThanOrEqual(input.length + 2); // the resampler's tail, then the decoder's flush
    expect(updates[0].level).toBeCloseTo(-20, 1);
    expect(updates.reduce((n, u) => n + u.features.length, 0)).toBe(Math.floor((16000 - 512) / 160) + 1);
    expect(updates.at(-1)!.partial).toBeNull();
  });

  it('coalesces live blocks that arrive while it is busy, with the same transcript and every sample used', async () => {
    const engine = await createEngine(
      { acoustic: parseModelPackage(phonemes), lm: parseModelPackage(lm) },
      { backend: 'reference' },
    );
    const expected = strip((await engine.transcribe(audio, 16000)).segments);
    const mic = new Subject<AudioBlock>();
    const updates: EngineUpdate[] = [];
    const done = new Promise<void>((resolve, reject) =>
      engine
        .stream(mic, { coalesce: true })
        .subscribe({ next: (u) => updates.push(u), error: reject, complete: resolve }),
    );
    const input = blocks(audio, 16000, 160); // 10 ms blocks, all at once: the LM makes the decoder asynchronous
    for (const b of input) mic.next(b);
    mic.complete();
    await done;
    engine.dispose();
    expect(strip(finalsOf(updates))).toBe(expected);
    expect(updates.length).toBeLessThan(input.length / 2);
    expect(updates.reduce((n, u) => n + u.features.length, 0)).toBe(Math.floor((audio.length - 512) / 160) + 1);
    expect(updates.reduce((n, u) => n + u.samples!, 0)).toBe(audio.length);
  });

  it('reads blocks at its own pace (streamBlocks) and stops reading when unsubscribed', async () => {
    const engine = await createEngine(
      { acoustic: parseModelPackage(phonemes), lm: parseModelPackage(lm) },
      { backend: 'reference' },
    );
    let read = 0;
    let closed = false;
    const all = blocks(audio, 16000, 1600);
    async function* file(): AsyncGenerator<AudioBlock> {
      try {
        for (const b of all) {
          read++;
          yield b;
        }
      } finally {
        closed = true;
      }
    }
    const ahead: number[] = [];
    let seen = 0;
    await new Promise<void>((resolve, reject) => {
      const sub = engine.streamBlocks(file()).subscribe({
        next: () => {
          seen++;
          ahead.push(read - seen);
          if (seen === 5) {
            sub.unsubscribe(); // a cancelled import
            resolve();
          }
        },
        error: reject,
      });
    });
    await new Promise((r) => setTimeout(r, 20));
    engine.dispose();
    expect(Math.max(...ahead)).toBe(0); // never a block read before the last one's update was out
    expect(read).toBe(5);
    expect(closed).toBe(true);
  });

  it('runs audio that arrives while a block is in the RNN after it, in order (gpu.js cpu backend, awaits between steps)', async () => {
    // two engines whose RNN outputs are recorded: same audio, same backend → same bits, unless the
    // RNN input of a block was overwritten or mixed with the next while it was being read
    const small = parseModelPackage(testPackageFiles(makePhonemeCtcModel({ hiddenSizes: [16, 12], seed: 5 })));
    const recorded = async () => {
      const engine = await createEngine({ acoustic: small }, { backend: 'cpu', decoder: 'greedy' });
      const outputs: number[] = [];
      const forward = engine.model.rnn.forward.bind(engine.model.rnn);
      engine.model.rnn.forward = async (x, steps, state) => {
        const y = await forward(x, steps, state);
        outputs.push(...y);
        return y;
      };
      return { engine, outputs };
    };
    const seq = await recorded();
    const ovl = await recorded();
    const input = blocks(audio, 16000, 1600);
    // one block at a time: the next is read only once the last one's update is out
    const sequential = finalsOf(await lastValueFrom(seq.engine.streamBlocks(input).pipe(toArray())));
    // all at once, as a microphone that does not wait
    const mic = new Subject<AudioBlock>();
    const updates: EngineUpdate[] = [];
    const done = new Promise<void>((resolve, reject) =>
      ovl.engine.stream(mic).subscribe({ next: (u) => updates.push(u), error: reject, complete: resolve }),
    );
    for (const b of input) mic.next(b);
    mic.complete();
    await done;
    seq.engine.dispose();
    ovl.engine.dispose();
    expect(updates.length).toBeGreaterThanOrEqual(input.length + 1); // nothing joined or dropped
    expect(ovl.outputs.length).toBeGreaterThan(1000);
    expect(ovl.outputs).toEqual(seq.outputs);
    expect(strip(finalsOf(updates))).toBe(strip(sequential));
  });

  it('refuses a sample rate that is not a finite positive number', async () => {
    const engine = await createEngine({ acoustic: parseModelPackage(phonemes) }, { backend: 'js' });
    for (const rate of [Infinity, NaN, 0, -16000])
      await expect(
        lastValueFrom(engine.stream([{ sampleRate: rate, samples: new Float32Array(160) }])),
      ).rejects.toThrow(`resample: sample rate ${rate} is not a finite positive number`);
    engine.dispose();
  });

  it('passes a reading error on as it is, and names the stage of an error inside the pipeline', async () => {
    const engine = await createEngine({ acoustic: parseModelPackage(phonemes) }, { backend: 'reference' });
    async function* broken(): AsyncGenerator<AudioBlock> {
      yield { sampleRate: 16000, samples: new Float32Array(1600) };
      throw new Error('damaged WAV file');
    }
    await expect(lastValueFrom(engine.streamBlocks(broken()))).rejects.toThrow(/^damaged WAV file$/);
    await expect(lastValueFrom(engine.stream([{ sampleRate: 0, samples: new Float32Array(10) }]))).rejects.toThrow(
      'resample: sample rate 0 is not a finite positive number',
    );
    engine.dispose();
    await expect(lastValueFrom(engine.stream([]))).rejects.toThrow(/disposed/);
  });

  it('owns its models: dispose() frees the RNN, the LM scorer and the readable-text models', async () => {
    disposed.length = 0;
    const engine = await createEngine(
      {
        acoustic: parseModelPackage(phonemes),
        lm: parseModelPackage(lm),
        punctuation: parseModelPackage(testPackageFiles(makePunctuationModel({ seed: 41 }))),
      },
      { backend: 'reference' },
    );
    expect(engine.info.lmName).not.toBeNull();
    expect(engine.info.punctuationName).not.toBeNull();
    const rnn = vi.spyOn(engine.model.rnn, 'dispose');
    engine.dispose();
    engine.dispose(); // once is enough
    expect(rnn).toHaveBeenCalledTimes(1);
    expect(disposed.sort()).toEqual(['lm', 'punctuation']);
  });

  it('frees what it made when a later step fails', async () => {
    disposed.length = 0;
    const wrong = parseModelPackage(lm); // an LM where the acoustic model goes
    await expect(
      createEngine({ acoustic: wrong, lm: parseModelPackage(lm) }, { backend: 'reference' }),
    ).rejects.toThrow(/not an acoustic CTC model/);
    expect(disposed).toEqual(['lm']);
  });

  it('keeps no package once its models are built: the LM package is garbage while the engine lives', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    // the packages exist only inside make(): what still reaches them after it returns is the engine
    const make = async () => {
      const lmPackage = parseModelPackage(lm);
      const engine = await createEngine(
        { acoustic: parseModelPackage(phonemes), lm: lmPackage },
        { backend: 'reference' },
      );
      return { engine, ref: new WeakRef(lmPackage) };
    };
    const { engine, ref } = await make();
    const collected = async () => {
      for (let i = 0; i < 10 && ref.deref() !== undefined; i++) {
        await new Promise((r) => setTimeout(r, 0)); // a WeakRef's target lives to the end of the job that read it
        gc();
      }
      return ref.deref() === undefined;
    };
    expect(await collected()).toBe(true);
    expect(engine.info.lmWeights).not.toBeNull(); // the LM is in use: its scorer holds what it needs
    expect((await engine.transcribe(audio, 16000)).segments.length).toBeGreaterThan(0);
    engine.dispose();
  });
});
