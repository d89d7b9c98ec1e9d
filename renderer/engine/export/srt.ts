import type { Segment } from '../transcript/segment';
import { defaultCueConfig, segmentsToCues, type Cue, type CueConfig } from './cues';
import { formatTimestamp } from './timestamp';

/**
 * SubRip text: numbered cues `1\n00:00:01,234 --> 00:00:03,000\nline\nline\n\n`.
 * SRT has no escape syntax, so cue text is made safe instead: line breaks inside a line
 * become spaces (a blank line would end the cue) and `-->` becomes `->` (it marks timings).
 */
export function toSrt(segments: readonly Segment[], config: CueConfig = defaultCueConfig()): string {
  return cuesToSrt(segmentsToCues(segments, config));
}

export function cuesToSrt(cues: readonly Cue[]): string {
  return cues
    .map((cue, i) => {
      const lines = cue.lines.map(sanitizeSrtLine).filter((l) => l.length > 0);
      return `${i + 1}\n${formatTimestamp(cue.start, ',')} --> ${formatTimestamp(cue.end, ',')}\n${lines.join('\n')}\n`;
    })
    .join('\n');
}

export function sanitizeSrtLine(line: string): string {
  return line.replace(/\s+/g, ' ').replace(/-->/g, '->').trim();
}
