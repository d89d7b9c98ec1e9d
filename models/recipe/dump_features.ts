/**
 * Dumps features for the trainer, computed by the app's own featurizer (one featurizer, not two).
 *
 *   npx tsx models/recipe/dump_features.ts --manifest data/corpus/train.tsv --out data/features/train [--part 0/2]
 *
 * Manifest rows: id  wav_path  duration_s  voice  augment  text  phonemes   (phonemes: "DH AH | K AE T")
 * Output: shards of at most 48 MiB, each `shard-PPP-NNN.u8` (frames × nMels uint8, row-major) plus
 * `shard-PPP-NNN.jsonl` (one line per utterance: id, offset (frames), frames, labels (phoneme ids), text, voice).
 * Quantisation: q = round(x · quantScale + quantOffset) clipped to [0, 255], per feature type from
 * config/quantization.json (also read by gmm_gen/generate.py): log-mel scale 8, offset 0 (1/8 nat steps,
 * ≈ 0.54 dB, 0 … 31.9 nats); sphinx-mfcc scale 1, offset 128 (signed cepstra, -128 … 127).
 * Compact enough to ship to a GPU machine in 64 MiB parts.
 */
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { resolve, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeWav, downmix, Featurizer, resample, type FeatureSpec } from '../../renderer/engine/node';
import { PHONEME_ALPHABET } from './phonemes';

const SHARD_BYTES = 48 * 1024 * 1024;

function arg(name: string, fallback?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0 && i + 1 < process.argv.length) return process.argv[i + 1];
  if (fallback === undefined) throw new Error(`missing --${name}`);
  return fallback;
}

function main(): void {
  const here = dirname(fileURLToPath(import.meta.url));
  const manifest = resolve(arg('manifest'));
  const out = resolve(arg('out'));
  const spec = JSON.parse(readFileSync(arg('spec', join(here, 'config/features.json')), 'utf8')) as FeatureSpec;
  const [part, parts] = arg('part', '0/1').split('/').map(Number);
  mkdirSync(out, { recursive: true });
  const quant = (
    JSON.parse(readFileSync(join(here, 'config/quantization.json'), 'utf8')) as Record<
      string,
      { scale: number; offset: number }
    >
  )[spec.type];
  writeFileSync(
    join(out, 'features.json'),
    JSON.stringify(
      { ...spec, quantScale: quant.scale, quantOffset: quant.offset, alphabet: PHONEME_ALPHABET },
      null,
      2,
    ),
  );

  const unit = new Map(PHONEME_ALPHABET.map((p, i) => [p, i]));
  const rows = readFileSync(manifest, 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('id\t'));
  const mine = rows.filter((_, i) => i % parts === part);
  const featurizer = new Featurizer(spec);
  let shardNo = 0,
    chunks: Uint8Array[] = [],
    bytes = 0,
    index: string[] = [],
    frameOffset = 0,
    done = 0,
    skipped = 0;
  const t0 = Date.now();
  const flush = () => {
    if (!index.length) return;
    const name = `shard-${String(part).padStart(3, '0')}-${String(shardNo).padStart(3, '0')}`;
    const buf = new Uint8Array(bytes);
    let at = 0;
    for (const c of chunks) {
      buf.set(c, at);
      at += c.length;
    }
    writeFileSync(join(out, `${name}.u8`), buf);
    writeFileSync(join(out, `${name}.jsonl`), index.join('\n') + '\n');
    shardNo++;
    chunks = [];
    bytes = 0;
    index = [];
    frameOffset = 0;
  };
  for (const row of mine) {
    const [id, wavPath, , voice, , text, phonemes] = row.split('\t');
    const path = resolve(dirname(manifest), wavPath);
    const wp = existsSync(path) ? path : resolve(wavPath);
    let samples: Float32Array;
    try {
      const audio = decodeWav(new Uint8Array(readFileSync(wp)));
      samples = resample(downmix(audio.channels), audio.sampleRate, spec.sampleRate);
    } catch (e) {
      skipped++;
      console.error(`skip ${id}: ${(e as Error).message}`);
      continue;
    }
    const labels = phonemes
      .split(/\s+/)
      .filter((p) => p && p !== '|')
      .map((p) => {
        const u = unit.get(p);
        if (u === undefined) throw new Error(`${id}: unknown phoneme ${p}`);
        return u;
      });
    featurizer.reset();
    const feats = featurizer.push(samples);
    const q = new Uint8Array(feats.length * featurizer.size);
    feats.forEach((f, t) => {
      for (let j = 0; j < f.length; j++)
        q[t * f.length + j] = Math.max(0, Math.min(255, Math.round(f[j] * quant.scale + quant.offset)));
    });
    chunks.push(q);
    bytes += q.length;
    index.push(JSON.stringify({ id, offset: frameOffset, frames: feats.length, labels, text, voice }));
    frameOffset += feats.length;
    if (bytes >= SHARD_BYTES) flush();
    if (++done % 200 === 0) {
      const rate = done / ((Date.now() - t0) / 1000);
      console.log(
        `part ${part}/${parts}: ${done}/${mine.length} utterances, ${rate.toFixed(1)}/s, ${((mine.length - done) / rate / 60).toFixed(1)} min left`,
      );
    }
  }
  flush();
  console.log(
    `part ${part}/${parts}: done ${done}, skipped ${skipped}, ${shardNo} shards in ${((Date.now() - t0) / 1000).toFixed(0)} s`,
  );
}

main();
