import { describe, expect, it } from 'vitest';
import { formatTimestamp, parseTimestamp } from '../../../../renderer/engine/export/timestamp';

describe('subtitle timestamps', () => {
  it('formats SRT (comma) and WebVTT (dot) timestamps with zero padding', () => {
    expect(formatTimestamp(1.234, ',')).toBe('00:00:01,234');
    expect(formatTimestamp(1.234, '.')).toBe('00:00:01.234');
    expect(formatTimestamp(3723.5, ',')).toBe('01:02:03,500');
    expect(formatTimestamp(360_000, '.')).toBe('100:00:00.000');
  });

  it('rounds to the millisecond without producing 1000 ms, and clamps negatives', () => {
    expect(formatTimestamp(59.9996, ',')).toBe('00:01:00,000');
    expect(formatTimestamp(0.0004, ',')).toBe('00:00:00,000');
    expect(formatTimestamp(-2, '.')).toBe('00:00:00.000');
  });

  it('parses both separators, and WebVTT short MM:SS.mmm', () => {
    expect(parseTimestamp('01:02:03,500')).toBeCloseTo(3723.5);
    expect(parseTimestamp('02:03.040')).toBeCloseTo(123.04);
    expect(parseTimestamp('nonsense')).toBeNaN();
  });
});
