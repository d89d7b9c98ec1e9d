/**
 * Partial results end with the word being spoken, marked tentative; final results never have one.
 */
import { describe, expect, it } from 'vitest';
import { ARPABET_39 } from '../../../../renderer/engine/decoding/lexicon';
import { buildLexiconTrie, type LexiconTrie } from '../../../../renderer/engine/decoding/lexicon-trie';
import {
  defaultLexiconBeamConfig,
  LexiconBeamDecoder,
  type LexiconBeamDecoderConfig,
} from '../../../../renderer/engine/decoding/lexicon-beam-decoder';
import { defaultPrefixBeamConfig, PrefixBeamDecoder } from '../../../../renderer/engine/decoding/prefix-beam-decoder';
import { FakeBigramScorer } from './fake-bigram-scorer';
import { logProbsFrom, randomLogProbs, seededRandom, type Frame } from './posterior-builder';

const PHONES = ['_', ...ARPABET_39];
const UNITS = { alphabet: PHONES, blank: 0 };
const K = PHONES.length;
const LEXICON = `a AH
about AH B AW T
above AH B AH V
there DH EH R
their DH EH R
the DH AH
car K AA R
cars K AA R Z
`;
const COUNTS = 'a\t50\nabout\t200\nabove\t20\nthere\t500\ntheir\t300\nthe\t9000\ncar\t40\ncars\t10\n';
const unit = (ph: string): number => PHONES.indexOf(ph);

function trie(counts = COUNTS): LexiconTrie {
  return buildLexiconTrie({ alphabet: PHONES, lexicon: LEXICON, wordCounts: counts }).trie;
}

function decoder(config: Partial<LexiconBeamDecoderConfig> = {}, scorer: FakeBigramScorer | null = null) {
  // the recognizer's defaults: the word prior (no scorer) or the LM look-ahead (scorer) on
  return new LexiconBeamDecoder(
    UNITS,
    trie(),
    { ...defaultLexiconBeamConfig(), unigramWeight: 1, lmLookahead: 1, secondsPerStep: 0.03, ...config },
    scorer,
  );
}

/** The partial after each step. */
function partials(dec: LexiconBeamDecoder, f: Frame[]) {
  const lp = logProbsFrom(PHONES, f);
  const out = [];
  for (let t = 0; t < f.length; t++) {
    dec.nextSync(lp.subarray(t * K, (t + 1) * K), 1);
    out.push(dec.partial());
  }
  return out;
}

describe('LexiconTrie.bestWordUnder', () => {
  it('finds the most frequent word ending at or below a node', () => {
    const t = trie();
    expect(t.word(t.bestWordUnder(t.root))).toBe('the');
    expect(t.word(t.bestWordUnder(t.walk([unit('AH')])))).toBe('about'); // 200 below beats "a" (50) here
    expect(t.word(t.bestWordUnder(t.walk([unit('AH'), unit('B')])))).toBe('about');
    expect(t.word(t.bestWordUnder(t.walk([unit('AH'), unit('B'), unit('AH')])))).toBe('above');
    expect(t.word(t.bestWordUnder(t.walk([unit('DH'), unit('EH')])))).toBe('there');
    expect(t.word(t.bestWordUnder(t.walk([unit('K'), unit('AA')])))).toBe('car');
  });

  it('prefers the word at the node itself when it is as frequent as anything below', () => {
    const t = trie(COUNTS.replace('a\t50', 'a\t200'));
    expect(t.word(t.bestWordUnder(t.walk([unit('AH')])))).toBe('a');
    const noCounts = trie('');
    expect(noCounts.word(noCounts.bestWordUnder(noCounts.walk([unit('AH')])))).toBe('a'); // all equal: the shortest
  });

  it('agrees with a search of the whole subtree on a random lexicon', () => {
    const rnd = seededRandom(9);
    const lines: string[] = [];
    const counts: string[] = [];
    for (let i = 0; i < 2000; i++) {
      lines.push(
        `w${i} ` + Array.from({ length: 1 + Math.floor(rnd() * 5) }, () => ARPABET_39[Math.floor(rnd() * 6)]).join(' '),
      );
      counts.push(`w${i}\t${Math.floor(rnd() * 1e6)}`);
    }
    const t = buildLexiconTrie({ alphabet: PHONES, lexicon: lines.join('\n'), wordCounts: counts.join('\n') }).trie;
    const uni = t.logUnigram();
    const subtreeBest = (node: number): number => {
      let best = -Infinity;
      const visit = (n: number): void => {
        for (const id of t.wordsAt(n)) best = Math.max(best, uni[id]);
        for (let e = t.childBegin(n); e < t.childEnd(n); e++) visit(t.childNodeAt(e));
      };
      visit(node);
      return best;
    };
    const wrong: number[] = [];
    for (let node = 0; node < t.nodeCount; node += 7)
      if (uni[t.bestWordUnder(node)] !== subtreeBest(node)) wrong.push(node);
    expect(wrong).toEqual([]);
  });
});

describe('tentative words in partial results', () => {
  it('shows the word being spoken from its first phonemes, revised as the phonemes narrow it, and never in the final result', () => {
    const dec = decoder();
    const f: Frame[] = ['_', 'AH', 'AH', 'B', 'B', 'AH', 'V', 'V', '_', '_'];
    const shown = partials(dec, f);
    expect(shown[0].text).toBe(''); // nothing heard yet
    expect(shown[1].words).toHaveLength(1);
    expect(shown[1].words[0]).toMatchObject({ word: 'about', tentative: true }); // AH: "about" is the most frequent AH… word
    expect(shown[5].words[0]).toMatchObject({ word: 'above', tentative: true }); // AH B AH: only "above" is left
    expect(shown.at(-1)!.words[0].word).toBe('above');
    expect(shown.at(-1)!.words[0].tentative).toBeUndefined(); // the word has ended: not tentative any more
    const final = dec.finalizeSync();
    expect(final.text).toBe('above');
    expect(final.words.some((w) => w.tentative)).toBe(false);
  });

  it('puts the tentative word after the words already decided, with its start time and phoneme confidence', () => {
    const dec = decoder();
    const f: Frame[] = ['_', 'K', 'K', 'AA', 'R', '_', '_', 'DH', 'DH', 'EH'];
    const last = partials(dec, f).at(-1)!;
    expect(last.words.map((w) => [w.word, w.tentative ?? false])).toEqual([
      ['car', false],
      ['there', true],
    ]);
    expect(last.text).toBe('car there');
    expect(last.words[1].start).toBeCloseTo(7 * 0.03);
    expect(last.words[1].end).toBeCloseTo(10 * 0.03);
    expect(last.words[1].confidence).toBeCloseTo(0.9, 3);
  });

  it('shows a word that has clearly begun even while its prior keeps the best hypothesis between words', () => {
    // "car" is rare: entering K costs the look-ahead (log 40/9000), so after a frame of K (0.6 against
    // 0.4 for blank) the beam's best hypothesis still sits at the root, but the sounds say a word has started
    const dec = decoder();
    const f: Frame[] = ['_', '_', { K: 0.6, _: 0.4 }];
    const shown = partials(dec, f);
    const best = (dec as unknown as { beam: Array<{ node: number }> }).beam[0];
    expect(best.node).toBe(0);
    expect(shown[2].words).toEqual([expect.objectContaining({ word: 'car', tentative: true })]);
    // without tentative words the partial waits for the word to end
    const plain = decoder({ tentativeWords: false });
    expect(partials(plain, f)[2].text).toBe('');
  });

  it('with a margin, shows a word that has begun before it is the likelier reading, and only then', () => {
    // one frame of K at 0.2 against 0.8 for blank: a word may have begun, but not likely; look-ahead off
    // so that the margin alone decides (log 0.8/0.2 ≈ 1.39 between the two readings)
    const f: Frame[] = ['_', '_', { K: 0.2, _: 0.8 }];
    const shownAt = (tentativeMargin: number) =>
      partials(decoder({ lmLookahead: 0, unigramWeight: 0, tentativeMargin }), f)[2].text;
    expect(shownAt(0)).toBe('');
    expect(shownAt(1)).toBe('');
    expect(shownAt(2)).toBe('car');
    const silent: Frame[] = ['_', '_', '_']; // no sound of a word: nothing, whatever the margin
    expect(partials(decoder({ lmLookahead: 0, unigramWeight: 0, tentativeMargin: 2 }), silent)[2].text).toBe('');
  });

  it('does not change what the decoder decides: final results are identical with and without tentative partials', async () => {
    const { trie: big } = buildLexiconTrie({
      alphabet: PHONES,
      lexicon: Array.from(
        { length: 300 },
        (_, i) => `w${i} ` + Array.from({ length: 1 + (i % 4) }, (_, j) => ARPABET_39[(i * 7 + j * 13) % 39]).join(' '),
      ).join('\n'),
      wordCounts: Array.from({ length: 300 }, (_, i) => `w${i}\t${(i * 37) % 101}`).join('\n'),
    });
    const words = Array.from({ length: 100 }, (_, i) => big.word(i));
    const lp = randomLogProbs(K, 200, 4);
    for (const withScorer of [false, true]) {
      const run = async (tentativeWords: boolean, tentativeMargin = 0) => {
        const scorer = withScorer ? new FakeBigramScorer(0.5, 1, words, {}, -4, -7) : null;
        const dec = new LexiconBeamDecoder(
          UNITS,
          big,
          { ...defaultLexiconBeamConfig(), unigramWeight: 1, lmLookahead: 1, tentativeWords, tentativeMargin },
          scorer,
        );
        const texts: string[] = [];
        for (let t = 0; t < 200; t++) {
          await dec.next(lp.subarray(t * K, (t + 1) * K), 1);
          texts.push(dec.partial().text);
        }
        return { texts, final: await dec.finalize() };
      };
      const on = await run(true);
      const off = await run(false);
      const early = await run(true, 2);
      expect(on.final).toEqual(off.final);
      expect(early.final).toEqual(off.final);
      expect(on.final.words.some((w) => w.tentative)).toBe(false);
      expect(on.texts.filter((t, i) => t !== off.texts[i]).length).toBeGreaterThan(10); // the partials did differ
    }
  });

  it("marks the character decoder's letters in progress as tentative", () => {
    const alphabet = ['_', ' ', 'a', 'c', 'r', 't'];
    const dec = new PrefixBeamDecoder(
      { alphabet, blank: 0, wordSeparator: ' ', units: 'characters' },
      defaultPrefixBeamConfig(),
    );
    const f: Frame[] = ['c', 'a', 'r', ' ', 'c', 'a'];
    dec.nextSync(logProbsFrom(alphabet, f), f.length);
    const p = dec.partial();
    expect(p.words.map((w) => [w.word, w.tentative ?? false])).toEqual([
      ['car', false],
      ['ca', true],
    ]);
    expect(dec.finalizeSync().words.some((w) => w.tentative)).toBe(false);
  });
});
