/// <reference types="node" />
/**
 * What the readable-text models (models/default/punct, models/default/spell) add to the whole pipeline:
 * the same clips through the same recognizer (bundled acoustic model + LM, one backend) without and with
 * them; CPU real-time factors, the readable stage's own share (StageTimes.readableMs), and
 * the packages' size on disk (with the letters → phonemes package, models/default/g2p, which runs only when
 * Settings → Pronunciations asks for a proposal). `npm run bench` prints the same figures (measureReadableCost).
 *
 *   npx tsx test/bench/readable-cost.ts [--seconds 120] [--backend wasm-simd] [--set data/corpus/test-heldout.tsv]
 *       [--punct DIR] [--spell DIR]
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { lastValueFrom, reduce } from 'rxjs';
import {
  audioBlocks,
  createEngine,
  lmBackendFor,
  loadPackage,
  zeroStageTimes,
  type BackendName,
  type LoadedPackage,
  type Segment,
} from '../../renderer/engine/node';
import { arg } from './args';
import { loadBenchAudio, type BenchAudio } from './bench-audio';
import { REPO, loadBenchLm, loadBenchModel } from './bench-model';
import { cpuClockMs } from './pipeline-rtf';

/** The cost targets of issue 15: both readable models together. */
export const READABLE_TARGETS = { addedRtf: 0.005, addedMB: 5 };

export interface ReadableCost {
  backend: BackendName;
  /** Whole-pipeline CPU RTF without and with the readable models (second, warm pass of each). */
  rawRtf: number;
  readableRtf: number;
  /**
   * The readable stage's own time (StageTimes.readableMs) / audio seconds: what the models add, free of the machine's
   * noise.
   */
  stageRtf: number;
  guesses: number;
  /** Package sizes on disk in MB (g2p: null when not bundled). */
  punctMB: number;
  spellMB: number;
  g2pMB: number | null;
  sampleRaw: string;
  sampleReadable: string;
}

function folderBytes(dir: string): number {
  return readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
}

export async function measureReadableCost(
  acoustic: LoadedPackage,
  lm: LoadedPackage | null,
  audio: BenchAudio,
  options: { backend?: BackendName; punctDir?: string; spellDir?: string; g2pDir?: string } = {},
): Promise<ReadableCost> {
  const backend = options.backend ?? 'wasm-simd';
  const punctDir = options.punctDir ?? join(REPO, 'models/default/punct');
  const spellDir = options.spellDir ?? join(REPO, 'models/default/spell');
  const g2pDir = options.g2pDir ?? join(REPO, 'models/default/g2p');
  const models = { acoustic, lm, punctuation: await loadPackage(punctDir), spelling: await loadPackage(spellDir) };
  const results: Record<string, { cpuRtf: number; readableRtf: number; guesses: number; sample: string }> = {};
  for (const withReadable of [false, true, false, true]) {
    // an engine per pass (its own LM scorer, and readable models when they are on), freed with it
    const engine = await createEngine(models, { backend, readable: withReadable }, { clock: cpuClockMs });
    const times = zeroStageTimes();
    let guesses = 0;
    let sample = '';
    const cpu0 = cpuClockMs();
    try {
      for (const clip of audio.clips) {
        const finals = await lastValueFrom(
          engine
            .streamBlocks(audioBlocks(clip.samples, clip.sampleRate, 0.1), { times })
            .pipe(reduce((all: Segment[], u) => (all.push(...u.finals), all), [])),
        );
        for (const s of finals) guesses += s.words.filter((w) => w.guess).length;
        if (sample.length < 300) sample += finals.map((s) => s.text).join(' / ') + ' | ';
      }
    } finally {
      engine.dispose();
    }
    const cpuRtf = (cpuClockMs() - cpu0) / 1000 / audio.seconds;
    results[withReadable ? 'readable' : 'raw'] = {
      cpuRtf,
      readableRtf: times.readableMs / 1000 / audio.seconds,
      guesses,
      sample,
    }; // the second pass of each (warm) is kept
  }
  return {
    backend,
    rawRtf: results.raw.cpuRtf,
    readableRtf: results.readable.cpuRtf,
    stageRtf: results.readable.readableRtf,
    guesses: results.readable.guesses,
    punctMB: folderBytes(punctDir) / 1e6,
    spellMB: folderBytes(spellDir) / 1e6,
    g2pMB: existsSync(join(g2pDir, 'model.json')) ? folderBytes(g2pDir) / 1e6 : null,
    sampleRaw: results.raw.sample,
    sampleReadable: results.readable.sample,
  };
}

/** The report's lines (the CLI below and `npm run bench`). */
export function readableCostLines(c: ReadableCost): string[] {
  const totalMB = c.punctMB + c.spellMB + (c.g2pMB ?? 0);
  return [
    `whole pipeline CPU RTF (${c.backend}): raw ${c.rawRtf.toFixed(4)}  readable ${c.readableRtf.toFixed(4)}  (difference ${(c.readableRtf - c.rawRtf).toFixed(4)}, noisy on a shared machine)`,
    `readable stage alone (StageTimes.readableMs / audio): RTF ${c.stageRtf.toFixed(5)} (target < ${READABLE_TARGETS.addedRtf}); spelled guesses ${c.guesses}`,
    `package size: punct ${c.punctMB.toFixed(2)} MB, spell ${c.spellMB.toFixed(2)} MB${c.g2pMB !== null ? `, g2p ${c.g2pMB.toFixed(2)} MB` : ''}: ${totalMB.toFixed(2)} MB (target < ${READABLE_TARGETS.addedMB} MB)`,
  ];
}

async function main(argv: string[]): Promise<void> {
  const seconds = Number(arg(argv, 'seconds') ?? 120);
  const backend = (arg(argv, 'backend') ?? 'wasm-simd') as BackendName;
  const audio = await loadBenchAudio({ set: arg(argv, 'set'), maxSeconds: seconds });
  const acoustic = (await loadBenchModel()).pkg;
  const lm = await loadBenchLm();
  const c = await measureReadableCost(acoustic, lm?.pkg ?? null, audio, {
    backend,
    punctDir: arg(argv, 'punct'),
    spellDir: arg(argv, 'spell'),
  });
  const rows = [
    `audio: ${audio.clips.length} clips, ${audio.seconds.toFixed(1)} s (${audio.source}); backend ${backend}, readable models on ${lmBackendFor(backend)}`,
    ...readableCostLines(c),
  ];
  rows.push(`raw:      ${c.sampleRaw.slice(0, 300)}`);
  rows.push(`readable: ${c.sampleReadable.slice(0, 300)}`);
  process.stdout.write(rows.join('\n') + '\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void main(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exit(1);
  });
}
