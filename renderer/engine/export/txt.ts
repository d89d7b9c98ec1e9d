import { settledSegments, type Segment } from '../transcript/segment';
import { formatTimestamp } from './timestamp';

export interface TxtOptions {
  /** Prefix each line with `[HH:MM:SS.mmm] `. Default false. */
  timestamps?: boolean;
}

/** Plain text: one line per segment (final newline included; empty transcript → ''). Tentative words are left out. */
export function toTxt(segments: readonly Segment[], options: TxtOptions = {}): string {
  return settledSegments(segments)
    .map((s) => {
      const text = s.text.replace(/\s+/g, ' ').trim();
      return (options.timestamps ? `[${formatTimestamp(s.start, '.')}] ` : '') + text + '\n';
    })
    .join('');
}
