/**
 * An imported file's audio as one mono block: WAV bytes go through the engine's own WAV decoder
 * (every PCM/float layout, any rate); audio the platform already decoded (decodeAudioData: MP3,
 * OGG, FLAC, AAC...) arrives as channels. Channels are averaged; the engine resamples.
 */
import { decodeWav } from '../engine/audio/wav';
import type { FileAudio } from './protocol';

export interface MonoAudio {
  sampleRate: number;
  samples: Float32Array;
}

export function decodeFileAudio(audio: FileAudio): MonoAudio {
  const decoded = audio.kind === 'wav' ? decodeWav(audio.bytes) : { sampleRate: audio.sampleRate, channels: audio.channels };
  if (!(Number.isFinite(decoded.sampleRate) && decoded.sampleRate >= 1000 && decoded.sampleRate <= 768000)) throw new Error(`the file's sample rate (${decoded.sampleRate} Hz) is not valid`);
  return { sampleRate: decoded.sampleRate, samples: downmix(decoded.channels) };
}

/** Mean of the channels (length of the shortest); a single channel is returned as is. */
export function downmix(channels: readonly Float32Array[]): Float32Array {
  if (channels.length === 0) return new Float32Array(0);
  if (channels.length === 1) return channels[0];
  const n = Math.min(...channels.map((c) => c.length));
  const out = new Float32Array(n);
  const gain = 1 / channels.length;
  for (const channel of channels) for (let i = 0; i < n; i++) out[i] += channel[i] * gain;
  return out;
}
