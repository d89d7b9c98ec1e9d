/// <reference types="node" />
/**
 * What the readable-text models (models/default/punct, models/default/spell) add to the whole pipeline:
 * the same clips through the same recognizer (bundled acoustic model + LM, one backend) without and with
 * them; CPU real-time factors, the readable stage's own share (RecognizerStream.stageTimes.readableMs), and
 * the packages' size on disk (with the letters → phonemes package, models/default/g2p, which runs only when
 * Settings → Pronunciations asks for a proposal). `npm run bench` prints the same figures (measureReadableCost).
 *
 *   npx tsx test/bench/readable-cost.ts [--seconds 120] [--backend wasm-simd] [--set data/corpus/test-heldout.tsv] [--punct DIR] [--spell DIR]
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createLmScorer, lmBackendFor } from '../../models/language/lm-scorer';
import { createPunctuator } from '../../models/language/punctuator';
import { createSpeller } from '../../models/language/speller';
import type { LoadedPackage } from '../../models/package/load-package';
import { loadModelPackage } from '../../models/package/load-package';
import { nodeSource } from '../../models/package/node-source';
import type { BackendName } from '../../models/rnn/backend';
import { createRecognizer, defaultRecognizerConfig } from '../../renderer/engine/pipeline/recognizer';
import type { ReadableModels } from '../../renderer/engine/transcript/readable';
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
  /** The readable stage's own time (stageTimes.readableMs) / audio seconds: what the models add, free of the machine's noise. */
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
  const on = lmBackendFor(backend);
  const punctDir = options.punctDir ?? join(REPO, 'models/default/punct');
  const spellDir = options.spellDir ?? join(REPO, 'models/default/spell');
  const g2pDir = options.g2pDir ?? join(REPO, 'models/default/g2p');
  const readable: ReadableModels = {
    punctuator: await createPunctuator(await loadModelPackage(await nodeSource(punctDir)), { backend: on }),
    speller: await createSpeller(await loadModelPackage(await nodeSource(spellDir)), { backend: on }),
  };
  const results: Record<string, { cpuRtf: number; readableRtf: number; guesses: number; sample: string }> = {};
  try {
    for (const withReadable of [false, true, false, true]) {
      const scorer = lm ? await createLmScorer(lm, { backend: on }) : null;
      const recognizer = await createRecognizer(acoustic, lm, { ...defaultRecognizerConfig(), backend, useLm: scorer !== null, readable: withReadable }, { scorer, readable, clock: cpuClockMs });
      let readableMs = 0;
      let guesses = 0;
      let sample = '';
      const cpu0 = cpuClockMs();
      for (const clip of audio.clips) {
        const stream = recognizer.createStream();
        const block = Math.round(clip.sampleRate * 0.1);
        for (let i = 0; i < clip.samples.length; i += block) {
          stream.acceptWaveform(clip.sampleRate, clip.samples.subarray(i, Math.min(clip.samples.length, i + block)));
          await stream.decode();
        }
        await stream.finish();
        readableMs += stream.stageTimes.readableMs;
        for (const s of stream.finals()) guesses += s.words.filter((w) => w.guess).length;
        if (sample.length < 300) sample += stream.finals().map((s) => s.text).join(' / ') + ' | ';
      }
      const cpuRtf = (cpuClockMs() - cpu0) / 1000 / audio.seconds;
      recognizer.dispose();
      scorer?.dispose();
      results[withReadable ? 'readable' : 'raw'] = { cpuRtf, readableRtf: readableMs / 1000 / audio.seconds, guesses, sample }; // the second pass of each (warm) is kept
    }
  } finally {
    readable.punctuator?.dispose();
    readable.speller?.dispose();
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
    `readable stage alone (stageTimes.readableMs / audio): RTF ${c.stageRtf.toFixed(5)} (target < ${READABLE_TARGETS.addedRtf}); spelled guesses ${c.guesses}`,
    `package size: punct ${c.punctMB.toFixed(2)} MB, spell ${c.spellMB.toFixed(2)} MB${c.g2pMB !== null ? `, g2p ${c.g2pMB.toFixed(2)} MB` : ''}: ${totalMB.toFixed(2)} MB (target < ${READABLE_TARGETS.addedMB} MB)`,
  ];
}

async function main(argv: string[]): Promise<void> {
  const seconds = Number(arg(argv, 'seconds') ?? 120);
  const backend = (arg(argv, 'backend') ?? 'wasm-simd') as BackendName;
  const audio = await loadBenchAudio({ set: arg(argv, 'set'), maxSeconds: seconds });
  const acoustic = (await loadBenchModel()).pkg;
  const lm = await loadBenchLm();
  const c = await measureReadableCost(acoustic, lm?.pkg ?? null, audio, { backend, punctDir: arg(argv, 'punct'), spellDir: arg(argv, 'spell') });
  const rows = [`audio: ${audio.clips.length} clips, ${audio.seconds.toFixed(1)} s (${audio.source}); backend ${backend}, readable models on ${lmBackendFor(backend)}`, ...readableCostLines(c)];
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
