import type { Segment } from '../transcript/segment';
import { defaultCueConfig, segmentsToCues, type Cue, type CueConfig } from './cues';
import { formatTimestamp } from './timestamp';

/**
 * WebVTT text: `WEBVTT` header then cues `00:00:01.234 --> 00:00:03.000\nline\n\n`.
 * Cue text escapes `&`, `<`, `>` as character references (the WebVTT cue text syntax), which
 * also keeps `-->` out of cue text; line breaks inside a line become spaces.
 */
export function toVtt(segments: readonly Segment[], config: CueConfig = defaultCueConfig()): string {
  return cuesToVtt(segmentsToCues(segments, config));
}

export function cuesToVtt(cues: readonly Cue[]): string {
  const blocks = cues.map((cue) => {
    const lines = cue.lines.map((l) => escapeVttText(l.replace(/\s+/g, ' ').trim())).filter((l) => l.length > 0);
    return `${formatTimestamp(cue.start, '.')} --> ${formatTimestamp(cue.end, '.')}\n${lines.join('\n')}\n`;
  });
  return ['WEBVTT\n', ...blocks].join('\n');
}

export function escapeVttText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
