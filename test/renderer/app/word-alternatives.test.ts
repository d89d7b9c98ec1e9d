import { describe, expect, it } from 'vitest';
import {
  formatProbability,
  PLAUSIBLE_ALTERNATIVE,
  plausibleAlternatives,
} from '../../../renderer/app/view/word-alternatives';
import type { WordAlternative } from '../../../renderer/worker/protocol';

describe('word popover alternatives', () => {
  it('offers only spellings with at least 1 % of the homophone set, most likely first', () => {
    expect(PLAUSIBLE_ALTERNATIVE).toBe(0.01);
    const alternatives: WordAlternative[] = [
      { word: 'catt', score: -12.62, probability: 0.0004 },
      { word: 'there', score: -2.1, probability: 0.08 },
      { word: "they're", score: -1.2, probability: 0.3 },
      { word: 'katt', score: -13.1, probability: 0.0099 },
      { word: 'thier', score: -4, probability: 0.01 },
    ];
    expect(plausibleAlternatives({ alternatives }).map((a) => a.word)).toEqual(["they're", 'there', 'thier']);
    expect(plausibleAlternatives({})).toEqual([]);
  });

  it('leaves out alternatives without a probability (sessions saved before there was one)', () => {
    const old = [{ word: 'inn', score: -3 }] as unknown as WordAlternative[];
    expect(plausibleAlternatives({ alternatives: old })).toEqual([]);
  });

  it('writes probabilities as whole percentages, never as a log score', () => {
    expect(formatProbability(0.374)).toBe('37 %');
    expect(formatProbability(0.01)).toBe('1 %');
    expect(formatProbability(0.012)).toBe('1 %');
    expect(formatProbability(1)).toBe('100 %');
  });
});
