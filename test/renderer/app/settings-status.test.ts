import { describe, expect, it } from 'vitest';
import { appliedStatus } from '../../../renderer/app/settings-status';

describe('appliedStatus', () => {
  it('says "Applied." when every pronunciation line was used', () => {
    expect(appliedStatus(false, [])).toEqual({ text: 'Applied.', tone: 'info' });
    expect(appliedStatus(true, undefined).text).toMatch(/^Applied: recognition continues/);
  });

  it('lists the pronunciation lines that were not used, by line number and reason', () => {
    const s = appliedStatus(false, [
      { line: 2, text: 'zorblax', reason: "'zorblax' has no pronunciation, so it stays unknown" },
      { line: 5, text: 'cat k ae t', reason: "phoneme 'k' is in lower case" },
    ]);
    expect(s.tone).toBe('error');
    expect(s.text).toContain('2 lines were not used');
    expect(s.text).toContain("line 2: 'zorblax' has no pronunciation");
    expect(s.text).toContain("line 5: phoneme 'k' is in lower case");
  });
});
