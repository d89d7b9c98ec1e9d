import { afterEach, describe, expect, it } from 'vitest';
import { createLanguageModel, drawWord, type LanguageModel } from '../../../models/language/language-model';
import { seededRng } from '../../../models/language/seeded-rng';
import { exactFloat16 } from '../../../models/package/float16';
import { parseModelPackage, type LoadedPackage } from '../../../models/package/load-package';
import { makeWordLm, testPackageFiles } from '../../fixtures/make-test-models';
import { DirectLm } from './direct-lm';

const models: LanguageModel[] = [];
async function lmFor(pkg: LoadedPackage): Promise<LanguageModel> {
  const lm = await createLanguageModel(pkg);
  models.push(lm);
  return lm;
}
afterEach(() => {
  while (models.length) models.pop()!.dispose();
});

const testPkg = (seed = 3): LoadedPackage => parseModelPackage(testPackageFiles(makeWordLm({ seed })));

describe('LanguageModel', () => {
  it('gives the next-word distribution after a history, equal to a direct computation', async () => {
    const pkg = testPkg();
    const direct = new DirectLm(pkg);
    const lm = await lmFor(pkg);
    for (const history of [[], ['the'], ['a', 'cat', 'to'], ['zebra', 'two']]) {
      const row = await lm.logProbs(history);
      const ref = direct.logProbs(history);
      expect(row.length).toBe(lm.vocabulary.size);
      row.forEach((v, i) => expect(v).toBeCloseTo(ref[i], 5));
      const total = row.reduce((a, v) => a + Math.exp(v), 0);
      expect(total).toBeCloseTo(1, 5);
    }
  });

  it("keeps an F16 package's embedding as float16 and gives the same numbers as from float32", async () => {
    const model = makeWordLm({ seed: 5 });
    const f16 = parseModelPackage(testPackageFiles(model, 'F16'));
    // the same weights (rounded through F16), but one value of a word never fed is no float16:
    // the embedding then stays float32
    const f32 = parseModelPackage(testPackageFiles(model, 'F16'));
    const emb = f32.tensors.get('embedding')!;
    const unused = f32.files.vocabulary!.indexOf('too');
    emb.data = Float32Array.from(emb.data);
    emb.data[unused * emb.shape[1]] += 1e-6;
    expect(exactFloat16(f16.tensors.get('embedding')!.data)).not.toBeNull();
    expect(unused).toBeGreaterThan(0);
    expect(exactFloat16(emb.data)).toBeNull();
    const a = await lmFor(f16);
    const b = await lmFor(f32);
    for (const history of [[], ['the'], ['a', 'cat', 'to']])
      expect(Array.from(await a.logProbs(history))).toEqual(Array.from(await b.logProbs(history)));
    expect(
      await a.sentenceLogProbs([
        ['the', 'cat'],
        ['a', 'dog', 'to'],
      ]),
    ).toEqual(
      await b.sentenceLogProbs([
        ['the', 'cat'],
        ['a', 'dog', 'to'],
      ]),
    );
  });

  it('scores sentences of different lengths in one batch as the sum of their words and the closing <eos>', async () => {
    const pkg = testPkg();
    const direct = new DirectLm(pkg);
    const lm = await lmFor(pkg);
    const sentences = [['the', 'cat'], ['a', 'dog', 'to', 'two', 'too'], ['bat'], ['zebra', 'the']];
    const scores = await lm.sentenceLogProbs(sentences, 3); // groups of 3 and 1
    sentences.forEach((s, i) => {
      let ref = 0;
      for (let t = 0; t <= s.length; t++)
        ref += direct.logProbs(s.slice(0, t))[direct.id(t < s.length ? s[t] : '<eos>')];
      expect(scores[i].logProb).toBeCloseTo(ref, 4);
      expect(scores[i].tokens).toBe(s.length + 1);
      expect(scores[i].oov).toBe(s.includes('zebra') ? 1 : 0);
    });
  });

  it('samples the same sentence for the same seed and stops at <eos>', async () => {
    const lm = await lmFor(testPkg());
    const a = await lm.sample(['the'], 1, seededRng(7), { maxWords: 500 });
    const b = await lm.sample(['the'], 1, seededRng(7), { maxWords: 500 });
    expect(b).toEqual(a);
    expect(a[0]).toBe('the');
    expect(a.length).toBeLessThan(501); // ended by <eos>, not by the cap
    expect(a).not.toContain('<eos>');
    expect(a).not.toContain('<unk>');
    const runs = await Promise.all([1, 2, 3, 4, 5].map((s) => lm.sample([], 1, seededRng(s), { maxWords: 500 })));
    expect(new Set(runs.map((r) => r.join(' '))).size).toBeGreaterThan(1); // the seed matters
  });

  it('draws each word from the model: replaying the rng against logProbs gives the same words, then <eos>', async () => {
    const lm = await lmFor(testPkg(9));
    const words = await lm.sample([], 0.7, seededRng(11), { maxWords: 500 });
    const rng = seededRng(11);
    for (let t = 0; t <= words.length; t++) {
      const row = await lm.logProbs(words.slice(0, t));
      const id = drawWord(row, 0.7, rng, lm.vocabulary.unk);
      expect(lm.vocabulary.words[id]).toBe(t < words.length ? words[t] : '<eos>');
    }
  });

  it('samples greedily at temperature 0: each word is the most probable one', async () => {
    const lm = await lmFor(testPkg());
    const words = await lm.sample(['a'], 0, () => 0.5, { maxWords: 6 });
    for (let t = 1; t < words.length; t++) {
      const row = await lm.logProbs(words.slice(0, t));
      const best = row.reduce(
        (bi, v, i) => (i !== lm.vocabulary.unk && v > row[bi] ? i : bi),
        lm.vocabulary.unk === 0 ? 1 : 0,
      );
      expect(words[t]).toBe(lm.vocabulary.words[best]);
    }
  });
});

describe('drawWord', () => {
  const logProbs = Float32Array.from([0.1, 0.2, 0.7, 0].map((p) => Math.log(p)));

  it('draws in proportion to the probabilities at temperature 1 and never draws the banned word', () => {
    const rng = seededRng(3);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 20000; i++) counts[drawWord(logProbs, 1, rng, 1)]++;
    expect(counts[1]).toBe(0);
    expect(counts[3]).toBe(0);
    expect(counts[0] / 20000).toBeCloseTo(0.1 / 0.8, 1);
    expect(counts[2] / 20000).toBeCloseTo(0.7 / 0.8, 1);
  });

  it('sharpens with a low temperature and picks the mode at 0', () => {
    const rng = seededRng(4);
    let mode = 0;
    for (let i = 0; i < 2000; i++) if (drawWord(logProbs, 0.25, rng) === 2) mode++;
    expect(mode / 2000).toBeGreaterThan(0.95); // 0.7^4 / (0.1^4 + 0.2^4 + 0.7^4) ≈ 0.993
    expect(drawWord(logProbs, 0, () => 0.99)).toBe(2);
  });
});
