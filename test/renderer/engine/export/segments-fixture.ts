import type { Segment } from '../../../../renderer/engine/transcript/segment';

/** A final segment whose words are spread evenly over [start, end]. */
export function segment(id: number, start: number, end: number, text: string): Segment {
  const tokens = text.split(' ');
  const step = (end - start) / tokens.length;
  return {
    id,
    start,
    end,
    text,
    final: true,
    words: tokens.map((word, i) => ({ word, start: start + i * step, end: start + (i + 1) * step, confidence: 0.875 })),
  };
}
