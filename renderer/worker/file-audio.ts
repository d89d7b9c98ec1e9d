/**
 * An imported file's audio as one mono block: WAV bytes go through the engine's own WAV decoder
 * (every PCM/float layout, any rate); audio the platform already decoded (decodeAudioData: MP3,
 * OGG, FLAC, AAC...) arrives as channels. Channels are averaged (the engine's downmix); the engine resamples.
 */
import { decodeWav, downmix } from '../engine';
import type { FileAudio } from './protocol';

export interface MonoAudio {
  sampleRate: number;
  samples: Float32Array;
}

export function decodeFileAudio(audio: FileAudio): MonoAudio {
  const decoded =
    audio.kind === 'wav' ? decodeWav(audio.bytes) : { sampleRate: audio.sampleRate, channels: audio.channels };
  if (!(Number.isFinite(decoded.sampleRate) && decoded.sampleRate >= 1000 && decoded.sampleRate <= 768000))
    throw new Error(`the file's sample rate (${decoded.sampleRate} Hz) is not valid`);
  return { sampleRate: decoded.sampleRate, samples: downmix(decoded.channels) };
}
