import type { Cue } from './cues';
import { parseTimestamp } from './timestamp';

/**
 * Parses SubRip text into cues (tolerates a BOM, CRLF, missing cue numbers). Throws on a malformed timing line, naming
 * its line number.
 */
export function parseSrt(text: string): Cue[] {
  const lines = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n');
  const cues: Cue[] = [];
  let i = 0;
  while (i < lines.length) {
    while (i < lines.length && lines[i].trim() === '') i++;
    if (i >= lines.length) break;
    if (/^\d+$/.test(lines[i].trim()) && i + 1 < lines.length && lines[i + 1].includes('-->')) i++;
    const timing = lines[i];
    const m = /^\s*(\S+)\s+-->\s+(\S+)/.exec(timing);
    const start = m ? parseTimestamp(m[1]) : NaN;
    const end = m ? parseTimestamp(m[2]) : NaN;
    if (Number.isNaN(start) || Number.isNaN(end))
      throw new SyntaxError(`SRT line ${i + 1}: expected a timing line, got '${timing}'`);
    i++;
    const cueLines: string[] = [];
    while (i < lines.length && lines[i].trim() !== '') cueLines.push(lines[i++]);
    cues.push({ start, end, lines: cueLines });
  }
  return cues;
}
