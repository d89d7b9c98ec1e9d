import { describe, expect, it } from 'vitest';
import {
  ARPABET_39,
  checkUserLexicon,
  parseLexicon,
  parseWordCounts,
} from '../../../../renderer/engine/decoding/lexicon';
import { buildLexiconTrie } from '../../../../renderer/engine/decoding/lexicon-trie';

describe('parseLexicon', () => {
  it('reads CMUdict lines: lowercases words, strips stress digits and (n) variant markers', () => {
    const { entries, problems } = parseLexicon(
      ';;; comment\nREAD  R EH1 D\nread(2) R IY1 D\nThe DH AH0 # trailing comment\n',
    );
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

describe('checkUserLexicon', () => {
  const text = '# my words\nearshot IH1 R SH AA2 T\nzorblax\nthe\ncat k ae t\nfoo XX Y\n\nbad B 4\r\n';
  it('names each line that adds nothing, with its number and why', () => {
    const problems = checkUserLexicon(text, { alphabet: ['<blank>', ...ARPABET_39], isKnown: (w) => w === 'the' });
    expect(problems.map((p) => p.line)).toEqual([3, 5, 6, 8]);
    expect(problems[0].reason).toMatch(/'zorblax' has no pronunciation/);
    expect(problems[1].reason).toMatch(/phoneme 'k' is in lower case .*K/);
    expect(problems[2].reason).toMatch(/'XX' is not a phoneme of this model/);
    expect(problems[3]).toMatchObject({ text: 'bad B 4', reason: "bad phoneme symbol '4'" });
  });

  it('is silent about a clean lexicon (stress digits are accepted and dropped)', () => {
    expect(checkUserLexicon('earshot IH1 R SH AA2 T\nkubernetes K UW B ER N EH T IY Z\n')).toEqual([]);
  });

  it('matches what the trie builder refuses: a lower-case user line is not added', () => {
    const built = buildLexiconTrie({
      alphabet: ['<blank>', ...ARPABET_39],
      lexicon: 'the DH AH\n',
      userLexicon: 'cat k ae t\ndog D AO G\n',
    });
    expect(built.trie.hasWord('cat')).toBe(false);
    expect(built.trie.hasWord('dog')).toBe(true);
  });
});
