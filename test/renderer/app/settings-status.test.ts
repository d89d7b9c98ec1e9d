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

  it('names a proposed pronunciation (shown with its Use button) instead of "no pronunciation"', () => {
    const s = appliedStatus(false, [
      {
        line: 1,
        text: 'zorblax',
        reason: "'zorblax' has no pronunciation, so it stays unknown (write: zorblax PH PH …)",
        proposal: 'Z AO R B L AA K S',
      },
    ]);
    expect(s).toEqual({
      text: 'Applied. zorblax: no pronunciation — proposed Z AO R B L AA K S, press Use.',
      tone: 'info',
    });
    expect(s.text).not.toContain('stays unknown');
  });

  it('keeps the other problems as errors next to the proposals', () => {
    const s = appliedStatus(true, [
      { line: 1, text: ' zorblax ', reason: "'zorblax' has no pronunciation", proposal: 'Z AO R B L AA K S' },
      { line: 2, text: 'quux', reason: "'quux' has no pronunciation", proposal: 'K W AH K S' },
      { line: 3, text: 'cat k ae t', reason: "phoneme 'k' is in lower case" },
    ]);
    expect(s.tone).toBe('error');
    expect(s.text).toBe(
      'Applied: recognition continues with the new settings. ' +
        'zorblax: no pronunciation — proposed Z AO R B L AA K S; quux: no pronunciation — proposed K W AH K S, press Use. ' +
        "Pronunciations: 1 line was not used (line 3: phoneme 'k' is in lower case).",
    );
  });
});
