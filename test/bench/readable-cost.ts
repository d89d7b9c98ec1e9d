/// <reference types="node" />
/**
 * What the readable-text models (models/default/punct, models/default/spell) add to the whole pipeline:
 * the same clips through the same recognizer (bundled acoustic model + LM, one backend) without and with
 * them; CPU real-time factors, the readable stage's own share (RecognizerStream.stageTimes.readableMs), and
 * the two packages' size on disk.
 *
 *   npx tsx test/bench/readable-cost.ts [--seconds 120] [--backend wasm-simd] [--set data/corpus/test-heldout.tsv] [--punct DIR] [--spell DIR]
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createLmScorer, lmBackendFor } from '../../models/language/lm-scorer';
import { createPunctuator } from '../../models/language/punctuator';
import { createSpeller } from '../../models/language/speller';
import { loadModelPackage } from '../../models/package/load-package';
import { nodeSource } from '../../models/package/node-source';
import type { BackendName } from '../../models/rnn/backend';
import { createRecognizer, defaultRecognizerConfig } from '../../renderer/engine/pipeline/recognizer';
import type { ReadableModels } from '../../renderer/engine/transcript/readable';
import { arg } from './args';
import { loadBenchAudio } from './bench-audio';
import { REPO, loadBenchLm, loadBenchModel } from './bench-model';
import { cpuClockMs } from './pipeline-rtf';

function folderBytes(dir: string): number {
  return readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
}

async function main(argv: string[]): Promise<void> {
  const seconds = Number(arg(argv, 'seconds') ?? 120);
  const backend = (arg(argv, 'backend') ?? 'wasm-simd') as BackendName;
  const audio = await loadBenchAudio({ set: arg(argv, 'set'), maxSeconds: seconds });
  const acoustic = (await loadBenchModel()).pkg;
  const lm = await loadBenchLm();
  const on = lmBackendFor(backend);
  const punctDir = arg(argv, 'punct') ?? join(REPO, 'models/default/punct');
  const spellDir = arg(argv, 'spell') ?? join(REPO, 'models/default/spell');
  const readable: ReadableModels = {
    punctuator: await createPunctuator(await loadModelPackage(await nodeSource(punctDir)), { backend: on }),
    speller: await createSpeller(await loadModelPackage(await nodeSource(spellDir)), { backend: on }),
  };
  const rows: string[] = [];
  const results: Record<string, { cpuRtf: number; readableRtf: number; guesses: number; sample: string }> = {};
  for (const withReadable of [false, true, false, true]) {
    const scorer = lm ? await createLmScorer(lm.pkg, { backend: on }) : null;
    const recognizer = await createRecognizer(acoustic, lm?.pkg ?? null, { ...defaultRecognizerConfig(), backend, useLm: scorer !== null, readable: withReadable }, { scorer, readable, clock: cpuClockMs });
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
  rows.push(`audio: ${audio.clips.length} clips, ${audio.seconds.toFixed(1)} s (${audio.source}); backend ${backend}, readable models on ${on}`);
  rows.push(`whole pipeline CPU RTF: raw ${results.raw.cpuRtf.toFixed(4)}  readable ${results.readable.cpuRtf.toFixed(4)}  (difference ${(results.readable.cpuRtf - results.raw.cpuRtf).toFixed(4)}, noisy on a shared machine)`);
  rows.push(`readable stage alone (stageTimes.readableMs / audio): RTF ${results.readable.readableRtf.toFixed(5)}; spelled guesses ${results.readable.guesses}`);
  rows.push(`package size: punct ${(folderBytes(punctDir) / 1e6).toFixed(2)} MB, spell ${(folderBytes(spellDir) / 1e6).toFixed(2)} MB`);
  rows.push(`raw:      ${results.raw.sample.slice(0, 300)}`);
  rows.push(`readable: ${results.readable.sample.slice(0, 300)}`);
  process.stdout.write(rows.join('\n') + '\n');
  readable.punctuator?.dispose();
  readable.speller?.dispose();
}

void main(process.argv.slice(2)).catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
