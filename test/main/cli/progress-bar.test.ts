import { describe, expect, it } from 'vitest';
import { progressLine } from '../../../main/cli/progress-bar';

describe('progressLine', () => {
  it('ends with the percentage and the detail with its unit, whole, on a wide terminal', () => {
    const line = progressLine('rms.wav', 1, '303 s / 303 s', 100);
    expect(line).toMatch(/^rms\.wav █{30} 100% 303 s \/ 303 s$/);
  });

  it('shortens the bar and then the label, never the number and its unit, on a narrow terminal', () => {
    for (const columns of [60, 40, 30]) {
      const line = progressLine('test-heldout-speaker-00123.wav', 1, '303 s / 303 s', columns);
      expect(line.length).toBeLessThanOrEqual(columns - 1);
      expect(line.endsWith('100% 303 s / 303 s')).toBe(true);
    }
  });
});
