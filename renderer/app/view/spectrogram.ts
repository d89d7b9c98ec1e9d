/**
 * What the model hears: the feature tokens (log-mel or MFCC frames, TranscriptUpdate.features) as
 * a spectrogram scrolling right to left, newest frame at the right edge, low bands at the bottom.
 *
 * Each frame is a COLUMN_PX-wide column. The colour range adapts: it follows the 2nd and 98th
 * percentiles of recent frames, so quiet rooms and loud speakers both show structure. Drawing is
 * batched into one animation frame however many updates arrive.
 */
import type { FeatureBlock } from '../../worker/protocol';

const COLUMN_PX = 2; // device pixels per feature frame: 10 ms hop → 200 px per second
const GAMMA = 1.5; // > 1 darkens the middle of the range, so formants stand out from the floor
// how fast the colour range follows the signal, per update: it widens quickly (a loud word is
// never clipped for long) and narrows slowly (a pause does not blow the noise floor up)
const RANGE_WIDEN = 0.3;
const RANGE_NARROW = 0.01;

/** A perceptual dark→bright colour ramp (like 'magma'): anchors in RGB, interpolated to 256 entries. */
const RAMP: ReadonlyArray<readonly [number, number, number]> = [
  [8, 9, 26],
  [40, 17, 89],
  [94, 23, 126],
  [150, 39, 117],
  [205, 64, 95],
  [242, 109, 76],
  [253, 170, 101],
  [252, 237, 172],
];

function buildPalette(): Uint8ClampedArray {
  const palette = new Uint8ClampedArray(256 * 3);
  for (let i = 0; i < 256; i++) {
    const x = (i / 255) * (RAMP.length - 1);
    const k = Math.min(RAMP.length - 2, Math.floor(x));
    const f = x - k;
    for (let c = 0; c < 3; c++) palette[i * 3 + c] = RAMP[k][c] + (RAMP[k + 1][c] - RAMP[k][c]) * f;
  }
  return palette;
}

export class Spectrogram {
  private readonly context: CanvasRenderingContext2D;
  private readonly palette = buildPalette();
  private queue: FeatureBlock[] = [];
  private frameRequested = false;
  private lo = Number.NaN;
  private hi = Number.NaN;
  private framesDrawn = 0;

  constructor(private readonly canvas: HTMLCanvasElement) {
    const context = canvas.getContext('2d', { alpha: false });
    if (!context) throw new Error('spectrogram: no 2D canvas context');
    this.context = context;
    new ResizeObserver(() => this.resize()).observe(canvas);
    this.resize();
  }

  /** Frames drawn since the last clear (the e2e test reads it from data-frames). */
  get frames(): number {
    return this.framesDrawn;
  }

  push(block: FeatureBlock): void {
    if (block.frames === 0 || block.dims === 0) return;
    this.queue.push(block);
    if (!this.frameRequested) {
      this.frameRequested = true;
      requestAnimationFrame(() => this.flush());
    }
  }

  clear(): void {
    this.queue = [];
    this.framesDrawn = 0;
    this.lo = this.hi = Number.NaN;
    this.paintBackground();
    this.canvas.dataset.frames = '0';
  }

  private resize(): void {
    const ratio = window.devicePixelRatio || 1;
    const width = Math.max(1, Math.round(this.canvas.clientWidth * ratio));
    const height = Math.max(1, Math.round(this.canvas.clientHeight * ratio));
    if (this.canvas.width === width && this.canvas.height === height) return;
    // resizing a canvas clears it: keep the current picture, right-aligned
    const old = this.canvas.width > 1 ? this.context.getImageData(0, 0, this.canvas.width, this.canvas.height) : null;
    this.canvas.width = width;
    this.canvas.height = height;
    this.paintBackground();
    if (old && old.height === height) this.context.putImageData(old, width - old.width, 0);
  }

  private paintBackground(): void {
    this.context.fillStyle = `rgb(${RAMP[0].join(',')})`;
    this.context.fillRect(0, 0, this.canvas.width, this.canvas.height);
  }

  private flush(): void {
    this.frameRequested = false;
    const blocks = this.queue;
    this.queue = [];
    for (const block of blocks) this.draw(block);
    this.canvas.dataset.frames = String(this.framesDrawn);
  }

  private draw(block: FeatureBlock): void {
    this.adaptRange(block);
    const { width, height } = this.canvas;
    const columns = Math.min(block.frames, Math.ceil(width / COLUMN_PX));
    const shift = columns * COLUMN_PX;
    // scroll what is there to the left, then paint the new columns at the right edge
    this.context.drawImage(this.canvas, shift, 0, width - shift, height, 0, 0, width - shift, height);
    const image = this.context.createImageData(shift, height);
    const { dims, data } = block;
    const span = this.hi - this.lo || 1;
    const first = block.frames - columns;
    for (let y = 0; y < height; y++) {
      // row y (0 = top) shows band `bin`; the top is the highest band
      const bin = Math.min(dims - 1, Math.floor(((height - 1 - y) / height) * dims));
      for (let c = 0; c < columns; c++) {
        const value = data[(first + c) * dims + bin];
        const t = Math.max(0, Math.min(1, (value - this.lo) / span));
        const level = Math.round(t ** GAMMA * 255);
        for (let px = 0; px < COLUMN_PX; px++) {
          const o = (y * shift + c * COLUMN_PX + px) * 4;
          image.data[o] = this.palette[level * 3];
          image.data[o + 1] = this.palette[level * 3 + 1];
          image.data[o + 2] = this.palette[level * 3 + 2];
          image.data[o + 3] = 255;
        }
      }
    }
    this.context.putImageData(image, width - shift, 0);
    this.framesDrawn += block.frames;
  }

  /** Moves the colour range towards this block's 2nd..99.5th percentile. */
  private adaptRange(block: FeatureBlock): void {
    const values = Float32Array.from(block.data).sort();
    const p = (q: number): number => values[Math.min(values.length - 1, Math.floor(q * values.length))];
    const lo = p(0.02);
    const hi = Math.max(p(0.995), lo + 1e-3);
    if (Number.isNaN(this.lo)) {
      this.lo = lo;
      this.hi = hi;
      return;
    }
    this.lo += (lo - this.lo) * (lo < this.lo ? RANGE_WIDEN : RANGE_NARROW);
    this.hi += (hi - this.hi) * (hi > this.hi ? RANGE_WIDEN : RANGE_NARROW);
  }
}
