/**
 * RIFF/WAVE decoding, pure TypeScript (no Node or DOM): PCM 8-bit unsigned, 16/24/32-bit signed,
 * IEEE float 32/64, WAVE_FORMAT_EXTENSIBLE with either, any sample rate, any channel count.
 * Every failure throws a WavError whose message says what is wrong with the file.
 */
export class WavError extends Error {
  override name = 'WavError';
}

export interface DecodedAudio {
  sampleRate: number; // Hz
  channels: Float32Array[]; // one array per channel, samples in [-1, 1]
  /** Set when the header promised more audio than the file holds (WavLayout.truncated). */
  truncated?: WavTruncation;
}

/** A data chunk whose declared size runs past the end of the file: only `frames` of `declaredFrames` are there. */
export interface WavTruncation {
  declaredFrames: number;
  frames: number;
}

/** Sample rates accepted from a file (Hz): telephone-band recorders up to 768 kHz studio gear. */
export const WAV_SAMPLE_RATES = { min: 1000, max: 768_000 } as const;

/** Data sizes from here up are what programs writing WAV to a pipe put in the header before they know the length. */
const STREAMING_PLACEHOLDER = 0x7fff0000;

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_IEEE_FLOAT = 3;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

function fourcc(view: DataView, at: number): string {
  return String.fromCharCode(view.getUint8(at), view.getUint8(at + 1), view.getUint8(at + 2), view.getUint8(at + 3));
}

export function isWav(bytes: Uint8Array): boolean {
  if (bytes.length < 12) return false;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return (fourcc(v, 0) === 'RIFF' || fourcc(v, 0) === 'RF64') && fourcc(v, 8) === 'WAVE';
}

/** Where a WAV file's samples are and how they are stored: what decoding a block needs. */
export interface WavLayout {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** 'pcm' (8-bit unsigned, 16/24/32-bit signed) or 'float' (32/64-bit IEEE). */
  encoding: 'pcm' | 'float';
  /** Bytes per frame (all channels of one sample time): blockAlign, or channels × bytes per sample. */
  frameBytes: number;
  /** Byte offset of the first sample in the file. */
  dataStart: number;
  /** Whole frames in the data chunk (as much as the file holds when the declared size is wrong). */
  frames: number;
  /**
   * Present when the data chunk's declared size is more than the file holds (a copy or download
   * cut short): the file's frames are decoded, and callers say that audio is missing. Absent for
   * the sizes that programs writing to a pipe leave (0, and 0x7FFF0000 or more: 0x7FFFF000,
   * 0x7FFFFFFF, 0xFFFFFFFF), which promise nothing.
   */
  truncated?: WavTruncation;
}

/**
 * Reads the chunks of a WAV file up to its "data" chunk. `head` is the start of the file and
 * `fileLength` its full size (the same when the whole file is in memory). Returns null when the
 * head ends before the data chunk does start but the file goes on: read more and call again.
 * Throws a WavError that says what is wrong with the file.
 */
export function parseWavLayout(head: Uint8Array, fileLength = head.length): WavLayout | null {
  const partial = head.length < fileLength;
  if (head.length < 12) {
    if (partial) return null;
    throw new WavError(`not a WAV file: only ${head.length} bytes`);
  }
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const riff = fourcc(view, 0);
  if (riff !== 'RIFF' && riff !== 'RF64')
    throw new WavError(`not a WAV file: starts with "${riff.replace(/[^\x20-\x7e]/g, '?')}", expected "RIFF"`);
  if (fourcc(view, 8) !== 'WAVE') throw new WavError('not a WAV file: RIFF type is not "WAVE"');

  let format = -1,
    channels = 0,
    sampleRate = 0,
    bitsPerSample = 0,
    blockAlign = 0;
  let dataStart = -1,
    dataLength = 0,
    declaredLength = 0;
  let at = 12;
  while (at + 8 <= fileLength) {
    if (at + 8 > head.length) return null; // partial: the next chunk header is beyond the head
    const id = fourcc(view, at);
    let size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > fileLength) throw new WavError('WAV "fmt " chunk is truncated');
      if (body + Math.min(size, 40) > head.length && partial) return null;
      format = view.getUint16(body, true);
      channels = view.getUint16(body + 2, true);
      sampleRate = view.getUint32(body + 4, true);
      blockAlign = view.getUint16(body + 12, true);
      bitsPerSample = view.getUint16(body + 14, true);
      if (format === WAVE_FORMAT_EXTENSIBLE) {
        if (size < 40 || body + 26 > fileLength) throw new WavError('WAV extensible "fmt " chunk is truncated');
        format = view.getUint16(body + 24, true); // first two bytes of the SubFormat GUID
      }
    } else if (id === 'data') {
      dataStart = body;
      // streams written live often leave size 0 or 0xFFFFFFFF: take what is there
      // (espeak-ng --stdout writes 0x7FFFF000, arecord 0x7FFFFFFF: sizes from 2 GiB up, a stream's placeholder)
      if (size !== 0 && size < STREAMING_PLACEHOLDER && body + size > fileLength) declaredLength = size;
      if (size === 0 || size === 0xffffffff || body + size > fileLength) size = fileLength - body;
      dataLength = size;
      break;
    }
    at = body + size + (size & 1);
  }
  if (format < 0) throw new WavError('WAV file has no "fmt " chunk');
  if (dataStart < 0) throw new WavError('WAV file has no "data" chunk');
  if (channels < 1) throw new WavError(`WAV file declares ${channels} channels`);
  if (!(sampleRate >= WAV_SAMPLE_RATES.min && sampleRate <= WAV_SAMPLE_RATES.max)) {
    throw new WavError(
      `WAV sample rate ${sampleRate} Hz is out of range (${WAV_SAMPLE_RATES.min} to ${WAV_SAMPLE_RATES.max} Hz)`,
    );
  }
  let encoding: WavLayout['encoding'];
  if (format === WAVE_FORMAT_PCM) {
    if (![8, 16, 24, 32].includes(bitsPerSample))
      throw new WavError(`unsupported PCM bit depth ${bitsPerSample} (8, 16, 24 and 32 are supported)`);
    encoding = 'pcm';
  } else if (format === WAVE_FORMAT_IEEE_FLOAT) {
    if (bitsPerSample !== 32 && bitsPerSample !== 64)
      throw new WavError(`unsupported float bit depth ${bitsPerSample} (32 and 64 are supported)`);
    encoding = 'float';
  } else {
    throw new WavError(`unsupported WAV encoding (format tag ${format}); PCM and IEEE float are supported`);
  }
  const bytesPerSample = bitsPerSample / 8;
  const frameBytes = blockAlign || channels * bytesPerSample;
  if (frameBytes < channels * bytesPerSample)
    throw new WavError(`WAV block align ${blockAlign} is too small for ${channels} × ${bitsPerSample}-bit`);
  const frames = Math.floor(dataLength / frameBytes);
  const layout: WavLayout = { sampleRate, channels, bitsPerSample, encoding, frameBytes, dataStart, frames };
  if (declaredLength > 0) layout.truncated = { declaredFrames: Math.floor(declaredLength / frameBytes), frames };
  return layout;
}

/**
 * Decodes `frames` frames from `data` (bytes starting on a frame boundary of a file with this
 * layout) into one Float32Array per channel, samples in [-1, 1] (non-finite floats become 0).
 */
export function decodeWavFrames(layout: WavLayout, data: Uint8Array, frames: number): Float32Array[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const { channels, bitsPerSample, encoding, frameBytes } = layout;
  const bytesPerSample = bitsPerSample / 8;
  let read: (p: number) => number;
  if (encoding === 'pcm') {
    if (bitsPerSample === 8) read = (p) => (view.getUint8(p) - 128) / 128;
    else if (bitsPerSample === 16) read = (p) => view.getInt16(p, true) / 32768;
    else if (bitsPerSample === 24)
      read = (p) => (view.getUint8(p) | (view.getUint8(p + 1) << 8) | (view.getInt8(p + 2) << 16)) / 8388608;
    else read = (p) => view.getInt32(p, true) / 2147483648;
  } else {
    read = bitsPerSample === 32 ? (p) => view.getFloat32(p, true) : (p) => view.getFloat64(p, true);
  }
  const n = Math.min(frames, Math.floor(data.length / frameBytes));
  const out: Float32Array[] = [];
  for (let c = 0; c < channels; c++) out.push(new Float32Array(n));
  for (let i = 0; i < n; i++) {
    const base = i * frameBytes;
    for (let c = 0; c < channels; c++) {
      const v = read(base + c * bytesPerSample);
      out[c][i] = Number.isFinite(v) ? Math.max(-1, Math.min(1, v)) : 0;
    }
  }
  return out;
}

/** A whole WAV file in memory → its sample rate and channels. Throws a WavError saying what is wrong. */
export function decodeWav(bytes: Uint8Array): DecodedAudio {
  const layout = parseWavLayout(bytes)!; // the whole file: never null
  const data = bytes.subarray(layout.dataStart, layout.dataStart + layout.frames * layout.frameBytes);
  const decoded: DecodedAudio = {
    sampleRate: layout.sampleRate,
    channels: decodeWavFrames(layout, data, layout.frames),
  };
  if (layout.truncated) decoded.truncated = layout.truncated;
  return decoded;
}

/**
 * The mean of the channels, one mono signal: the only downmix the engine, the worker's file import, the CLI and
 * the recipe use. Edge cases: no channel gives an empty signal; one channel is returned as is (not copied);
 * channels of different lengths (a decoder's short last block) give the length of the shortest, never NaN.
 * Sums are taken in double precision, so equal channels give back their own samples exactly.
 */
export function downmix(channels: readonly Float32Array[]): Float32Array {
  if (channels.length === 0) return new Float32Array(0);
  if (channels.length === 1) return channels[0];
  let n = channels[0].length;
  for (const ch of channels) n = Math.min(n, ch.length);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (const ch of channels) sum += ch[i];
    out[i] = sum / channels.length;
  }
  return out;
}

/** Encodes mono Float32 samples as 16-bit PCM WAV (used by tests and tools). */
export function encodeWav16(samples: Float32Array, sampleRate: number): Uint8Array {
  const bytes = new Uint8Array(44 + samples.length * 2);
  const v = new DataView(bytes.buffer);
  const w = (at: number, s: string) => {
    for (let i = 0; i < 4; i++) v.setUint8(at + i, s.charCodeAt(i));
  };
  w(0, 'RIFF');
  v.setUint32(4, 36 + samples.length * 2, true);
  w(8, 'WAVE');
  w(12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true);
  v.setUint16(22, 1, true);
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * 2, true);
  v.setUint16(32, 2, true);
  v.setUint16(34, 16, true);
  w(36, 'data');
  v.setUint32(40, samples.length * 2, true);
  for (let i = 0; i < samples.length; i++)
    v.setInt16(44 + i * 2, Math.round(Math.max(-1, Math.min(1, samples[i])) * 32767), true);
  return bytes;
}
