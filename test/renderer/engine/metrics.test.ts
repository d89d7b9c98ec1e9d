import { describe, expect, it } from 'vitest';
import { alignToReference } from '../../../renderer/engine/metrics/align';
import { countErrors, normalizeText } from '../../../renderer/engine/metrics/error-rate';

describe('error rates', () => {
  it('counts word substitutions, insertions and deletions against the reference length', () => {
    const c = countErrors('the cat sat on mat today', 'the cat sat on the mat');
    expect(c.words).toBe(6);
    expect(c.wordErrors).toBe(2);
  });

  it('normalises case and punctuation but keeps apostrophes inside words', () => {
    expect(normalizeText("They're here, 'quoted' -- OK?")).toBe("they're here quoted ok");
  });
});

describe('alignToReference', () => {
  it('gives the hypothesis word aligned to each reference position, null for deletions', () => {
    expect(alignToReference(['go', 'over', 'there', 'now'], ['go', 'their', 'now'])).toEqual([
      'go',
      null,
      'their',
      'now',
    ]);
    expect(alignToReference(['to', 'be'], ['two', 'be', 'extra'])).toEqual(['two', 'be']);
  });
});
