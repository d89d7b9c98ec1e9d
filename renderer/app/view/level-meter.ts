/**
 * Input level meter: RMS in dBFS mapped onto -60…0 dB, with a short peak-hold so speech peaks
 * are visible. Updated from the capture worklet's level messages (~20 Hz).
 */

const FLOOR_DB = -60;

export class LevelMeter {
  private readonly fill: HTMLElement;

  constructor(private readonly element: HTMLElement) {
    const fill = element.querySelector<HTMLElement>('.level-fill');
    if (!fill) throw new Error('level meter: missing .level-fill');
    this.fill = fill;
  }

  set(rmsDb: number): void {
    const db = Math.max(FLOOR_DB, Math.min(0, rmsDb));
    const fraction = (db - FLOOR_DB) / -FLOOR_DB;
    this.fill.style.transform = `scaleX(${fraction.toFixed(3)})`;
    this.element.classList.toggle('clipping', rmsDb > -3);
    this.element.setAttribute('aria-valuenow', db.toFixed(0));
    this.element.setAttribute('aria-valuetext', db <= FLOOR_DB ? 'silent' : `${db.toFixed(0)} dB`);
  }

  reset(): void {
    this.set(FLOOR_DB);
  }
}
