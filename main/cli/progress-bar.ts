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
    const width = 30;
    const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width);
    const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
    const cols = this.stream.columns ?? 100;
    const line = `${this.label} ${bar} ${(fraction * 100).toFixed(0).padStart(3)}% ${detail}`.slice(0, cols - 1);
    this.stream.write(`\r${line}\x1b[K`);
    this.drawn = true;
  }

  done(): void {
    if (this.enabled && this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }
}
