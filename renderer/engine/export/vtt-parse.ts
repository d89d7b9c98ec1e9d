import type { Cue } from './cues';
import { parseTimestamp } from './timestamp';

/**
 * Parses WebVTT text into cues: checks the `WEBVTT` signature, skips NOTE / STYLE / REGION
 * blocks, accepts cue identifiers, cue settings after the end time and `MM:SS.mmm` timestamps,
 * and unescapes `&amp; &lt; &gt; &nbsp; &lrm; &rlm;`. Throws on a bad signature or timing line.
 */
export function parseVtt(text: string): Cue[] {
  const lines = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n');
  if (!/^WEBVTT(?:[ \t].*)?$/.test(lines[0] ?? '')) throw new SyntaxError(`WebVTT: missing 'WEBVTT' signature`);
  const cues: Cue[] = [];
  let i = 1;
  while (i < lines.length && lines[i].trim() !== '') i++; // header lines
  while (i < lines.length) {
    while (i < lines.length && lines[i].trim() === '') i++;
    if (i >= lines.length) break;
    const first = lines[i];
    if (/^(NOTE|STYLE|REGION)(\s|$)/.test(first)) {
      while (i < lines.length && lines[i].trim() !== '') i++;
      continue;
    }
    if (!first.includes('-->')) i++; // cue identifier
    const timing = lines[i] ?? '';
    const m = /^\s*(\S+)\s+-->\s+(\S+)/.exec(timing);
    const start = m ? parseTimestamp(m[1]) : NaN;
    const end = m ? parseTimestamp(m[2]) : NaN;
    if (Number.isNaN(start) || Number.isNaN(end))
      throw new SyntaxError(`WebVTT line ${i + 1}: expected a timing line, got '${timing}'`);
    i++;
    const cueLines: string[] = [];
    while (i < lines.length && lines[i].trim() !== '') cueLines.push(unescapeVttText(lines[i++]));
    cues.push({ start, end, lines: cueLines });
  }
  return cues;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', nbsp: '\u00a0', lrm: '\u200e', rlm: '\u200f' };

export function unescapeVttText(text: string): string {
  return text.replace(/&(amp|lt|gt|nbsp|lrm|rlm);/g, (_, name: string) => ENTITIES[name]);
}
