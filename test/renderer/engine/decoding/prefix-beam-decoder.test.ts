import { describe, expect, it } from 'vitest';
import { GreedyDecoder } from '../../../../renderer/engine/decoding/greedy-decoder';
import { ARPABET_39 } from '../../../../renderer/engine/decoding/lexicon';
import { buildLexiconTrie } from '../../../../renderer/engine/decoding/lexicon-trie';
import { defaultPrefixBeamConfig, PrefixBeamDecoder } from '../../../../renderer/engine/decoding/prefix-beam-decoder';
import { FakeBigramScorer } from './fake-bigram-scorer';
import { chunked, logProbsFrom, randomLogProbs, type Frame } from './posterior-builder';

const CHARS = ['_', ' ', ...'abcdefghijklmnopqrstuvwxyz', "'"];
const UNITS = { alphabet: CHARS, blank: 0, wordSeparator: ' ', units: 'characters' as const };
const K = CHARS.length;
const spell = (text: string): Frame[] => ['_', ...[...text].flatMap((c) => [c, '_'])];

describe('PrefixBeamDecoder', () => {
  it('sums CTC alignments: finds "a" where the greedy best path finds nothing', () => {
    // two steps, P(a) = 0.4 each: best path "_ _" (0.36) but P("a") = 0.4·0.4 + 2·0.4·0.6·… > 0.36
    const f: Frame[] = [
      { a: 0.4, _: 0.6 },
      { a: 0.4, _: 0.6 },
    ];
    const lp = logProbsFrom(CHARS, f);
    const greedy = new GreedyDecoder(UNITS);
    greedy.nextSync(lp, 2);
    expect(greedy.finalizeSync().text).toBe('');
    const beam = new PrefixBeamDecoder(UNITS);
    beam.nextSync(lp, 2);
    expect(beam.finalizeSync().text).toBe('a');
  });

  it('matches the greedy text on clean posteriors and keeps word timings', () => {
    const f = spell('hello  world');
    const dec = new PrefixBeamDecoder(UNITS, { ...defaultPrefixBeamConfig(), secondsPerStep: 0.01 });
    dec.nextSync(logProbsFrom(CHARS, f), f.length);
    const r = dec.finalizeSync();
    expect(r.text).toBe('hello world');
    expect(r.words[0].start).toBeCloseTo(0.01);
    expect(r.words[0].end).toBeCloseTo(0.1); // 'o' at step 9
    expect(r.words[1].start).toBeCloseTo(0.15);
  });

  it('shows the word in progress in partial() and flushes it at finalize', () => {
    const f = spell('good mor');
    const dec = new PrefixBeamDecoder(UNITS);
    dec.nextSync(logProbsFrom(CHARS, f), f.length);
    expect(dec.partial().text).toBe('good mor');
    expect(dec.finalizeSync().words.map((w) => w.word)).toEqual(['good', 'mor']);
  });

  it('lets a bigram scorer replace a spelled homophone from the lexicon ("there car" → "their car"), one score call per step', async () => {
    const { trie } = buildLexiconTrie({
      alphabet: ['_', ...ARPABET_39],
      lexicon: 'there DH EH R\ntheir DH EH R\ncar K AA R\n',
    });
    const scorer = new FakeBigramScorer(1, 0, ['there', 'their', 'car'], {
      '<s> there': -2,
      '<s> their': -2,
      'their car': -1,
      'there car': -8,
    });
    const dec = new PrefixBeamDecoder(UNITS, defaultPrefixBeamConfig(), scorer, trie);
    const f = spell('there car');
    await dec.next(logProbsFrom(CHARS, f), f.length);
    const r = await dec.finalize();
    expect(r.text).toBe('their car');
    expect(r.words[0].alternatives?.map((a) => a.word)).toEqual(['there']);
    expect(scorer.calls.length).toBeLessThanOrEqual(f.length + 1);
    // the homophones of the spelled word are scored in the same batch as the other candidates of that step
    const words = scorer.calls.find((c) => c.some((q) => q.word === 'their'))?.map((q) => q.word);
    expect(words).toContain('there');
  });

  it('keeps words unknown to the LM (scored as <unk>) and flags words missing from the lexicon', async () => {
    const { trie } = buildLexiconTrie({ alphabet: ['_', ...ARPABET_39], lexicon: 'hello HH AH L OW\n' });
    const scorer = new FakeBigramScorer(1, 0, ['hello'], { '<s> hello': -1 });
    const dec = new PrefixBeamDecoder(UNITS, defaultPrefixBeamConfig(), scorer, trie);
    const f = spell('hello zorblax');
    await dec.next(logProbsFrom(CHARS, f), f.length);
    const r = await dec.finalize();
    expect(r.text).toBe('hello zorblax');
    expect(r.words[1].unknown).toBe(true);
  });

  it('gives identical results for any chunking, with and without a scorer', async () => {
    const lp = randomLogProbs(K, 200, 21);
    for (const withScorer of [false, true]) {
      const run = async (sizes: number[]) => {
        const scorer = withScorer ? new FakeBigramScorer(0.5, 0.5, [], {}, -4, -5) : null;
        const dec = new PrefixBeamDecoder(UNITS, defaultPrefixBeamConfig(), scorer);
        for (const c of chunked(lp, K, sizes)) await dec.next(c.logProbs, c.steps);
        return { partial: dec.partial(), trailing: dec.trailingBlankSteps(), final: await dec.finalize() };
      };
      const expected = await run([200]);
      expect(expected.final.words.length).toBeGreaterThan(2);
      for (const sizes of [[1], [9], [4, 33, 1]]) expect(await run(sizes)).toEqual(expected);
    }
  });
});
