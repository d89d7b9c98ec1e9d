import { describe, expect, it } from 'vitest';
import { parseVtt } from '../../../../renderer/engine/export/vtt-parse';
import { toVtt } from '../../../../renderer/engine/export/vtt';
import { segment } from './segments-fixture';

describe('WebVTT export', () => {
  it('writes the WEBVTT header and dot timestamps', () => {
    expect(toVtt([segment(0, 61.5, 62, 'hi')])).toBe('WEBVTT\n\n00:01:01.500 --> 00:01:02.000\nhi\n');
  });

  it('escapes & < > in cue text and round-trips through the parser', () => {
    const text = 'fish & chips <b> a --> b';
    const vtt = toVtt([{ ...segment(0, 1, 3, text), text }]);
    expect(vtt).toContain('fish &amp; chips &lt;b&gt; a --&gt; b');
    const cues = parseVtt(vtt);
    expect(cues).toEqual([{ start: 1, end: 3, lines: [text] }]);
  });

  it('parses identifiers, cue settings, NOTE blocks and short timestamps', () => {
    const cues = parseVtt(
      'WEBVTT - title\n\nNOTE a comment\nmore\n\nintro\n00:01.000 --> 00:02.500 align:start\nhello\n\n',
    );
    expect(cues).toEqual([{ start: 1, end: 2.5, lines: ['hello'] }]);
    expect(() => parseVtt('00:01.000 --> 00:02.000\nx\n')).toThrow(/WEBVTT/);
  });
});
