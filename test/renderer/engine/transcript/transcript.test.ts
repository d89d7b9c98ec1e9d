import { describe, expect, it } from 'vitest';
import type { DecodeResult } from '../../../../renderer/engine/decoding/decode-result';
import { Transcript } from '../../../../renderer/engine/transcript/transcript';

const result = (text: string, start: number): DecodeResult => ({
  text,
  units: [],
  words: text.split(' ').map((word, i) => ({ word, start: start + i, end: start + i + 0.5, confidence: 0.9 })),
});

describe('Transcript', () => {
  it('keeps final segments plus one partial that carries the id its final will get', () => {
    const t = new Transcript();
    expect(t.setPartial(result('hello', 0))).toMatchObject({ id: 0, final: false, start: 0, end: 0.5 });
    expect(t.commit(result('hello world', 0))).toMatchObject({
      id: 0,
      final: true,
      text: 'hello world',
      start: 0,
      end: 1.5,
    });
    expect(t.partial).toBeNull();
    t.setPartial(result('again', 3));
    expect(t.segments().map((s) => [s.id, s.final])).toEqual([
      [0, true],
      [1, false],
    ]);
    expect(t.text()).toBe('hello world\nagain');
  });

  it('never creates empty segments', () => {
    const t = new Transcript();
    expect(t.setPartial({ text: '', words: [], units: [] })).toBeNull();
    expect(t.commit({ text: '', words: [], units: [] })).toBeNull();
    expect(t.finals).toHaveLength(0);
  });
});
