import { describe, expect, it } from 'vitest';
import { GreedyDecoder } from '../../../../renderer/engine/decoding/greedy-decoder';
import { ARPABET_39 } from '../../../../renderer/engine/decoding/lexicon';
import { buildLexiconTrie } from '../../../../renderer/engine/decoding/lexicon-trie';
import { chunked, logProbsFrom, randomLogProbs, type Frame } from './posterior-builder';

const CHARS = ['_', ' ', ...'abcdefghijklmnopqrstuvwxyz', "'"];
const CHAR_UNITS = { alphabet: CHARS, blank: 0, wordSeparator: ' ', units: 'characters' as const };
const PHONES = ['_', ...ARPABET_39];

describe('GreedyDecoder', () => {
  it('collapses repeats, keeps doubled letters split by a blank, and splits words at the separator', () => {
    const frames = ['h', 'h', 'e', 'l', 'l', '_', 'l', 'o', ' ', ' ', 'w', 'o', 'r', 'l', 'd', '_'];
    const dec = new GreedyDecoder(CHAR_UNITS, { secondsPerStep: 0.02 });
    dec.nextSync(logProbsFrom(CHARS, frames), frames.length);
    const r = dec.finalizeSync();
    expect(r.text).toBe('hello world');
    expect(r.words.map((w) => w.word)).toEqual(['hello', 'world']);
  });

  it('gives word times from step indices × secondsPerStep plus the reset offset', () => {
    const frames = ['_', '_', 'h', 'i', 'i', '_', ' ', 'y', 'o', '_'];
    const dec = new GreedyDecoder(CHAR_UNITS, { secondsPerStep: 0.02 });
    dec.reset(10);
    dec.nextSync(logProbsFrom(CHARS, frames), frames.length);
    const [hi, yo] = dec.finalizeSync().words;
    expect(hi.start).toBeCloseTo(10.04);
    expect(hi.end).toBeCloseTo(10.1); // 'i' held on steps 3-4 → ends at step 5
    expect(yo.start).toBeCloseTo(10.14);
    expect(yo.end).toBeCloseTo(10.18);
  });

  it("reports confidence as the mean peak posterior of the word's units", () => {
    const frames: Frame[] = [{ o: 0.9 }, { o: 0.5 }, { k: 0.6 }];
    const dec = new GreedyDecoder(CHAR_UNITS);
    dec.nextSync(logProbsFrom(CHARS, frames), 3);
    expect(dec.finalizeSync().words[0].confidence).toBeCloseTo((0.9 + 0.6) / 2, 5);
  });

  it('flags spelled words missing from the lexicon as unknown, and lists homophones', () => {
    const { trie } = buildLexiconTrie({ alphabet: PHONES, lexicon: 'there DH EH R\ntheir DH EH R\n' });
    const frames = [...'there', ' ', ...'zorp'];
    const dec = new GreedyDecoder(CHAR_UNITS, undefined, trie);
    dec.nextSync(logProbsFrom(CHARS, frames), frames.length);
    const [there, zorp] = dec.finalizeSync().words;
    expect(there.unknown).toBeUndefined();
    expect(there.alternatives?.map((a) => a.word)).toEqual(['their']);
    expect(zorp.unknown).toBe(true);
  });

  it('splits a phoneme string into lexicon words, showing uncovered phonemes as /PH PH/', () => {
    const { trie } = buildLexiconTrie({
      alphabet: PHONES,
      lexicon: 'the DH AH\ncat K AE T\ncatalog K AE T AH L AO G\n',
      wordCounts: '',
    });
    const frames = ['DH', 'AH', '_', 'K', 'AE', 'T', '_', 'Z', 'Z', 'UW'];
    const dec = new GreedyDecoder({ alphabet: PHONES, blank: 0 }, undefined, trie);
    dec.nextSync(logProbsFrom(PHONES, frames), frames.length);
    const r = dec.finalizeSync();
    expect(r.text).toBe('the cat /Z UW/');
    expect(r.words[2].unknown).toBe(true);
    expect(r.units).toEqual(['DH', 'AH', 'K', 'AE', 'T', 'Z', 'UW'].map((p) => PHONES.indexOf(p)));
  });

  it('counts trailing blank steps since the last non-blank frame (separators count as silence)', () => {
    const dec = new GreedyDecoder(CHAR_UNITS);
    dec.nextSync(logProbsFrom(CHARS, ['_', '_']), 2);
    expect(dec.trailingBlankSteps()).toBe(2);
    dec.nextSync(logProbsFrom(CHARS, ['a', 'a', '_', ' ', '_']), 5);
    expect(dec.trailingBlankSteps()).toBe(3);
  });

  it('gives identical results for any chunking of the same steps', () => {
    const lp = randomLogProbs(CHARS.length, 300, 3);
    const whole = new GreedyDecoder(CHAR_UNITS);
    whole.nextSync(lp, 300);
    const expected = whole.finalizeSync();
    expect(expected.words.length).toBeGreaterThan(3);
    for (const sizes of [[1], [7], [2, 13, 1, 50]]) {
      const dec = new GreedyDecoder(CHAR_UNITS);
      for (const c of chunked(lp, CHARS.length, sizes)) dec.nextSync(c.logProbs, c.steps);
      expect(dec.finalizeSync()).toEqual(expected);
    }
  });
});
