import { open, readFile, type FileHandle } from 'node:fs/promises';
import {
  decodeWav,
  decodeWavFrames,
  downmix,
  isWav,
  parseWavLayout,
  WAV_SAMPLE_RATES,
  WavError,
  type WavLayout,
  type WavTruncation,
} from '../audio/wav';

/** An audio file that cannot be read, with the reason in the message (the CLI prints it with the file name). */
export class AudioFileError extends Error {
  override name = 'AudioFileError';
}

export interface AudioData {
  sampleRate: number;
  /** Mono samples in [-1, 1] (channels averaged). */
  samples: Float32Array;
  channels: number;
  /** A WAV file whose header promised more audio than it holds: what was there is decoded. */
  truncated?: WavTruncation;
}

/**
 * Reads an audio file: WAV by the engine's own decoder (PCM 8/16/24/32, float 32/64, any rate,
 * any channels); FLAC, MP3, OGG (Vorbis/Opus) and others through the `audio-decode` package's
 * WebAssembly decoders.
 */
export async function readAudioFile(path: string): Promise<AudioData> {
  let bytes: Uint8Array;
  try {
    const buffer = await readFile(path);
    bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } catch (e) {
    throw fileError(e);
  }
  return decodeAudioBytes(bytes);
}

/** Decodes a whole audio file held in memory (a file read at once, or standard input): as readAudioFile. */
export async function decodeAudioBytes(bytes: Uint8Array): Promise<AudioData> {
  if (bytes.length === 0) throw new AudioFileError('the file is empty');
  if (isWav(bytes)) {
    try {
      const a = decodeWav(bytes);
      return {
        sampleRate: a.sampleRate,
        samples: downmix(a.channels),
        channels: a.channels.length,
        ...(a.truncated ? { truncated: a.truncated } : {}),
      };
    } catch (e) {
      // WavError messages say what is wrong; anything else is a bug in the WAV reader, named as such
      throw new AudioFileError(
        e instanceof WavError ? e.message : `damaged WAV file (the reader failed: ${describe(e)})`,
      );
    }
  }
  const { default: decode } = await import('audio-decode');
  let a: { channelData: Float32Array[]; sampleRate: number } | undefined;
  try {
    a = await decode(bytes);
  } catch (e) {
    const msg = describe(e);
    if (/unknown audio format/i.test(msg))
      throw new AudioFileError('not a recognised audio file (WAV, FLAC, MP3, OGG, …)');
    // the codecs' own errors are internal ("Cannot read properties of null"): say what it means first
    throw new AudioFileError(`damaged or truncated ${formatName(bytes)} data: the decoder failed (${msg})`);
  }
  return checkDecoded(a, formatName(bytes));
}

function fileError(e: unknown): AudioFileError {
  const err = e as NodeJS.ErrnoException;
  return new AudioFileError(
    err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a folder, not an audio file' : describe(e),
  );
}

/** An audio file opened for reading block by block. */
export interface AudioStream {
  sampleRate: number;
  channels: number;
  /** Mono samples in the file (after the channels are averaged). */
  frames: number;
  /** A WAV file whose header promised more audio than it holds (its `frames` are what is there). */
  truncated?: WavTruncation;
  /**
   * Mono blocks of `blockFrames` samples (the last one shorter), in order: the same samples as
   * readAudioFile gives. The file is closed when the blocks run out or the loop stops early.
   */
  blocks(blockFrames: number): AsyncGenerator<Float32Array>;
}

/** Bytes of file read per block at most, whatever the block size asked for (bounds memory per read). */
const MAX_READ_BYTES = 4 << 20;

/**
 * Opens an audio file for streaming. WAV is read from disk a block at a time, so memory stays flat
 * whatever the file's length (a 20-minute WAV decoded whole took 350 MB in the CLI); other formats
 * are decoded whole by readAudioFile, then handed out in blocks. Fails like readAudioFile.
 */
export async function openAudioFile(path: string): Promise<AudioStream> {
  if (path === STDIN) return inMemoryStream(await decodeAudioBytes(await readStdin()));
  let opened: FileHandle | undefined;
  let size: number;
  try {
    opened = await open(path, 'r');
    const info = await opened.stat();
    if (info.isDirectory()) throw Object.assign(new Error('is a folder'), { code: 'EISDIR' });
    size = info.size;
  } catch (e) {
    await opened?.close().catch(() => undefined);
    throw fileError(e);
  }
  const file = opened;
  try {
    if (size === 0) throw new AudioFileError('the file is empty');
    let layout: WavLayout | null = null;
    let head = await readAt(file, 0, Math.min(size, 12));
    if (isWav(head)) {
      for (let length = Math.min(size, 64 << 10); ; length = Math.min(size, 4 * length)) {
        head = await readAt(file, 0, length);
        try {
          layout = parseWavLayout(head, size);
        } catch (e) {
          throw new AudioFileError(
            e instanceof WavError ? e.message : `damaged WAV file (the reader failed: ${describe(e)})`,
          );
        }
        if (layout || length === size) break;
      }
    }
    if (!layout) {
      await file.close();
      const whole = await readAudioFile(path);
      return inMemoryStream(whole);
    }
    return wavStream(file, layout);
  } catch (e) {
    await file.close().catch(() => undefined);
    throw e instanceof AudioFileError ? e : fileError(e);
  }
}

/** The file name that stands for standard input. */
export const STDIN = '-';

async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  } catch (e) {
    throw fileError(e);
  }
  const all = Buffer.concat(chunks);
  return new Uint8Array(all.buffer, all.byteOffset, all.byteLength);
}

async function readAt(file: FileHandle, position: number, length: number): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await file.read(out, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done === length ? out : out.subarray(0, done);
}

function wavStream(file: FileHandle, layout: WavLayout): AudioStream {
  let used = false;
  return {
    sampleRate: layout.sampleRate,
    channels: layout.channels,
    frames: layout.frames,
    ...(layout.truncated ? { truncated: layout.truncated } : {}),
    async *blocks(blockFrames: number) {
      if (used) throw new Error('AudioStream.blocks() can be read once');
      used = true;
      const framesPerRead = Math.max(
        1,
        Math.min(Math.floor(blockFrames), Math.floor(MAX_READ_BYTES / layout.frameBytes)),
      );
      try {
        for (let frame = 0; frame < layout.frames; frame += framesPerRead) {
          const n = Math.min(framesPerRead, layout.frames - frame);
          let data: Uint8Array;
          try {
            data = await readAt(file, layout.dataStart + frame * layout.frameBytes, n * layout.frameBytes);
          } catch (e) {
            throw fileError(e);
          }
          const channels = decodeWavFrames(layout, data, n);
          if (channels[0].length === 0) break; // the file shrank while being read
          yield downmix(channels);
        }
      } finally {
        await file.close().catch(() => undefined);
      }
    },
  };
}

function inMemoryStream(audio: AudioData): AudioStream {
  return {
    sampleRate: audio.sampleRate,
    channels: audio.channels,
    frames: audio.samples.length,
    ...(audio.truncated ? { truncated: audio.truncated } : {}),
    async *blocks(blockFrames: number) {
      const step = Math.max(1, Math.floor(blockFrames));
      for (let i = 0; i < audio.samples.length; i += step)
        yield audio.samples.subarray(i, Math.min(audio.samples.length, i + step));
    },
  };
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
  if (!a || !Array.isArray(a.channelData) || a.channelData.length === 0)
    throw new AudioFileError(`no audio in the ${format} data (empty, damaged or truncated)`);
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
