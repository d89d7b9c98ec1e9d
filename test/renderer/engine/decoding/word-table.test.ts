import { describe, expect, it } from 'vitest';
import { WordTableBuilder } from '../../../../renderer/engine/decoding/word-table';
import { seededRandom } from './posterior-builder';

describe('WordTable', () => {
  it('gives dense ids in order of first interning, and finds them again', () => {
    const b = new WordTableBuilder();
    expect(b.intern('there')).toBe(0);
    expect(b.intern('their')).toBe(1);
    expect(b.intern('there')).toBe(0);
    expect(b.find('their')).toBe(1);
    expect(b.find('the')).toBe(-1);
    expect(b.size).toBe(2);
    const t = b.freeze();
    expect([t.word(0), t.word(1)]).toEqual(['there', 'their']);
    expect(t.id('their')).toBe(1);
    expect(t.id('theirs')).toBe(-1);
    expect(t.id('')).toBe(-1);
    expect(() => t.word(2)).toThrow(RangeError);
  });

  it('keeps prefixes, the empty word and non-Latin spellings apart', () => {
    const b = new WordTableBuilder();
    const words = ['a', 'ab', 'abc', '', 'café', 'カフェ', 'naïve', 'ab c'];
    words.forEach((w, i) => expect(b.intern(w)).toBe(i));
    const t = b.freeze();
    words.forEach((w, i) => {
      expect(t.word(i)).toBe(w);
      expect(t.id(w)).toBe(i);
    });
    expect(t.id('abcd')).toBe(-1);
    expect(t.id('cafe')).toBe(-1);
  });

  it('works the same sized for many more words than it gets', () => {
    const b = new WordTableBuilder(100_000);
    ['x', 'y', 'xy'].forEach((w, i) => expect(b.intern(w)).toBe(i));
    const t = b.freeze();
    expect(['x', 'y', 'xy', 'yx'].map((w) => t.id(w))).toEqual([0, 1, 2, -1]);
    expect(t.byteSize).toBeLessThan(1000); // the frozen index fits the 3 words, not the 100k expected
  });

  it('matches a Map over 100k random words through many rehashes, and freezing leaves the builder usable', () => {
    const rnd = seededRandom(3);
    const b = new WordTableBuilder();
    const ref = new Map<string, number>();
    const wrong: string[] = [];
    for (let i = 0; i < 100_000; i++) {
      const len = 1 + Math.floor(rnd() * 7);
      let w = '';
      for (let c = 0; c < len; c++) w += String.fromCharCode(97 + Math.floor(rnd() * 6)); // many repeats
      const expected = ref.get(w) ?? ref.size;
      ref.set(w, expected);
      if (b.intern(w) !== expected) wrong.push(`intern ${w}`);
    }
    expect(ref.size).toBeGreaterThan(20_000); // many repeats, and many rehashes (16 slots → 64k)
    expect(ref.size).toBeLessThan(100_000);
    const t = b.freeze();
    expect(t.size).toBe(ref.size);
    for (const [w, id] of ref) {
      if (t.id(w) !== id) wrong.push(`id ${w}`);
      if (t.word(id) !== w) wrong.push(`word ${id}`);
      if (t.id(w + 'g') !== -1) wrong.push(`id ${w}g`); // 'g' is never drawn
    }
    expect(wrong).toEqual([]);
    expect(b.intern('zzz')).toBe(ref.size); // the builder goes on …
    expect(t.id('zzz')).toBe(-1); // … without changing the frozen copy
    expect(b.freeze().word(ref.size)).toBe('zzz');
  });
});
