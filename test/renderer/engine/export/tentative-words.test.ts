import { describe, expect, it } from 'vitest';
import { toJson } from '../../../../renderer/engine/export/json';
import { toSrt } from '../../../../renderer/engine/export/srt';
import { toTxt } from '../../../../renderer/engine/export/txt';
import { toVtt } from '../../../../renderer/engine/export/vtt';
import { segmentFromResult, settledSegments, type Segment } from '../../../../renderer/engine/transcript/segment';
import { Transcript } from '../../../../renderer/engine/transcript/transcript';
import { segment } from './segments-fixture';

/** A partial as the engine makes it: two decided words, then the word being spoken. */
function partialWithTentative(): Segment {
  const s = segment(1, 2, 3.5, 'hello world zebra');
  s.final = false;
  s.words[2].tentative = true;
  return s;
}

describe('tentative words', () => {
  const finals = [segment(0, 0, 1, 'the cat sat')];
  const all = [...finals, partialWithTentative()];

  it('never reach an export: TXT, SRT, WebVTT and JSON leave them out', () => {
    for (const text of [toTxt(all), toSrt(all), toVtt(all), toJson(all)]) {
      expect(text).toContain('the cat sat');
      expect(text).toContain('hello world');
      expect(text).not.toContain('zebra');
    }
    expect(JSON.parse(toJson(all)).segments[1]).toMatchObject({ text: 'hello world', end: 3 });
  });

  it('settledSegments keeps segments without them as they are (edited text included) and drops one left empty', () => {
    const edited = { ...segment(0, 0, 1, 'the cat sat'), text: 'The cat sat.' };
    const onlyTentative = segment(2, 4, 5, 'maybe');
    onlyTentative.words[0].tentative = true;
    const out = settledSegments([edited, partialWithTentative(), onlyTentative]);
    expect(out[0]).toBe(edited);
    expect(out.map((s) => s.text)).toEqual(['The cat sat.', 'hello world']);
    expect(out[1].words.some((w) => w.tentative)).toBe(false);
  });

  it('are dropped from a final segment, and kept in the partial', () => {
    const words = partialWithTentative().words;
    const result = { words, text: 'hello world zebra', units: [] };
    const t = new Transcript();
    expect(t.setPartial(result)!.text).toBe('hello world zebra');
    const committed = t.commit(result)!;
    expect(committed.text).toBe('hello world');
    expect(committed.words.map((w) => w.word)).toEqual(['hello', 'world']);
    expect(segmentFromResult(0, { words: [words[2]], text: 'zebra', units: [] }, true)).toBeNull();
  });
});
