import { describe, expect, it } from 'vitest';
import { engineConfigFromSettings } from '../../../renderer/app/engine-config';
import { replaceWord, styledLike } from '../../../renderer/app/session/edit-segment';
import { defaultSettings, sanitizeSettings } from '../../../renderer/shared/settings-schema';
import type { Segment } from '../../../renderer/engine/transcript/segment';

describe('readable text in the app', () => {
  it('is a setting (on by default) that reaches the recognizer config; off gives raw words', () => {
    expect(defaultSettings().readableText).toBe(true);
    expect(engineConfigFromSettings(defaultSettings()).recognizer.readable).toBe(true);
    const raw = sanitizeSettings({ ...defaultSettings(), readableText: false });
    expect(engineConfigFromSettings(raw).recognizer.readable).toBe(false);
    expect(sanitizeSettings({ readableText: 'yes' }).readableText).toBe(true);
  });

  it('an alternative takes the capital and the mark of the displayed word it replaces', () => {
    const shown = { word: 'To,', raw: 'to', start: 0, end: 0.2, confidence: 0.5 };
    expect(styledLike(shown, 'too')).toBe('Too,');
    expect(styledLike({ word: 'to', start: 0, end: 0.2, confidence: 0.5 }, 'too')).toBe('too');
    const segment: Segment = {
      id: 0,
      start: 0,
      end: 1,
      final: true,
      text: 'Go To, there.',
      words: [
        { word: 'Go', raw: 'go', start: 0, end: 0.1, confidence: 1 },
        shown,
        { word: 'there.', raw: 'there', start: 0.5, end: 1, confidence: 1 },
      ],
    };
    expect(replaceWord(segment, 1, 'two').text).toBe('Go Two, there.');
  });
});
