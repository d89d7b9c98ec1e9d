import { describe, expect, it } from 'vitest';
import { toTxt } from '../../../../renderer/engine/export/txt';
import { parseTsvLine, toTsvLine } from '../../../../renderer/engine/export/tsv';
import { segment } from './segments-fixture';

describe('TXT and TSV export', () => {
  it('writes one line per segment, optionally with timestamps', () => {
    const segs = [segment(0, 0, 1, 'hello'), segment(1, 65.5, 66, 'again')];
    expect(toTxt(segs)).toBe('hello\nagain\n');
    expect(toTxt(segs, { timestamps: true })).toBe('[00:00:00.000] hello\n[00:01:05.500] again\n');
    expect(toTxt([])).toBe('');
  });

  it('writes FILE<TAB>TEXT lines that always split back into two fields', () => {
    const line = toTsvLine('dir/a\tb.wav', 'two\nlines');
    expect(line).toBe('dir/a b.wav\ttwo lines');
    expect(parseTsvLine(line)).toEqual({ file: 'dir/a b.wav', text: 'two lines' });
    expect(parseTsvLine('no tab')).toBeNull();
  });
});
