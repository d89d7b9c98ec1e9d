/**
 * Worker side of test/bench/fuzz.ts: builds the base inputs once, then generates and runs the
 * cases it is given, posting { started, label } before and { result } after each one, so that the
 * parent can attribute a hang or a crash to the case that was running.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { seededRandom } from '../fixtures/make-test-models';
import { makeCodecBases, mutateAudio, wavBases } from './audio-mutations';
import { runAudioCase, runPackageCase } from './fuzz-cases';
import { basePackages, mutatePackage } from './package-mutations';

export interface FuzzWorkerData {
  kind: 'package' | 'audio';
  seed: number;
  start: number;
  end: number;
  codecDir: string;
  tempDir: string;
}

/** The random source of case `index`: independent of how the cases are split between workers. */
export function caseRandom(seed: number, index: number): () => number {
  return seededRandom((seed * 100_003 + index * 7_919 + 1) >>> 0);
}

async function run(data: FuzzWorkerData): Promise<void> {
  const packages = data.kind === 'package' ? basePackages() : null;
  const audio = data.kind === 'audio' ? [...wavBases(), ...makeCodecBases(data.codecDir)] : null;
  for (let i = data.start; i < data.end; i++) {
    const rnd = caseRandom(data.seed, i);
    const c = packages ? mutatePackage(rnd, packages) : mutateAudio(rnd, audio!);
    parentPort!.postMessage({ started: i, label: c.label });
    const result = 'source' in c ? await runPackageCase(i, c) : await runAudioCase(i, c, data.tempDir);
    parentPort!.postMessage({ result });
  }
  parentPort!.postMessage({ done: true });
}

if (parentPort && workerData) {
  run(workerData as FuzzWorkerData).catch((e) => parentPort!.postMessage({ fatal: String((e as Error)?.stack ?? e) }));
}
