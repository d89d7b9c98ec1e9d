import { describe, expect, it } from 'vitest';
import { ARPABET_39, parseLexicon, parseWordCounts } from '../../../../renderer/engine/decoding/lexicon';

describe('parseLexicon', () => {
  it('reads CMUdict lines: lowercases words, strips stress digits and (n) variant markers', () => {
    const { entries, problems } = parseLexicon(';;; comment\nREAD  R EH1 D\nread(2) R IY1 D\nThe DH AH0 # trailing comment\n');
    expect(problems).toEqual([]);
    expect(entries).toEqual([
      { word: 'read', phonemes: ['R', 'EH', 'D'] },
      { word: 'read', phonemes: ['R', 'IY', 'D'] },
      { word: 'the', phonemes: ['DH', 'AH'] },
    ]);
  });

  it('reports words without a pronunciation as unknown instead of dropping them', () => {
    const { entries, unknown } = parseLexicon('earshot\nzyx Z IH K S\nEarshot\n');
    expect(entries).toHaveLength(1);
    expect(unknown).toEqual(['earshot']);
  });

  it('reports malformed phoneme symbols with their line number', () => {
    const { entries, problems } = parseLexicon('ok OW K EY\nbad B 4\n');
    expect(entries).toHaveLength(1);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ line: 2 });
    expect(problems[0].reason).toContain("'4'");
  });

  it('has the 39 ARPAbet phonemes', () => {
    expect(new Set(ARPABET_39).size).toBe(39);
  });
});

describe('parseWordCounts', () => {
  it('reads word<TAB>count, lowercasing and summing repeats', () => {
    const counts = parseWordCounts('the\t100\nThe\t5\ntheir\t7\nbroken line\n');
    expect(counts.get('the')).toBe(105);
    expect(counts.get('their')).toBe(7);
    expect(counts.has('broken')).toBe(false);
  });
});
