import { describe, expect, it } from 'vitest';
import { TranscriptDocument, type DocumentChange } from '../../../renderer/app/session/transcript-document';
import { editSegmentText, replaceWord, spreadWords } from '../../../renderer/app/session/edit-segment';
import { findMatches } from '../../../renderer/app/session/transcript-search';
import type { Segment } from '../../../renderer/worker/protocol';

function segment(id: number, start: number, words: [string, number][]): Segment {
  const ws = words.map(([word, confidence], i) => ({
    word,
    start: start + i * 0.5,
    end: start + i * 0.5 + 0.4,
    confidence,
  }));
  return { id, start, end: ws.at(-1)!.end, text: words.map(([w]) => w).join(' '), words: ws, final: true };
}

describe('editing a final segment', () => {
  const s: Segment = {
    ...segment(3, 10, [
      ['the', 0.9],
      ['cat', 0.3],
      ['sat', 0.8],
    ]),
    words: [],
  };
  s.words = segment(3, 10, [
    ['the', 0.9],
    ['cat', 0.3],
    ['sat', 0.8],
  ]).words.map((w, i) => (i === 1 ? { ...w, alternatives: [{ word: 'kat', score: -1, probability: 0.2 }] } : w));

  it('keeps word times when the word count is unchanged; a corrected word gets confidence 1 and no alternatives', () => {
    const edited = editSegmentText(s, '  the   hat sat ');
    expect(edited.text).toBe('the hat sat');
    expect(edited.words.map((w) => [w.word, w.start, w.end, w.confidence])).toEqual([
      ['the', 10, 10.4, 0.9],
      ['hat', 10.5, 10.9, 1],
      ['sat', 11, 11.4, 0.8],
    ]);
    expect(edited.words[1].alternatives).toBeUndefined();
    expect(edited.id).toBe(3);
  });

  it('shares the segment span out over a different number of words, in order, end to end', () => {
    const edited = editSegmentText(s, 'a much longer sentence');
    expect(edited.words.map((w) => w.word)).toEqual(['a', 'much', 'longer', 'sentence']);
    expect(edited.words[0].start).toBe(10);
    expect(edited.words.at(-1)!.end).toBe(s.end);
    for (let i = 1; i < edited.words.length; i++) expect(edited.words[i].start).toBeCloseTo(edited.words[i - 1].end, 9);
    expect(edited.words[3].end - edited.words[3].start).toBeGreaterThan(edited.words[0].end - edited.words[0].start);
  });

  it('replaces one word by an alternative and rebuilds the text', () => {
    const r = replaceWord(s, 1, 'kat');
    expect(r.text).toBe('the kat sat');
    expect(r.words[1]).toEqual({ word: 'kat', start: 10.5, end: 10.9, confidence: 1 });
    expect(replaceWord(s, 9, 'x')).toBe(s);
  });

  it('spreads words over an empty span without negative durations', () => {
    for (const w of spreadWords(['a', 'b'], 5, 5)) expect(w.end).toBeGreaterThanOrEqual(w.start);
  });
});

describe('TranscriptDocument', () => {
  it('appends finals, drops empty ones, and hands out the next timeline point', () => {
    const doc = new TranscriptDocument();
    const changes: DocumentChange['kind'][] = [];
    doc.onChange((c) => changes.push(c.kind));
    doc.appendFinals([segment(0, 0, [['hi', 1]]), { ...segment(1, 1, [['x', 1]]), text: ' ' }]);
    expect(doc.segments.map((s) => s.id)).toEqual([0]);
    doc.addAudioSeconds(4.5);
    expect(doc.nextTimeline()).toEqual({ offsetSeconds: 4.5, firstSegmentId: 2 });
    doc.setPartial(segment(2, 5, [['wo', 0.4]]));
    doc.setPartial(segment(2, 5, [['wo', 0.4]])); // the same partial again (a pass without a new step): no event
    doc.setPartial(segment(2, 5, [['wo', 0.5]])); // a changed confidence is a change
    doc.setPartial(null);
    doc.setPartial(null); // no change, no event
    expect(changes).toEqual(['finals-added', 'partial', 'partial', 'partial']);
  });

  it('edits, removes on empty text, and ignores unknown ids or no-op edits', () => {
    const doc = new TranscriptDocument();
    doc.appendFinals([segment(0, 0, [['one', 1]]), segment(1, 2, [['two', 1]])]);
    expect(doc.editText(0, 'uno')).toBe(true);
    expect(doc.find(0)?.text).toBe('uno');
    expect(doc.editText(0, ' uno ')).toBe(false);
    expect(doc.editText(7, 'x')).toBe(false);
    expect(doc.editText(1, '   ')).toBe(true);
    expect(doc.segments.map((s) => s.id)).toEqual([0]);
  });

  it('loads a saved session: next ids and times continue after it', () => {
    const doc = new TranscriptDocument();
    doc.load([segment(4, 30, [['a', 1]]), segment(9, 40, [['b', 1]])]);
    expect(doc.nextTimeline()).toEqual({ offsetSeconds: 40.4, firstSegmentId: 10 });
    doc.load([segment(0, 0, [['a', 1]])], 75);
    expect(doc.nextTimeline().offsetSeconds).toBe(75);
  });
});

describe('transcript search', () => {
  const segments = [
    segment(0, 0, [
      ['The', 1],
      ['cat', 1],
      ['sat', 1],
    ]),
    segment(1, 3, [
      ['on', 1],
      ['the', 1],
      ['mat', 1],
      ['the', 1],
    ]),
  ];

  it('finds words case-insensitively, in every segment, in order', () => {
    expect(findMatches(segments, 'THE')).toEqual([
      { segmentId: 0, firstWord: 0, lastWord: 0 },
      { segmentId: 1, firstWord: 1, lastWord: 1 },
      { segmentId: 1, firstWord: 3, lastWord: 3 },
    ]);
  });

  it('matches phrases across words and parts of words', () => {
    expect(findMatches(segments, 'cat  sat')).toEqual([{ segmentId: 0, firstWord: 1, lastWord: 2 }]);
    expect(findMatches(segments, 'at')).toHaveLength(3);
    expect(findMatches(segments, 'e m')).toEqual([{ segmentId: 1, firstWord: 1, lastWord: 2 }]);
    expect(findMatches(segments, '   ')).toEqual([]);
    expect(findMatches(segments, 'dog')).toEqual([]);
  });
});
