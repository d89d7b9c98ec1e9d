/**
 * A one-line progress bar on stderr, for long files. Silent when stderr is not a terminal
 * (piped or redirected output) or when disabled (--quiet).
 */
export class ProgressBar {
  private lastDraw = 0;
  private drawn = false;

  constructor(
    private readonly label: string,
    private readonly enabled: boolean = Boolean(process.stderr.isTTY),
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  /** @param fraction 0..1 of the work done; @param detail short text after the bar */
  update(fraction: number, detail = ''): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.lastDraw < 100 && fraction < 1) return;
    this.lastDraw = now;
    this.stream.write(`\r${progressLine(this.label, fraction, detail, this.stream.columns ?? 100)}\x1b[K`);
    this.drawn = true;
  }

  done(): void {
    if (this.enabled && this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }
}

/**
 * `LABEL ███░░░  42% DETAIL` in at most `columns - 1` characters. The percentage and the detail
 * (which carries its unit: "12 s / 303 s", "5/300 files") are kept whole; a narrow terminal
 * shortens the bar, then the label (with …), so a number is never shown without its unit.
 */
export function progressLine(label: string, fraction: number, detail: string, columns: number): string {
  const room = Math.max(1, columns - 1);
  const tail = ` ${(Math.max(0, Math.min(1, fraction)) * 100).toFixed(0).padStart(3)}%${detail ? ` ${detail}` : ''}`;
  let name = label;
  let width = Math.min(30, Math.max(0, room - tail.length - name.length - 1));
  if (width < 10) {
    width = Math.min(30, Math.max(0, room - tail.length - 1 - Math.min(name.length, 12)));
    const keep = Math.max(0, room - tail.length - width - 1);
    if (name.length > keep) name = keep > 1 ? `${name.slice(0, keep - 1)}…` : '';
  }
  const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width);
  const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
  return `${name}${name && bar ? ' ' : ''}${bar}${tail}`.slice(0, room);
}
