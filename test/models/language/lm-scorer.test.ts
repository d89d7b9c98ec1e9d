import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLmScorer, type LmScorer } from '../../../models/language/lm-scorer';
import { parseModelPackage, type LoadedPackage } from '../../../models/package/load-package';
import { ReferenceRnnStack } from '../../../models/rnn/reference-stack';
import type { LmContext, ScoreRequest } from '../../../models/language/scorer';
import { makeWordLm, testPackageFiles } from '../../fixtures/make-test-models';
import { DirectLm } from './direct-lm';

function testLm(seed = 3, hiddenSizes?: number[]): LoadedPackage {
  return parseModelPackage(testPackageFiles(makeWordLm({ seed, hiddenSizes })));
}

const scorers: LmScorer[] = [];
async function scorerFor(pkg: LoadedPackage, opts: Parameters<typeof createLmScorer>[1] = {}): Promise<LmScorer> {
  const s = await createLmScorer(pkg, opts);
  scorers.push(s);
  return s;
}

afterEach(() => {
  vi.restoreAllMocks();
  while (scorers.length) scorers.pop()!.dispose();
});

/** Follows `words` from the start context; returns the context after them. */
async function walk(scorer: LmScorer, words: string[]): Promise<LmContext> {
  let ctx = scorer.start();
  for (const w of words) ctx = (await scorer.score([{ context: ctx, word: w }]))[0].next;
  return ctx;
}

describe('createLmScorer', () => {
  it('returns log P(word | history) equal to a direct float64 computation of the GRU LM, for every row of a batch', async () => {
    for (const [seed, hidden] of [
      [3, [12]],
      [5, [10, 7]],
    ] as const) {
      const pkg = testLm(seed, [...hidden]);
      const direct = new DirectLm(pkg);
      const scorer = await scorerFor(pkg);
      const histories = [[], ['the'], ['the', 'cat'], ['a', 'dog', 'to'], ['two', 'two', 'too', 'bat']];
      // the last context of each history is computed in the one batched call below
      const contexts = await Promise.all(histories.map((h) => walk(scorer, h)));
      const words = ['the', 'a', 'cat', 'dog', 'bat', 'to', 'two', 'too', '<eos>'];
      const got = await scorer.score(contexts.flatMap((context) => words.map((word) => ({ context, word }))));
      histories.forEach((history, h) => {
        const ref = direct.logProbs(history);
        words.forEach((w, i) => expect(got[h * words.length + i].logProb).toBeCloseTo(ref[direct.id(w)], 5));
      });
    }
  });

  it('returns alpha-free log-probabilities and exposes the package alpha and beta for the decoder to apply once', async () => {
    const pkg = testLm();
    const direct = new DirectLm(pkg);
    const scorer = await scorerFor(pkg);
    expect([scorer.alpha, scorer.beta]).toEqual([0.5, 1.0]); // makeWordLm's model.json
    const [r] = await scorer.score([{ context: scorer.start(), word: 'cat' }]);
    expect(r.logProb).toBeCloseTo(direct.logProbs([])[direct.id('cat')], 5);
    const tuned = await scorerFor(pkg, { alpha: 0.8, beta: 2 });
    expect([tuned.alpha, tuned.beta]).toEqual([0.8, 2]);
    const [t] = await tuned.score([{ context: tuned.start(), word: 'cat' }]);
    expect(t.logProb).toBeCloseTo(r.logProb, 6);
  });

  it('makes at most one stepBatch call per score() call however many requests, batching every new context', async () => {
    const step = vi.spyOn(ReferenceRnnStack.prototype, 'stepBatch');
    const scorer = await scorerFor(testLm());
    const deeper = await walk(scorer, ['dog', 'bat']); // a new context two words deep
    step.mockClear();

    const first = ['the', 'a', 'cat', 'dog', 'to', 'two', 'too', 'zebra'];
    const r1 = await scorer.score(first.map((word) => ({ context: scorer.start(), word })));
    expect(step).toHaveBeenCalledTimes(0); // every request is FROM the start: its row is known

    const second: ScoreRequest[] = [...r1.map((r) => r.next), deeper].flatMap((context) =>
      ['cat', 'dog', 'to', 'two', 'too', 'the'].map((word) => ({ context, word })),
    );
    await scorer.score(second);
    expect(step).toHaveBeenCalledTimes(1);
    // B = the new contexts: 7 one word deep ("dog" was computed by the walk) and 1 two words deep
    expect(step.mock.calls[0][1]).toBe(8);
  });

  it('answers repeated (context, word) requests from its cache: same next context, no RNN work', async () => {
    const step = vi.spyOn(ReferenceRnnStack.prototype, 'stepBatch');
    const scorer = await scorerFor(testLm());
    const [a] = await scorer.score([{ context: scorer.start(), word: 'the' }]);
    const [b] = await scorer.score([{ context: scorer.start(), word: 'the' }]);
    expect(b.next.id).toBe(a.next.id);
    expect(b.logProb).toBe(a.logProb);
    const x1 = await scorer.score([{ context: a.next, word: 'cat' }]);
    step.mockClear();
    const x2 = await scorer.score([
      { context: b.next, word: 'cat' },
      { context: a.next, word: 'dog' },
    ]);
    expect(step).not.toHaveBeenCalled();
    expect(x2[0]).toEqual(x1[0]);
    expect(scorer.stats.cacheHits).toBeGreaterThanOrEqual(4);
  });

  it('scores a word outside the vocabulary as <unk> spread over the unknown words, never -Infinity', async () => {
    const pkg = testLm();
    const direct = new DirectLm(pkg);
    const scorer = await scorerFor(pkg, { unknownWordCount: 50 });
    const ctx = await walk(scorer, ['the']);
    const [zebra, slash, unk] = await scorer.score([
      { context: ctx, word: 'zebra' },
      { context: ctx, word: '/T UW/' }, // the decoder's unfinished word
      { context: ctx, word: '<unk>' },
    ]);
    const logUnk = direct.logProbs(['the'])[direct.id('<unk>')];
    expect(Number.isFinite(zebra.logProb)).toBe(true);
    expect(zebra.logProb).toBeCloseTo(logUnk - Math.log(50), 5);
    expect(slash.logProb).toBeCloseTo(zebra.logProb, 6);
    expect(unk.logProb).toBeCloseTo(logUnk, 5);
    // every unknown word continues from the state after <unk>
    expect(zebra.next.id).toBe(slash.next.id);
    const [after] = await scorer.score([{ context: zebra.next, word: 'cat' }]);
    expect(after.logProb).toBeCloseTo(direct.logProbs(['the', '<unk>'])[direct.id('cat')], 5);
  });

  it('spreads <unk> over the package provenance count of lexicon words outside the vocabulary by default', async () => {
    const model = makeWordLm();
    model.json.provenance = { ...model.json.provenance, lexiconWordsOutsideVocabulary: 1234 };
    const scorer = await scorerFor(parseModelPackage(testPackageFiles(model)));
    expect(scorer.unknownWordCount).toBe(1234);
    const [unk, zebra] = await scorer.score([
      { context: scorer.start(), word: '<unk>' },
      { context: scorer.start(), word: 'zebra' },
    ]);
    expect(zebra.logProb).toBeCloseTo(unk.logProb - Math.log(1234), 6);
  });

  it('shares <unk> by the counts of output.unknownWords (add-k smoothed), and uniformly without them', async () => {
    const model = makeWordLm();
    model.json.provenance = { ...model.json.provenance, lexiconWordsOutsideVocabulary: 100 };
    if (model.json.output.type !== 'lm') throw new Error('not an LM');
    model.json.output.unknownWords = { counts: 'unk-counts.tsv', add: 0.5 };
    // 'cat' is in the vocabulary: its line is ignored (the LM scores it itself); counts sum to 10 + 5 = 15
    model.extraFiles = { ...model.extraFiles, 'unk-counts.tsv': 'zebra\t10\ngiraffe\t4.5\ncat\t99\ngnu\t0.5\n' };
    const pkg = parseModelPackage(testPackageFiles(model));
    const scorer = await scorerFor(pkg);
    const direct = new DirectLm(pkg);
    const requests = ['zebra', 'giraffe', 'gnu', 'okapi', '/T UW/', 'cat'].map((word) => ({
      context: scorer.start(),
      word,
    }));
    const [zebra, giraffe, gnu, okapi, slash, cat] = await scorer.score(requests);
    const logUnk = direct.logProbs([])[direct.id('<unk>')];
    const denominator = 15 + 0.5 * 100;
    expect(zebra.logProb).toBeCloseTo(logUnk + Math.log(10.5 / denominator), 5);
    expect(giraffe.logProb).toBeCloseTo(logUnk + Math.log(5 / denominator), 5);
    expect(gnu.logProb).toBeCloseTo(logUnk + Math.log(1 / denominator), 5);
    expect(okapi.logProb).toBeCloseTo(logUnk + Math.log(0.5 / denominator), 5); // no count: add only
    expect(slash.logProb).toBeCloseTo(okapi.logProb, 6);
    expect(cat.logProb).toBeCloseTo(direct.logProbs([])[direct.id('cat')], 5);
    expect(zebra.next.id).toBe(okapi.next.id);
    // the shares of the 100 words outside the vocabulary sum to 1: 3 counted, 97 not
    const shares = [10.5, 5, 1].map((n) => n / denominator);
    expect(shares.reduce((a, b) => a + b, 0) + 97 * (0.5 / denominator)).toBeCloseTo(1, 12);
  });

  it('refuses an LM package whose output.unknownWords names a missing or malformed counts file', () => {
    const model = makeWordLm();
    if (model.json.output.type !== 'lm') throw new Error('not an LM');
    model.json.output.unknownWords = { counts: 'unk-counts.tsv', add: 1 };
    expect(() => parseModelPackage(testPackageFiles(model))).toThrow(/unk-counts\.tsv.*missing from the package/s);
    model.extraFiles = { ...model.extraFiles, 'unk-counts.tsv': 'zebra 10\n' };
    expect(() => parseModelPackage(testPackageFiles(model))).toThrow(/word-counts line is a word, a tab and a count/);
    model.json.output.unknownWords = { counts: 'unk-counts.tsv', add: 0 };
    expect(() => parseModelPackage(testPackageFiles(model))).toThrow(/output\.unknownWords\.add/);
  });

  it('gives log P(<eos> | context) at the end of a hypothesis', async () => {
    const pkg = testLm();
    const direct = new DirectLm(pkg);
    const scorer = await scorerFor(pkg);
    const c1 = await walk(scorer, ['a', 'cat']);
    const c2 = await walk(scorer, ['the', 'dog', 'too']);
    const [e0, e1, e2] = await scorer.scoreEnd([scorer.start(), c1, c2]);
    expect(e0).toBeCloseTo(direct.logProbs([])[direct.id('<eos>')], 5);
    expect(e1).toBeCloseTo(direct.logProbs(['a', 'cat'])[direct.id('<eos>')], 5);
    expect(e2).toBeCloseTo(direct.logProbs(['the', 'dog', 'too'])[direct.id('<eos>')], 5);
  });

  it('keeps at most maxCachedContexts computed and recomputes an evicted context with the same numbers', async () => {
    const pkg = testLm();
    const direct = new DirectLm(pkg);
    const scorer = await scorerFor(pkg, { maxCachedContexts: 4 });
    const words = ['the', 'a', 'cat', 'dog', 'bat', 'to', 'two', 'too'];
    const early = await walk(scorer, ['cat', 'dog']);
    const [before] = await scorer.score([{ context: early, word: 'bat' }]);
    // a long stream of other histories
    for (let i = 0; i < 60; i++) {
      const ctx = await walk(scorer, [words[i % 8], words[(i * 3) % 8], words[(i * 5 + 1) % 8]]);
      await scorer.score(words.map((word) => ({ context: ctx, word })));
      expect(scorer.stats.computedNow).toBeLessThanOrEqual(4);
    }
    expect(scorer.stats.evictions).toBeGreaterThan(50);
    const [again] = await scorer.score([{ context: early, word: 'bat' }]);
    expect(again.logProb).toBe(before.logProb);
    expect(again.logProb).toBeCloseTo(direct.logProbs(['cat', 'dog'])[direct.id('bat')], 5);
  });

  it('refuses a context that it did not make', async () => {
    const scorer = await scorerFor(testLm());
    const other = await scorerFor(testLm());
    await expect(scorer.score([{ context: { id: 0 }, word: 'the' }])).rejects.toThrow(/not made by this scorer/);
    await expect(scorer.score([{ context: other.start(), word: 'the' }])).rejects.toThrow(/not made by this scorer/);
  });

  it('refuses an acoustic package', async () => {
    const { makePhonemeCtcModel } = await import('../../fixtures/make-test-models');
    const acoustic = parseModelPackage(testPackageFiles(makePhonemeCtcModel()));
    await expect(createLmScorer(acoustic, {})).rejects.toThrow(/ is an acoustic model, not a language model/);
  });
});

describe('sparse scoring of a self-normalised LM (output.selfNormalized)', () => {
  function selfNormalizedLm(logZ: number): LoadedPackage {
    const model = makeWordLm({ seed: 5, hiddenSizes: [10, 7] });
    const output = model.json.output;
    if (output.type !== 'lm') throw new Error('not an LM');
    output.selfNormalized = { logZ, logZStd: 0.1, penalty: 0.1 };
    return parseModelPackage(testPackageFiles(model));
  }

  it("reads each word's logit less the stored log Z: exact log-probs shifted by one constant per context", async () => {
    const pkg = selfNormalizedLm(0.75);
    const direct = new DirectLm(pkg);
    const sparse = await scorerFor(pkg);
    const exact = await scorerFor(pkg, { sparse: false });
    const step = vi.spyOn(ReferenceRnnStack.prototype, 'stepBatch');
    const histories = [[], ['the'], ['a', 'dog', 'to']];
    const words = ['the', 'a', 'cat', 'dog', 'bat', 'to', 'two', 'too', '<eos>', 'zebra'];
    for (const h of histories) {
      const [s, e] = await Promise.all([walk(sparse, h), walk(exact, h)]);
      const got = await sparse.score(words.map((word) => ({ context: s, word })));
      const want = await exact.score(words.map((word) => ({ context: e, word })));
      const ref = direct.logProbs(h);
      // log P_sparse(w) = logit(w) − 0.75 = log P(w) + log Z(h) − 0.75: the same shift for every word of h
      const logZ = Math.log(ref.reduce((a, lp) => a + Math.exp(lp), 0));
      expect(Math.abs(logZ)).toBeLessThan(1e-9); // ref is normalised
      const shift = got[0].logProb - want[0].logProb;
      words.forEach((_, i) => expect(got[i].logProb - want[i].logProb).toBeCloseTo(shift, 5));
      expect(Math.abs(shift)).toBeGreaterThan(1e-3); // random weights: log Z(h) is not 0.75
      const [end] = await sparse.scoreEnd([s]);
      expect(end).toBeCloseTo(got[words.indexOf('<eos>')].logProb, 6);
    }
    // the sparse stack's output layer is one row: its stepBatch returns B values, not B × V
    const rows = (await Promise.all(step.mock.results.map((r) => r.value))) as Float32Array[];
    expect(rows.some((r) => r.length > 0 && r.length < pkg.tensors.get('output.b_y')!.shape[0])).toBe(true);
  });

  it('is only for self-normalised packages, and the package can still be scored exactly', async () => {
    const { LmContextTree } = await import('../../../models/language/lm-context-tree');
    await expect(LmContextTree.create(testLm(), { sparse: true })).rejects.toThrow(/self-normalised/);
    const plain = await scorerFor(testLm(), { sparse: true }); // ignored: an ordinary package is scored exactly
    const direct = new DirectLm(testLm());
    const [r] = await plain.score([{ context: plain.start(), word: 'cat' }]);
    expect(r.logProb).toBeCloseTo(direct.logProbs([])[direct.id('cat')], 5);
  });
});
