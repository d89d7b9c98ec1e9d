import { readFile } from 'node:fs/promises';
import { decodeWav, downmix, isWav } from '../../renderer/engine/audio/wav';

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
  try {
    if (isWav(bytes)) {
      const a = decodeWav(bytes);
      return { sampleRate: a.sampleRate, samples: downmix(a.channels), channels: a.channels.length };
    }
    const { default: decode } = await import('audio-decode');
    const a = (await decode(bytes)) as { channelData: Float32Array[]; sampleRate: number };
    if (!a || !a.channelData?.length || !(a.sampleRate > 0)) throw new Error('the decoder returned no audio');
    return { sampleRate: a.sampleRate, samples: downmix(a.channelData), channels: a.channelData.length };
  } catch (e) {
    const msg = (e as Error).message || String(e);
    throw new AudioFileError(/unknown audio format/i.test(msg) ? 'not a recognised audio file (WAV, FLAC, MP3, OGG, …)' : msg);
  }
}
