/**
 * Splits transcript segments into subtitle cues that fit on screen: at most `maxLines` lines of
 * `maxCharsPerLine` characters and `maxCueSeconds` long (Netflix-like 42 × 2, 7 s). Word timings
 * give the cue boundaries; a segment without words has its time shared out by character count.
 */

import { settledSegments, type Segment } from '../transcript/segment';

export interface CueConfig {
  maxCharsPerLine: number;
  maxLines: number;
  maxCueSeconds: number;
}

export function defaultCueConfig(): CueConfig {
  return { maxCharsPerLine: 42, maxLines: 2, maxCueSeconds: 7 };
}

export interface Cue {
  start: number;
  end: number;
  /** Display lines, each ≤ maxCharsPerLine unless a single word is longer. */
  lines: string[];
}

interface TimedWord {
  word: string;
  start: number;
  end: number;
}

/** Greedy line wrap of words into lines of ≤ maxChars (a longer single word gets its own line). */
export function wrapWords(words: readonly string[], maxChars: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line.length === 0) line = w;
    else if (line.length + 1 + w.length <= maxChars) line += ' ' + w;
    else {
      lines.push(line);
      line = w;
    }
  }
  if (line.length > 0) lines.push(line);
  return lines;
}

function timedWords(segment: Segment): TimedWord[] {
  if (segment.words.length > 0) return segment.words.map((w) => ({ word: w.word, start: w.start, end: w.end }));
  const tokens = segment.text.split(/\s+/).filter((t) => t.length > 0);
  const chars = tokens.reduce((n, t) => n + t.length + 1, 0);
  const duration = segment.end - segment.start;
  let at = segment.start;
  return tokens.map((t) => {
    const w = { word: t, start: at, end: at + (duration * (t.length + 1)) / chars };
    at = w.end;
    return w;
  });
}

/** Subtitle cues of the segments (SRT, WebVTT); tentative words are left out. */
export function segmentsToCues(segments: readonly Segment[], config: CueConfig = defaultCueConfig()): Cue[] {
  const cues: Cue[] = [];
  for (const segment of settledSegments(segments)) {
    const words = timedWords(segment);
    let group: TimedWord[] = [];
    const flush = (): void => {
      if (group.length === 0) return;
      cues.push({
        start: group[0].start,
        end: group[group.length - 1].end,
        lines: wrapWords(
          group.map((w) => w.word),
          config.maxCharsPerLine,
        ),
      });
      group = [];
    };
    for (const w of words) {
      if (group.length > 0) {
        const tooLong = w.end - group[0].start > config.maxCueSeconds;
        const tooManyLines =
          wrapWords([...group.map((g) => g.word), w.word], config.maxCharsPerLine).length > config.maxLines;
        if (tooLong || tooManyLines) flush();
      }
      group.push(w);
    }
    flush();
  }
  return cues;
}
