import { lastValueFrom, reduce } from 'rxjs';
import type { WavTruncation } from '../audio/wav';
import type { Engine } from '../engine';
import type { AudioBlock, StageTimes } from '../pipeline/blocks';
import type { Segment } from '../transcript/segment';
import { openAudioFile } from './audio-file';

export interface TranscribeFileOptions {
  /**
   * Called once per block read, in order, with the finals so far and the partial (--stream shows them from
   * here), then once at the end of the file with every final and no partial.
   */
  onUpdate?: (finals: readonly Segment[], partial: Segment | null) => void;
  /** Called after each block: samples done, samples in the file, at `sampleRate`. */
  onProgress?: (samplesDone: number, samplesTotal: number, sampleRate: number) => void;
  /** Where the stages add their time. */
  times?: StageTimes;
}

export interface TranscribedFile {
  segments: Segment[];
  /** Seconds of audio transcribed. */
  seconds: number;
  /** Wall time from the file's opening to the last segment. */
  decodeMs: number;
  /** A WAV file shorter than its header says: what was there was transcribed. */
  truncated?: WavTruncation;
}

/**
 * Transcribes one audio file (WAV, FLAC, MP3, OGG; '-' reads standard input) through engine.streamBlocks:
 * the file is read one block of params.blockSeconds at a time, the next only when the engine is done with
 * the last (a WAV file never sits whole in memory). An unreadable file rejects with an AudioFileError.
 */
export async function transcribeFile(
  engine: Engine,
  path: string,
  opts: TranscribeFileOptions = {},
): Promise<TranscribedFile> {
  const audio = await openAudioFile(path);
  const t0 = performance.now();
  const block = Math.max(1, Math.round(audio.sampleRate * engine.params.blockSeconds));
  let done = 0;
  // the updates that come after the last block (what the resampler and the decoder still held) are
  // shown as one, as the end of the file
  let ended = false;
  async function* blocks(): AsyncGenerator<AudioBlock> {
    for await (const samples of audio.blocks(block)) {
      done += samples.length;
      yield { sampleRate: audio.sampleRate, samples };
    }
    ended = true;
  }
  const segments = await lastValueFrom(
    engine.streamBlocks(blocks(), { times: opts.times }).pipe(
      reduce((finals: Segment[], u) => {
        finals.push(...u.finals);
        if (!ended) {
          opts.onUpdate?.(finals, u.partial);
          opts.onProgress?.(done, audio.frames, audio.sampleRate);
        }
        return finals;
      }, []),
    ),
  );
  opts.onUpdate?.(segments, null);
  return {
    segments,
    seconds: done / audio.sampleRate,
    decodeMs: performance.now() - t0,
    ...(audio.truncated ? { truncated: audio.truncated } : {}),
  };
}
