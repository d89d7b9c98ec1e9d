/**
 * WAV files built byte by byte for the audio tests and the audio fuzzer, in layouts encodeWav16 does not write:
 * any PCM or float sample format, WAVE_FORMAT_EXTENSIBLE, a LIST chunk before the data, a data size left at 0.
 */

export interface WavLayout {
  /** Format tag: 1 PCM, 3 IEEE float (or any other, as a test wants). */
  format: number;
  channels: number;
  rate: number;
  bits: number;
  /** WAVE_FORMAT_EXTENSIBLE: a 40-byte fmt chunk whose SubFormat GUID starts with `format`. */
  extensible?: boolean;
  /** A LIST chunk of this many zero bytes (plus its pad byte) between fmt and data. */
  listBytes?: number;
  /** The data chunk's size field left at 0, as a live recorder leaves it. */
  dataSizeZero?: boolean;
}

/**
 * A WAV file: RIFF header, fmt chunk, optional LIST chunk, and a data chunk holding `data` (the interleaved sample
 * bytes, see wavSampleBytes), with a pad byte after odd-sized data as RIFF wants.
 */
export function wavBytes(layout: WavLayout, data: Uint8Array): Uint8Array {
  const { format, channels, rate, bits } = layout;
  const fmtSize = layout.extensible ? 40 : 16;
  const list = layout.listBytes ? 8 + layout.listBytes + (layout.listBytes & 1) : 0;
  const out = new Uint8Array(12 + 8 + fmtSize + list + 8 + data.length + (data.length & 1));
  const v = new DataView(out.buffer);
  const tag = (at: number, s: string) => {
    for (let i = 0; i < 4; i++) out[at + i] = s.charCodeAt(i);
  };
  tag(0, 'RIFF');
  v.setUint32(4, out.length - 8, true);
  tag(8, 'WAVE');
  tag(12, 'fmt ');
  v.setUint32(16, fmtSize, true);
  v.setUint16(20, layout.extensible ? 0xfffe : format, true);
  v.setUint16(22, channels, true);
  v.setUint32(24, rate, true);
  v.setUint32(28, (rate * channels * bits) / 8, true);
  v.setUint16(32, (channels * bits) / 8, true);
  v.setUint16(34, bits, true);
  if (layout.extensible) {
    v.setUint16(36, 22, true);
    v.setUint16(38, bits, true);
    v.setUint32(40, channels === 1 ? 4 : 3, true); // channel mask: front centre, or front left + right
    v.setUint16(44, format, true); // first two bytes of the SubFormat GUID
  }
  let at = 20 + fmtSize;
  if (layout.listBytes) {
    tag(at, 'LIST');
    v.setUint32(at + 4, layout.listBytes, true);
    at += list;
  }
  tag(at, 'data');
  v.setUint32(at + 4, layout.dataSizeZero ? 0 : data.length, true);
  out.set(data, at + 8);
  return out;
}

/**
 * Interleaved sample bytes of `channels` (one array of values in [-1, 1] per channel, all as long as the first):
 * float32/64 for format 3, else PCM: 8-bit unsigned, 16-, 24- or 32-bit signed, little-endian.
 */
export function wavSampleBytes(channels: ArrayLike<number>[], format: number, bits: number): Uint8Array {
  const bytes = bits / 8;
  const n = channels[0].length;
  const out = new Uint8Array(n * channels.length * bytes);
  const v = new DataView(out.buffer);
  let at = 0;
  for (let i = 0; i < n; i++) {
    for (const channel of channels) {
      const x = channel[i];
      if (format === 3 && bits === 32) v.setFloat32(at, x, true);
      else if (format === 3) v.setFloat64(at, x, true);
      else if (bits === 8) v.setUint8(at, Math.round(x * 127) + 128);
      else if (bits === 16) v.setInt16(at, Math.round(x * 32767), true);
      else if (bits === 24) {
        const q = Math.round(x * 8388607);
        v.setUint8(at, q & 0xff);
        v.setUint8(at + 1, (q >> 8) & 0xff);
        v.setInt8(at + 2, q >> 16);
      } else v.setInt32(at, Math.round(x * 2147483647), true);
      at += bytes;
    }
  }
  return out;
}
