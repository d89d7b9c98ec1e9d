import { describe, expect, it } from 'vitest';
import { segmentsToCues } from '../../../../renderer/engine/export/cues';
import { parseSrt } from '../../../../renderer/engine/export/srt-parse';
import { toSrt } from '../../../../renderer/engine/export/srt';
import { segment } from './segments-fixture';

const LONG =
  'this is a rather long sentence that goes on and on well past what fits on two subtitle lines of forty two characters each so it must be split';

describe('SRT export', () => {
  it('writes numbered cues with comma timestamps', () => {
    expect(toSrt([segment(0, 1.234, 2.5, 'hello world')])).toBe('1\n00:00:01,234 --> 00:00:02,500\nhello world\n');
  });

  it('round-trips through the parser: times and text survive', () => {
    const segments = [segment(0, 0.5, 2, 'hello world'), segment(1, 3.25, 5.125, "it's fine")];
    const cues = parseSrt(toSrt(segments));
    expect(cues.map((c) => [c.start, c.end, c.lines.join(' ')])).toEqual([
      [0.5, 2, 'hello world'],
      [3.25, 5.125, "it's fine"],
    ]);
  });

  it('splits long segments into cues of at most 2 lines × 42 characters and 7 s', () => {
    const seg = segment(0, 10, 40, LONG);
    const cues = parseSrt(toSrt([seg]));
    expect(cues.length).toBeGreaterThan(2);
    for (const c of cues) {
      expect(c.lines.length).toBeLessThanOrEqual(2);
      for (const line of c.lines) expect(line.length).toBeLessThanOrEqual(42);
      expect(c.end - c.start).toBeLessThanOrEqual(7.0001);
    }
    expect(cues.map((c) => c.lines.join(' ')).join(' ')).toBe(LONG);
    expect(cues[0].start).toBeCloseTo(10);
    expect(cues[cues.length - 1].end).toBeCloseTo(40);
  });

  it('keeps a cue intact when text could break the format (no "-->", no blank lines)', () => {
    const srt = toSrt([{ ...segment(0, 0, 1, 'a --> b'), text: 'a --> b' }]);
    const cues = parseSrt(srt);
    expect(cues).toHaveLength(1);
    expect(cues[0].lines).toEqual(['a -> b']);
  });

  it('parses CRLF files with a BOM and reports a bad timing line by number', () => {
    expect(parseSrt('\uFEFF1\r\n00:00:01,000 --> 00:00:02,000\r\nhi\r\n\r\n')).toEqual([
      { start: 1, end: 2, lines: ['hi'] },
    ]);
    expect(() => parseSrt('1\n00:00:01 --> later\nhi\n')).toThrow(/line 2/);
  });

  it("shares a wordless segment's time out by character count when splitting", () => {
    const cues = segmentsToCues([{ id: 0, start: 0, end: 14, text: LONG, words: [], final: true }]);
    expect(cues.length).toBeGreaterThan(1);
    expect(cues[cues.length - 1].end).toBeCloseTo(14);
  });
});
