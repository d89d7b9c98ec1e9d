import { describe, expect, it } from 'vitest';
import { decodeWav, downmix, encodeWav16, parseWavLayout, WavError } from '../../../../renderer/engine/audio/wav';
import { resample, Resampler } from '../../../../renderer/engine/audio/resampler';
import { wavBytes, wavSampleBytes } from '../../../helpers/wav-bytes';

/** A WAV file of `samples` (one array per channel) in the given format (see test/helpers/wav-bytes.ts). */
function makeWav(opts: {
  format: number;
  bits: number;
  channels: number;
  rate: number;
  samples: number[][];
  extensible?: boolean;
}): Uint8Array {
  return wavBytes(opts, wavSampleBytes(opts.samples, opts.format, opts.bits));
}

const sig = [0, 0.5, -0.5, 0.25, -1, 0.999];

describe('decodeWav', () => {
  for (const [format, bits, tol] of [
    [1, 8, 0.01],
    [1, 16, 1e-4],
    [1, 24, 1e-6],
    [1, 32, 1e-6],
    [3, 32, 1e-7],
    [3, 64, 1e-7],
  ] as const) {
    it(`reads ${format === 1 ? 'PCM' : 'float'} ${bits}-bit samples`, () => {
      const out = decodeWav(makeWav({ format, bits, channels: 1, rate: 22050, samples: [sig] }));
      expect(out.sampleRate).toBe(22050);
      out.channels[0].forEach((x, i) =>
        expect(Math.abs(x - sig[i])).toBeLessThanOrEqual(tol + 1e-7 + (bits === 8 ? 0.01 : 0)),
      );
    });
  }

  it('reads WAVE_FORMAT_EXTENSIBLE stereo and downmixes it to mono', () => {
    const out = decodeWav(
      makeWav({ format: 1, bits: 16, channels: 2, rate: 48000, samples: [sig, sig.map((x) => -x)], extensible: true }),
    );
    expect(out.channels.length).toBe(2);
    expect(Array.from(downmix(out.channels)).every((x) => Math.abs(x) < 1e-4)).toBe(true);
  });

  it('round-trips encodeWav16', () => {
    const x = Float32Array.from(sig);
    const out = decodeWav(encodeWav16(x, 16000));
    out.channels[0].forEach((y, i) => expect(y).toBeCloseTo(sig[i], 3));
  });

  it.each([
    ['a text file', new TextEncoder().encode('hello, I am not audio at all'), /not a WAV file/],
    ['an empty file', new Uint8Array(0), /only 0 bytes/],
    [
      'a RIFF without data',
      makeWav({ format: 1, bits: 16, channels: 1, rate: 16000, samples: [sig] }).slice(0, 36),
      /no "data" chunk/,
    ],
    [
      'an unsupported encoding',
      makeWav({ format: 2, bits: 16, channels: 1, rate: 16000, samples: [[0]] }),
      /unsupported WAV encoding/,
    ],
  ])('refuses %s with a WavError that says why', (_name, bytes, message) => {
    expect(() => decodeWav(bytes)).toThrow(WavError);
    expect(() => decodeWav(bytes)).toThrow(message);
  });

  it('says when the header promises more samples than the file holds (and decodes what is there)', () => {
    const whole = encodeWav16(new Float32Array(1000).fill(0.25), 16000);
    const cut = whole.subarray(0, 44 + 2 * 600 + 1); // 600 whole samples and a stray byte
    const audio = decodeWav(cut);
    expect(audio.channels[0].length).toBe(600);
    expect(audio.truncated).toEqual({ declaredFrames: 1000, frames: 600 });
    expect(parseWavLayout(cut.subarray(0, 64), cut.length)!.truncated).toEqual({ declaredFrames: 1000, frames: 600 });
    expect(decodeWav(whole).truncated).toBeUndefined();
  });

  it('takes the sizes a program writing to a pipe leaves (0, 0x7FFFF000, 0xFFFFFFFF) as "to the end", not as truncation', () => {
    for (const placeholder of [0, 0x7ffff000, 0x7fffffff, 0xffffffff]) {
      const bytes = encodeWav16(new Float32Array(500).fill(0.1), 16000).slice();
      new DataView(bytes.buffer).setUint32(40, placeholder, true);
      const audio = decodeWav(bytes);
      expect(audio.channels[0].length).toBe(500);
      expect(audio.truncated).toBeUndefined();
    }
  });
});

describe('downmix', () => {
  it('averages the channels sample by sample', () => {
    expect([...downmix([new Float32Array([1, 0.5, -1]), new Float32Array([0, 0.25, -0.5])])]).toEqual([
      0.5, 0.375, -0.75,
    ]);
  });

  it('returns a single channel as is and no channel as an empty signal', () => {
    const mono = new Float32Array([0.1, 0.2]);
    expect(downmix([mono])).toBe(mono);
    expect(downmix([]).length).toBe(0);
  });

  it('stops at the shortest channel instead of reading past the end (no NaN)', () => {
    const out = downmix([new Float32Array([1, 0.5]), new Float32Array([0, 0.5, 9, 9])]);
    expect([...out]).toEqual([0.5, 0.5]);
    expect(downmix([new Float32Array([1, 0.5, 9]), new Float32Array([0])]).length).toBe(1);
  });

  it('gives back equal channels exactly, however many', () => {
    const ch = Float32Array.from({ length: 64 }, (_, i) => Math.fround(Math.sin(i * 0.7) * 0.9));
    for (const k of [2, 3, 5, 6]) expect([...downmix(Array.from({ length: k }, () => ch))]).toEqual([...ch]);
  });
});

describe('Resampler', () => {
  it('converts 48 kHz to 16 kHz keeping a 1 kHz tone and removing a 10 kHz one', () => {
    const n = 48000;
    const x = Float32Array.from(
      { length: n },
      (_, i) => Math.sin((2 * Math.PI * 1000 * i) / 48000) + Math.sin((2 * Math.PI * 10000 * i) / 48000),
    );
    const y = resample(x, 48000, 16000);
    expect(y.length).toBe(16000);
    let err = 0;
    for (let j = 100; j < y.length - 100; j++)
      err = Math.max(err, Math.abs(y[j] - Math.sin((2 * Math.PI * 1000 * j) / 16000)));
    expect(err).toBeLessThan(0.01);
  });

  it('gives the same output whatever the block sizes (44.1 kHz)', () => {
    const x = Float32Array.from({ length: 44100 }, (_, i) => Math.sin(i * 0.01) * Math.cos(i * 0.003));
    const whole = resample(x, 44100, 16000);
    const r = new Resampler(44100, 16000);
    const parts: number[] = [];
    for (let i = 0; i < x.length; i += 1000) parts.push(...r.push(x.subarray(i, i + 1000)));
    parts.push(...r.flush());
    expect(parts.length).toBe(whole.length);
    expect(parts.every((v, i) => v === whole[i])).toBe(true);
  });
});
