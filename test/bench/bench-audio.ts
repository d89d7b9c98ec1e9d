/**
 * The audio the benchmarks run on, as `WAV<TAB>TEXT` rows:
 *
 *   - `--set PATH.tsv`, or data/corpus/test-heldout.tsv when it exists (held-out recordings), or
 *   - a few minutes of English synthesized here with espeak-ng (several voices and speeds), each
 *     sentence converted by sox to 16 kHz mono 16-bit PCM with 0.4 s of silence before and 0.6 s
 *     after, cached in the OS temp folder so later runs reuse it.
 *
 * Speech onset per file is measured from the audio itself (first 10 ms frame above -45 dBFS after
 * the opening silence), not assumed, so held-out sets work the same way.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAudioFile, readEvalSet } from '../../renderer/engine/node';
import { REPO } from './bench-model';

export interface BenchClip {
  wav: string;
  text: string;
  sampleRate: number;
  /** Mono samples in [-1, 1]. */
  samples: Float32Array;
  seconds: number;
  /** Seconds from the start of the file to the first frame of speech. */
  onsetSeconds: number;
}

export interface BenchAudio {
  /** Where the rows came from, for the report. */
  source: string;
  clips: BenchClip[];
  seconds: number;
}

/** Own sentences: everyday English, a mix of short and long, digits spelled out. */
export const BENCH_SENTENCES = [
  'the quick brown fox jumps over the lazy dog',
  'please call me back when you get this message',
  'the meeting has been moved to thursday afternoon',
  'turn left at the second traffic light and keep going',
  'she sells sea shells by the sea shore',
  'we need three more chairs for the kitchen table',
  'the weather will be cold and windy tomorrow morning',
  'can you read the last line of the report again',
  'the train to the city leaves at seven fifteen',
  'he forgot his keys on the desk in the office',
  'open the window and let some fresh air in',
  'our team finished the project two weeks early',
  'the children played in the garden until dark',
  'write down the number before you forget it',
  'a cup of hot tea is the best thing on a rainy day',
  'the old bridge over the river was closed for repairs',
  'i would like to book a table for four people',
  'the music was too loud to hear anything else',
  'remember to save your work before you shut down the computer',
  'they walked along the beach and talked about the future',
  'the price of bread went up again this year',
  'my brother plays the guitar in a small band',
  'the doctor told him to rest for a few days',
  'every morning she runs five miles around the park',
  'the library opens at nine and closes at six',
  'there is a small shop at the end of the street',
  'put the milk back in the fridge when you are done',
  'the plane landed safely despite the heavy rain',
  'we watched a film about the history of the moon landing',
  'he speaks english french and a little german',
  'the garden needs water after such a hot week',
  'do not forget to bring your passport to the airport',
  'the cat slept on the warm stones all afternoon',
  'this road leads to a quiet village in the hills',
  'the teacher asked the class to open their books',
  'a strong wind blew the leaves across the yard',
  'the shop sells fresh fruit and vegetables every day',
  'they built a new school next to the hospital',
];

const VOICES = ['en-us', 'en-us+f3', 'en-gb', 'en-us+m3', 'en-gb-x-rp', 'en-us+f2'];
const SPEEDS = [165, 150, 175, 160];
const CACHE_VERSION = 'v1';

function run(cmd: string, args: string[]): void {
  execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Synthesizes BENCH_SENTENCES (or the first `count`) into `dir`; returns the set file path. */
export function synthesizeBenchSet(dir: string, count = BENCH_SENTENCES.length): string {
  const setPath = join(dir, 'set.tsv');
  if (existsSync(setPath) && readFileSync(setPath, 'utf8').trim().split('\n').length >= count) return setPath;
  for (const tool of ['espeak-ng', 'sox']) {
    try {
      execFileSync('which', [tool], { stdio: 'ignore' });
    } catch {
      throw new Error(`${tool} is missing: apt-get install espeak-ng sox, or pass --set PATH.tsv`);
    }
  }
  mkdirSync(dir, { recursive: true });
  const rows: string[] = [];
  for (let i = 0; i < count; i++) {
    const raw = join(dir, `raw-${i}.wav`);
    const wav = join(dir, `clip-${String(i).padStart(3, '0')}.wav`);
    run('espeak-ng', [
      '-v',
      VOICES[i % VOICES.length],
      '-s',
      String(SPEEDS[i % SPEEDS.length]),
      '-w',
      raw,
      BENCH_SENTENCES[i],
    ]);
    run('sox', [raw, '-r', '16000', '-c', '1', '-b', '16', wav, 'pad', '0.4', '0.6']);
    rows.push(`${wav}\t${BENCH_SENTENCES[i]}`);
  }
  writeFileSync(`${setPath}.tmp`, rows.join('\n') + '\n');
  renameSync(`${setPath}.tmp`, setPath);
  return setPath;
}

/** Seconds to the first 10 ms frame above `thresholdDb` dBFS. */
export function speechOnsetSeconds(samples: Float32Array, sampleRate: number, thresholdDb = -45): number {
  const frame = Math.max(1, Math.round(sampleRate * 0.01));
  for (let i = 0; i + frame <= samples.length; i += frame) {
    let sum = 0;
    for (let j = i; j < i + frame; j++) sum += samples[j] * samples[j];
    if (10 * Math.log10(sum / frame + 1e-20) > thresholdDb) return i / sampleRate;
  }
  return 0;
}

/** Loads the benchmark audio (see the file comment for where it comes from). */
export async function loadBenchAudio(options: { set?: string; maxSeconds?: number } = {}): Promise<BenchAudio> {
  const heldOut = join(REPO, 'data/corpus/test-heldout.tsv');
  let setPath = options.set ?? (existsSync(heldOut) ? heldOut : undefined);
  let source: string;
  if (setPath) {
    source = setPath;
  } else {
    setPath = synthesizeBenchSet(join(tmpdir(), `earshot-bench-audio-${CACHE_VERSION}`));
    source = `espeak-ng synthesized, ${BENCH_SENTENCES.length} sentences, voices ${VOICES.join(' ')} (cached in ${setPath})`;
  }
  const maxSeconds = options.maxSeconds ?? Infinity;
  const clips: BenchClip[] = [];
  let seconds = 0;
  for (const row of await readEvalSet(setPath)) {
    if (seconds >= maxSeconds) break;
    const a = await readAudioFile(row.wav);
    const clipSeconds = a.samples.length / a.sampleRate;
    clips.push({
      wav: row.wav,
      text: row.text,
      sampleRate: a.sampleRate,
      samples: a.samples,
      seconds: clipSeconds,
      onsetSeconds: speechOnsetSeconds(a.samples, a.sampleRate),
    });
    seconds += clipSeconds;
  }
  if (clips.length === 0) throw new Error(`${setPath}: no audio rows`);
  return { source, clips, seconds };
}
