/**
 * Smoke version of the audio fuzzer (test/bench/fuzz.ts, 1,000+ cases): 100 seeded mutated audio
 * files (WAV header fields, chunks, truncation, bit flips, random bytes; FLAC/MP3/OGG damage when
 * sox and ffmpeg are installed) through readAudioFile → an engine stream. Each must be read and
 * transcribed, or refused with a clear AudioFileError; audio that was read must never fail in the
 * engine. Replay a case with `npx tsx test/bench/fuzz.ts --only audio:INDEX --seed 7`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { AudioFileError } from '../../renderer/engine/node/audio-file';
import { makeCodecBases, wavBases } from './audio-mutations';
import { runAudioCase, type CaseResult } from './fuzz-cases';
import { caseRandom } from './fuzz-worker';
import { mutateAudio } from './audio-mutations';

const SEED = 7;
const CASES = 100;
const dir = mkdtempSync(join(tmpdir(), 'earshot-audio-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it(`${CASES} mutated audio files are read and transcribed, or refused with a clear AudioFileError`, async () => {
  const bases = [...wavBases(), ...makeCodecBases(join(dir, 'bases'))];
  const results: CaseResult[] = [];
  for (let i = 0; i < CASES; i++) results.push(await runAudioCase(i, mutateAudio(caseRandom(SEED, i), bases), dir));
  const problems = results.filter(
    (r) => r.outcome !== 'ok' && (r.outcome !== 'clean-error' || r.errorName !== AudioFileError.name),
  );
  expect(
    problems.map((r) => `#${r.index} ${r.outcome} [${r.stage}] ${r.errorName}: ${r.message} ← ${r.label}`),
  ).toEqual([]);
  expect(results.filter((r) => r.outcome === 'ok').length).toBeGreaterThan(0);
  expect(results.filter((r) => r.outcome === 'clean-error').length).toBeGreaterThan(0);
}, 60_000);
