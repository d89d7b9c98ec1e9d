import { readFile } from 'node:fs/promises';
import { decodeWav, downmix, isWav, WAV_SAMPLE_RATES, WavError } from '../../renderer/engine/audio/wav';

/** An audio file that cannot be read, with the reason in the message (the CLI prints it with the file name). */
export class AudioFileError extends Error {
  override name = 'AudioFileError';
}

export interface AudioData {
  sampleRate: number;
  /** Mono samples in [-1, 1] (channels averaged). */
  samples: Float32Array;
  channels: number;
}

/**
 * Reads an audio file: WAV by the engine's own decoder (PCM 8/16/24/32, float 32/64, any rate,
 * any channels); FLAC, MP3, OGG (Vorbis/Opus) and others through the `audio-decode` package's
 * WebAssembly decoders.
 */
export async function readAudioFile(path: string): Promise<AudioData> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new AudioFileError(err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a folder, not an audio file' : err.message);
  }
  if (bytes.length === 0) throw new AudioFileError('the file is empty');
  if (isWav(bytes)) {
    try {
      const a = decodeWav(bytes);
      return { sampleRate: a.sampleRate, samples: downmix(a.channels), channels: a.channels.length };
    } catch (e) {
      // WavError messages say what is wrong; anything else is a bug in the WAV reader, named as such
      throw new AudioFileError(e instanceof WavError ? e.message : `damaged WAV file (the reader failed: ${describe(e)})`);
    }
  }
  const { default: decode } = await import('audio-decode');
  let a: { channelData: Float32Array[]; sampleRate: number } | undefined;
  try {
    a = (await decode(bytes)) as typeof a;
  } catch (e) {
    const msg = describe(e);
    if (/unknown audio format/i.test(msg)) throw new AudioFileError('not a recognised audio file (WAV, FLAC, MP3, OGG, …)');
    // the codecs' own errors are internal ("Cannot read properties of null"): say what it means first
    throw new AudioFileError(`damaged or truncated ${formatName(bytes)} data: the decoder failed (${msg})`);
  }
  return checkDecoded(a, formatName(bytes));
}

/** 'FLAC', 'MP3', 'OGG', … from the magic number, for messages. */
function formatName(bytes: Uint8Array): string {
  const ascii = String.fromCharCode(...bytes.subarray(0, 4));
  if (ascii === 'fLaC') return 'FLAC';
  if (ascii === 'OggS') return 'OGG';
  if (ascii.startsWith('ID3') || (bytes[0] === 0xff && (bytes[1] & 0xe0) === 0xe0)) return 'MP3';
  return 'audio';
}

function describe(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)) || String(e);
}

/**
 * What a codec returned, checked before the engine sees it: channels of equal length, a sample rate
 * in the range the WAV reader accepts, finite samples (a damaged stream can decode to NaN or ±Inf;
 * those become 0, and the rest is clamped to [-1, 1] as the WAV reader does).
 */
function checkDecoded(a: { channelData: Float32Array[]; sampleRate: number } | undefined, format: string): AudioData {
  if (!a || !Array.isArray(a.channelData) || a.channelData.length === 0) throw new AudioFileError(`no audio in the ${format} data (empty, damaged or truncated)`);
  const { min, max } = WAV_SAMPLE_RATES;
  if (!(Number.isFinite(a.sampleRate) && a.sampleRate >= min && a.sampleRate <= max)) {
    throw new AudioFileError(`${format} sample rate ${a.sampleRate} Hz is out of range (${min} to ${max} Hz)`);
  }
  const n = a.channelData[0]?.length ?? 0;
  if (a.channelData.some((c) => !(c instanceof Float32Array) || c.length !== n)) {
    throw new AudioFileError(`damaged ${format} data: the decoder returned channels of different lengths`);
  }
  for (const c of a.channelData) {
    for (let i = 0; i < c.length; i++) {
      const v = c[i];
      if (!(v >= -1 && v <= 1)) c[i] = v > 1 ? 1 : v < -1 ? -1 : 0; // NaN → 0
    }
  }
  return { sampleRate: a.sampleRate, samples: downmix(a.channelData), channels: a.channelData.length };
}
