/**
 * Mutated audio files for the audio fuzzer. Bases: WAV written here in several layouts (16-bit mono,
 * 8-bit stereo, 24-bit, float32 stereo, float64, WAVE_FORMAT_EXTENSIBLE), plus FLAC, MP3, OGG Vorbis
 * and Opus made once by sox/ffmpeg when they are installed (`makeCodecBases`).
 *
 * Mutations: header fields set to hostile values (zero channels, odd or absurd bit depths, format
 * tags, sample rates, block align, huge declared chunk sizes), chunk surgery (missing, repeated,
 * reordered, odd-sized and empty chunks), truncation, bit flips, zeroed runs, random bytes behind a
 * real magic number, and the same byte-level damage to the compressed formats.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeWav16 } from '../../renderer/engine/audio/wav';
import { wavBytes, wavSampleBytes } from '../helpers/wav-bytes';
import { flipBits, type Random } from './package-mutations';

export interface AudioBase {
  name: string;
  /** File extension the case is written with ('wav', 'flac', ...). */
  ext: string;
  bytes: Uint8Array;
}

export interface AudioCase {
  label: string;
  ext: string;
  bytes: Uint8Array;
}

const pick = <T>(rnd: Random, items: readonly T[]): T => items[Math.floor(rnd() * items.length)];
const int = (rnd: Random, lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));

/** 0.6 s of a speech-like signal: two harmonics under a syllable-rate envelope. */
export function baseSignal(rate: number, seconds = 0.6): Float32Array {
  const n = Math.round(rate * seconds);
  return Float32Array.from({ length: n }, (_, i) => {
    const t = i / rate;
    return (
      0.4 *
      Math.abs(Math.sin(Math.PI * 4 * t)) *
      (Math.sin(2 * Math.PI * 150 * t) + 0.4 * Math.sin(2 * Math.PI * 600 * t))
    );
  });
}

/** The base signal at `rate` as a WAV file; channels after the first at half amplitude. */
function baseWav(format: number, channels: number, rate: number, bits: number, extensible = false): Uint8Array {
  const signal = baseSignal(rate);
  const half = Array.from(signal, (x) => x * 0.5);
  const data = wavSampleBytes(
    Array.from({ length: channels }, (_, c) => (c === 0 ? signal : half)),
    format,
    bits,
  );
  return wavBytes({ format, channels, rate, bits, extensible }, data);
}

export function wavBases(): AudioBase[] {
  return [
    { name: 'wav16-mono-16k', ext: 'wav', bytes: encodeWav16(baseSignal(16000), 16000) },
    { name: 'wav8-stereo-8k', ext: 'wav', bytes: baseWav(1, 2, 8000, 8) },
    { name: 'wav24-mono-44k', ext: 'wav', bytes: baseWav(1, 1, 44100, 24) },
    { name: 'wav32i-mono-22k', ext: 'wav', bytes: baseWav(1, 1, 22050, 32) },
    { name: 'float32-stereo-48k', ext: 'wav', bytes: baseWav(3, 2, 48000, 32) },
    { name: 'float64-mono-16k', ext: 'wav', bytes: baseWav(3, 1, 16000, 64) },
    { name: 'extensible16-stereo-32k', ext: 'wav', bytes: baseWav(1, 2, 32000, 16, true) },
  ];
}

/**
 * FLAC, MP3, OGG Vorbis and Opus versions of the 16 kHz base, made with sox/ffmpeg into `dir`
 * (reused when already there). Formats whose tool is missing are left out.
 */
export function makeCodecBases(dir: string): AudioBase[] {
  mkdirSync(dir, { recursive: true });
  const source = join(dir, 'base.wav');
  if (!existsSync(source)) writeFileSync(source, encodeWav16(baseSignal(16000, 1.2), 16000));
  const out: AudioBase[] = [];
  const make = (name: string, ext: string, cmd: string, args: string[]) => {
    const file = join(dir, `${name}.${ext}`);
    try {
      if (!existsSync(file))
        execFileSync(
          cmd,
          args.map((a) => (a === 'OUT' ? file : a === 'IN' ? source : a)),
          { stdio: 'ignore' },
        );
      out.push({ name, ext, bytes: new Uint8Array(readFileSync(file)) });
    } catch {
      // tool missing or codec not built in: that format is not fuzzed
    }
  };
  make('flac', 'flac', 'sox', ['IN', 'OUT']);
  // ffmpeg, quiet, overwriting: IN → OUT with the given codec options
  const ffmpeg = (...codec: string[]) => ['-hide_banner', '-loglevel', 'error', '-y', '-i', 'IN', ...codec, 'OUT'];
  make('mp3', 'mp3', 'ffmpeg', ffmpeg('-c:a', 'libmp3lame', '-b:a', '32k'));
  make('vorbis', 'ogg', 'ffmpeg', ffmpeg('-c:a', 'libvorbis', '-q:a', '2'));
  make('opus', 'opus', 'ffmpeg', ffmpeg('-c:a', 'libopus', '-b:a', '24k'));
  return out;
}

/** Offsets of the canonical 44-byte header fields (the bases' layout) and how wide they are. */
const WAV_FIELDS: Array<[string, number, 2 | 4]> = [
  ['riffSize', 4, 4],
  ['fmtSize', 16, 4],
  ['format', 20, 2],
  ['channels', 22, 2],
  ['sampleRate', 24, 4],
  ['byteRate', 28, 4],
  ['blockAlign', 32, 2],
  ['bits', 34, 2],
];
const HOSTILE_16 = [0, 1, 2, 3, 4, 5, 7, 12, 17, 20, 33, 48, 63, 64, 65, 255, 256, 0x7fff, 0xfffe, 0xffff];
const HOSTILE_32 = [0, 1, 8, 999, 1000, 7999, 768000, 768001, 44100, 0x7fffffff, 0x80000000, 0xfffffff0, 0xffffffff];

function dataChunkAt(bytes: Uint8Array): number {
  for (let i = 12; i + 8 <= bytes.length; i++) {
    if (bytes[i] === 0x64 && bytes[i + 1] === 0x61 && bytes[i + 2] === 0x74 && bytes[i + 3] === 0x61) return i;
  }
  return -1;
}

function mutateWav(rnd: Random, base: AudioBase): AudioCase {
  const out = base.bytes.slice();
  const v = new DataView(out.buffer);
  const kind = pick(rnd, [
    'field',
    'field',
    'field',
    'data-size',
    'chunks',
    'truncate',
    'bitflip',
    'zero-run',
    'magic+random',
    'random',
  ]);
  const label = (s: string) => ({ label: `${base.name}: ${s}`, ext: 'wav', bytes: out });
  if (kind === 'field') {
    const edits: string[] = [];
    for (let n = int(rnd, 1, 3); n > 0; n--) {
      const [name, at, width] = pick(rnd, WAV_FIELDS);
      const value = width === 2 ? pick(rnd, HOSTILE_16) : pick(rnd, HOSTILE_32);
      if (width === 2) v.setUint16(at, value, true);
      else v.setUint32(at, value >>> 0, true);
      edits.push(`${name}=${value}`);
    }
    return label(`field ${edits.join(',')}`);
  }
  if (kind === 'data-size') {
    const at = dataChunkAt(out);
    const value = pick(rnd, [0, 1, 3, 0x7fffffff, 0xffffffff, 0xfffffffe, out.length * 1000]);
    if (at >= 0) v.setUint32(at + 4, value >>> 0, true);
    return label(`data size=${value}`);
  }
  if (kind === 'chunks') {
    const fmtEnd = 20 + v.getUint32(16, true);
    const head = out.subarray(0, 12);
    const fmt = out.subarray(12, fmtEnd);
    const rest = out.subarray(fmtEnd);
    const junk = (size: number, odd = false) => {
      const c = new Uint8Array(8 + size + (odd ? 0 : size & 1));
      c.set([0x4a, 0x55, 0x4e, 0x4b]);
      new DataView(c.buffer).setUint32(4, size, true);
      return c;
    };
    const surgery = pick(rnd, [
      'no-fmt',
      'no-data',
      'data-first',
      'two-fmt',
      'junk-odd',
      'many-empty',
      'junk-huge',
      'list-after',
    ]);
    const parts: Uint8Array[] =
      surgery === 'no-fmt'
        ? [head, rest]
        : surgery === 'no-data'
          ? [head, fmt]
          : surgery === 'data-first'
            ? [head, rest, fmt]
            : surgery === 'two-fmt'
              ? [head, fmt, fmt, rest]
              : surgery === 'junk-odd'
                ? [head, junk(3, true), fmt, rest]
                : surgery === 'many-empty'
                  ? [head, ...Array.from({ length: 2000 }, () => junk(0)), fmt, rest]
                  : surgery === 'junk-huge'
                    ? [
                        head,
                        (() => {
                          const j = junk(0);
                          new DataView(j.buffer).setUint32(4, 0xfffffff0, true);
                          return j;
                        })(),
                        fmt,
                        rest,
                      ]
                    : [head, fmt, rest, junk(10)];
    const total = parts.reduce((n, p) => n + p.length, 0);
    const joined = new Uint8Array(total);
    let at = 0;
    for (const p of parts) {
      joined.set(p, at);
      at += p.length;
    }
    return { label: `${base.name}: chunks ${surgery}`, ext: 'wav', bytes: joined };
  }
  if (kind === 'truncate') {
    const n = rnd() < 0.5 ? int(rnd, 0, 60) : int(rnd, 0, out.length - 1);
    return { label: `${base.name}: truncate ${n}`, ext: 'wav', bytes: out.slice(0, n) };
  }
  if (kind === 'bitflip') {
    const headerOnly = rnd() < 0.7;
    const region = headerOnly ? out.subarray(0, Math.min(80, out.length)) : out;
    region.set(flipBits(rnd, region, int(rnd, 1, 12)));
    return label(`bitflip${headerOnly ? ' in header' : ''}`);
  }
  if (kind === 'zero-run') {
    const at = int(rnd, 0, 60);
    out.fill(0, at, at + int(rnd, 1, 16));
    return label(`zero run at ${at}`);
  }
  const random = new Uint8Array(int(rnd, 0, 2048)).map(() => Math.floor(rnd() * 256));
  if (kind === 'magic+random') {
    const b = new Uint8Array(12 + random.length);
    b.set(out.subarray(0, 12));
    b.set(random, 12);
    return { label: `${base.name}: RIFF WAVE + ${random.length} random bytes`, ext: 'wav', bytes: b };
  }
  return {
    label: `random ${random.length} bytes`,
    ext: pick(rnd, ['wav', 'mp3', 'flac', 'ogg', 'bin']),
    bytes: random,
  };
}

function mutateCompressed(rnd: Random, base: AudioBase): AudioCase {
  const out = base.bytes.slice();
  const kind = pick(rnd, [
    'truncate',
    'truncate-early',
    'bitflip',
    'bitflip-header',
    'zero-run',
    'random-header',
    'random-tail',
    'magic+random',
  ]);
  if (kind === 'truncate')
    return { label: `${base.name}: truncate`, ext: base.ext, bytes: out.slice(0, int(rnd, 0, out.length - 1)) };
  if (kind === 'truncate-early')
    return {
      label: `${base.name}: truncate early`,
      ext: base.ext,
      bytes: out.slice(0, int(rnd, 0, Math.min(200, out.length))),
    };
  if (kind === 'bitflip')
    return { label: `${base.name}: bitflip`, ext: base.ext, bytes: flipBits(rnd, out, int(rnd, 1, 32)) };
  if (kind === 'bitflip-header') {
    out.set(flipBits(rnd, out.subarray(0, Math.min(256, out.length)), int(rnd, 1, 8)));
    return { label: `${base.name}: bitflip in header`, ext: base.ext, bytes: out };
  }
  if (kind === 'zero-run') {
    const at = int(rnd, 0, out.length - 1);
    out.fill(0, at, at + int(rnd, 1, 512));
    return { label: `${base.name}: zero run`, ext: base.ext, bytes: out };
  }
  if (kind === 'random-header') {
    for (let i = int(rnd, 4, 16); i < Math.min(out.length, 128); i++) out[i] = Math.floor(rnd() * 256);
    return { label: `${base.name}: random header bytes`, ext: base.ext, bytes: out };
  }
  if (kind === 'random-tail') {
    for (let i = Math.floor(out.length / 2); i < out.length; i++) out[i] = Math.floor(rnd() * 256);
    return { label: `${base.name}: random second half`, ext: base.ext, bytes: out };
  }
  const b = new Uint8Array(int(rnd, 4, 3000));
  b.set(out.subarray(0, 4));
  for (let i = 4; i < b.length; i++) b[i] = Math.floor(rnd() * 256);
  return { label: `${base.name}: magic + random`, ext: base.ext, bytes: b };
}

/** One fuzz case from one of the bases. */
export function mutateAudio(rnd: Random, bases: readonly AudioBase[]): AudioCase {
  const base = pick(rnd, bases);
  return base.ext === 'wav' ? mutateWav(rnd, base) : mutateCompressed(rnd, base);
}
