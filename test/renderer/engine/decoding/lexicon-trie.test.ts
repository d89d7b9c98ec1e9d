import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ARPABET_39 } from '../../../../renderer/engine/decoding/lexicon';
import { buildLexiconTrie, LexiconTrie, LexiconTrieBuilder } from '../../../../renderer/engine/decoding/lexicon-trie';
import { parseLexicon } from '../../../../renderer/engine/decoding/lexicon';
import { seededRandom } from './posterior-builder';

const ALPHABET = ['<blank>', ...ARPABET_39];
const unit = (ph: string): number => ALPHABET.indexOf(ph);
const CMUDICT = '/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict';

const LEXICON = `there DH EH R
their DH EH R
they're DH EH R
the DH AH
read R EH D
read(2) R IY D
red R EH D
`;

describe('LexiconTrie', () => {
  it('puts homophones on one node, most frequent spelling first', () => {
    const { trie } = buildLexiconTrie({
      alphabet: ALPHABET,
      lexicon: LEXICON,
      wordCounts: "there\t10\ntheir\t50\nthey're\t3\n",
    });
    const node = trie.walk(['DH', 'EH', 'R'].map(unit));
    expect([...trie.wordsAt(node)].map((w) => trie.word(w))).toEqual(['their', 'there', "they're"]);
    expect(trie.homophonesOf('there').sort()).toEqual(['their', "they're"]);
  });

  it('keeps lexicon order among homophones without counts, and shares prefixes', () => {
    const { trie } = buildLexiconTrie({ alphabet: ALPHABET, lexicon: LEXICON });
    expect(trie.word(trie.wordsAt(trie.walk([unit('DH'), unit('EH'), unit('R')]))[0])).toBe('there');
    // DH is shared by "the" and "there": root → DH has two children (AH, EH)
    const dh = trie.child(trie.root, unit('DH'));
    expect(trie.childEnd(dh) - trie.childBegin(dh)).toBe(2);
    expect(trie.hasWords(dh)).toBe(false);
  });

  it('indexes every pronunciation variant (read = R EH D and R IY D)', () => {
    const { trie } = buildLexiconTrie({ alphabet: ALPHABET, lexicon: LEXICON });
    const eh = trie.walk(['R', 'EH', 'D'].map(unit));
    const iy = trie.walk(['R', 'IY', 'D'].map(unit));
    expect([...trie.wordsAt(eh)].map((w) => trie.word(w)).sort()).toEqual(['read', 'red']);
    expect([...trie.wordsAt(iy)].map((w) => trie.word(w))).toEqual(['read']);
  });

  it('merges a user lexicon and reports its words without a pronunciation as unknown', () => {
    const built = buildLexiconTrie({
      alphabet: ALPHABET,
      lexicon: LEXICON,
      userLexicon: 'earshot IH R SH AA T\nkubernetes\nthe\n',
    });
    expect(built.trie.hasWord('earshot')).toBe(true);
    expect(built.unknown).toEqual(['kubernetes']); // "the" has a pronunciation in the main lexicon
  });

  it('refuses, and reports, pronunciations with phonemes missing from the model alphabet', () => {
    const built = buildLexiconTrie({ alphabet: ['<blank>', 'AA', 'B'], lexicon: 'bob B AA B\nbad B AE D\n' });
    expect(built.trie.hasWord('bob')).toBe(true);
    expect(built.trie.hasWord('bad')).toBe(false);
    expect(built.problems.map((p) => ('word' in p ? p.word : ''))).toContain('bad');
  });

  it('numbers spellings in order of first appearance and finds every one by spelling (any case)', () => {
    const rnd = seededRandom(5);
    const lines: string[] = [];
    const firstSeen: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const word = `w${Math.floor(rnd() * 2000)}`; // repeats: pronunciation variants of one spelling
      if (!firstSeen.includes(word)) firstSeen.push(word);
      lines.push(
        `${word.toUpperCase()}${i % 3 === 0 ? '(2)' : ''} ` +
          Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => ARPABET_39[Math.floor(rnd() * 39)]).join(' '),
      );
    }
    const { trie } = buildLexiconTrie({
      alphabet: ALPHABET,
      lexicon: lines.join('\n'),
      wordCounts: `${firstSeen[7]}\t9\n${firstSeen[3]}\t4\nnot-a-word\t5\n`,
    });
    expect(trie.wordCount).toBe(firstSeen.length);
    expect(Array.from({ length: trie.wordCount }, (_, id) => trie.word(id))).toEqual(firstSeen);
    expect(firstSeen.every((w, id) => trie.wordId(w) === id && trie.wordId(w.toUpperCase()) === id)).toBe(true);
    expect(trie.wordId('w999999')).toBeUndefined();
    expect(trie.hasWord('not-a-word')).toBe(false);
    expect([...trie.wordCounts].filter((c) => c > 0)).toEqual(firstSeen[3] !== firstSeen[7] ? [4, 9] : [9]);
    expect(trie.wordCounts[7]).toBe(9);
    expect(trie.pronunciationCount).toBeGreaterThan(trie.wordCount);
    const uni = [...trie.logUnigram()];
    expect(trie.logUnigramRange()).toEqual({ lowest: Math.min(...uni), top: Math.max(...uni) });
    expect(trie.logUnigramRange().top).toBeCloseTo(Math.log(9.5 / (13 + 0.5 * trie.wordCount)), 6);
  });

  it('builds the same tree whether its arrays were sized up front or grew from almost nothing', () => {
    const rnd = seededRandom(11);
    const text = Array.from(
      { length: 5000 },
      () =>
        `w${Math.floor(rnd() * 4000)} ` +
        Array.from({ length: 1 + Math.floor(rnd() * 6) }, () => ARPABET_39[Math.floor(rnd() * 39)]).join(' '),
    ).join('\n');
    const sized = buildLexiconTrie({ alphabet: ALPHABET, lexicon: text }).trie;
    const small = new LexiconTrieBuilder(ALPHABET, 1);
    small.addEntries(parseLexicon(text).entries);
    const grown = small.build();
    const dump = (t: LexiconTrie) =>
      Array.from({ length: t.nodeCount }, (_, n) => {
        const kids: number[] = [];
        for (let e = t.childBegin(n); e < t.childEnd(n); e++) kids.push(t.childUnitAt(e), t.childNodeAt(e));
        return `${kids.join(',')}|${[...t.wordsAt(n)].map((id) => t.word(id)).join(',')}`;
      });
    expect(grown.nodeCount).toBe(sized.nodeCount);
    expect(grown.wordCount).toBe(sized.wordCount);
    expect(dump(grown)).toEqual(dump(sized));
  });

  it('survives a trip to another thread as data (toData, structuredClone with transfer, fromData)', () => {
    const { trie } = buildLexiconTrie({ alphabet: ALPHABET, lexicon: LEXICON, wordCounts: 'there\t10\ntheir\t50\n' });
    const before = {
      nodes: trie.nodeCount,
      their: trie.wordId('their'),
      words: [...trie.wordsAt(trie.walk(['DH', 'EH', 'R'].map(unit)))],
    };
    const data = trie.toData();
    const moved = structuredClone(data, {
      transfer: [data.childStart.buffer, data.childNode.buffer, data.spellings.slots.buffer] as ArrayBuffer[],
    });
    expect(data.childStart.length).toBe(0); // transferred, not copied
    const back = LexiconTrie.fromData(moved);
    expect({
      nodes: back.nodeCount,
      their: back.wordId('their'),
      words: [...back.wordsAt(back.walk(['DH', 'EH', 'R'].map(unit)))],
    }).toEqual(before);
    expect(back.word(back.wordsAt(back.walk(['DH', 'EH', 'R'].map(unit)))[0])).toBe('their');
    expect(() => LexiconTrie.fromData({ ...moved, wordIdList: moved.wordIdList.subarray(1) })).toThrow(/sizes/);
  });

  it('builds a CMUdict-sized lexicon (134k words) in under 1 s and under 16 MB of typed arrays', () => {
    let text: string;
    if (existsSync(CMUDICT)) text = readFileSync(CMUDICT, 'utf8');
    else {
      const rnd = seededRandom(7);
      const lines: string[] = [];
      for (let i = 0; i < 134_000; i++) {
        const n = 2 + Math.floor(rnd() * 8);
        lines.push(`w${i} ` + Array.from({ length: n }, () => ARPABET_39[Math.floor(rnd() * 39)] + '1').join(' '));
      }
      text = lines.join('\n');
    }
    buildLexiconTrie({ alphabet: ALPHABET, lexicon: text }); // warm-up (JIT)
    // CPU time, not wall time: the test machine is shared, and contention must not fail the test
    const cpu0 = process.cpuUsage();
    const { trie, problems } = buildLexiconTrie({ alphabet: ALPHABET, lexicon: text });
    const cpu = process.cpuUsage(cpu0);
    const ms = (cpu.user + cpu.system) / 1000;
    console.log(
      `lexicon trie: ${trie.wordCount} words, ${trie.nodeCount} nodes, ${(trie.byteSize / 2 ** 20).toFixed(1)} MB, built in ${ms.toFixed(0)} ms CPU`,
    );
    expect(problems).toEqual([]);
    expect(trie.pronunciationCount).toBeGreaterThan(130_000);
    expect(ms).toBeLessThan(1000);
    expect(trie.byteSize).toBeLessThan(16 * 2 ** 20);
  });
});
