import { describe, expect, it } from 'vitest';
import { parseTranscriptJson, toJson } from '../../../../renderer/engine/export/json';
import { segment } from './segments-fixture';

describe('JSON export', () => {
  it('writes the earshot-transcript v1 shape with words, and reads it back', () => {
    const data = parseTranscriptJson(toJson([segment(0, 0.1234, 1.5, 'hello world')]));
    expect(data).toEqual({
      format: 'earshot-transcript',
      version: 1,
      segments: [
        {
          start: 0.123,
          end: 1.5,
          text: 'hello world',
          words: [
            { word: 'hello', start: 0.123, end: 0.812, confidence: 0.875 },
            { word: 'world', start: 0.812, end: 1.5, confidence: 0.875 },
          ],
        },
      ],
    });
  });

  it('refuses another format or a newer version', () => {
    expect(() => parseTranscriptJson('{"format":"other","version":1,"segments":[]}')).toThrow(/format/);
    expect(() => parseTranscriptJson('{"format":"earshot-transcript","version":2,"segments":[]}')).toThrow(/version 2/);
  });
});
