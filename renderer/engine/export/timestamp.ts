/**
 * Subtitle timestamps: `HH:MM:SS,mmm` (SRT) or `HH:MM:SS.mmm` (WebVTT). Seconds are rounded to the millisecond;
 * negatives clamp to 0.
 */
export function formatTimestamp(seconds: number, separator: ',' | '.'): string {
  const totalMs = Math.max(0, Math.round(seconds * 1000));
  const ms = totalMs % 1000;
  const totalS = (totalMs - ms) / 1000;
  const s = totalS % 60;
  const m = Math.floor(totalS / 60) % 60;
  const h = Math.floor(totalS / 3600);
  return `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}${separator}${pad(ms, 3)}`;
}

/** Parses `HH:MM:SS,mmm`, `HH:MM:SS.mmm` or `MM:SS.mmm` into seconds; NaN when malformed. */
export function parseTimestamp(text: string): number {
  const m = /^(?:(\d+):)?(\d{1,2}):(\d{1,2})[,.](\d{1,3})$/.exec(text.trim());
  if (!m) return NaN;
  const h = m[1] !== undefined ? Number(m[1]) : 0;
  return h * 3600 + Number(m[2]) * 60 + Number(m[3]) + Number(m[4].padEnd(3, '0')) / 1000;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
