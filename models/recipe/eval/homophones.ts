/**
 * Homophone-choice accuracy, with and without the language model, on the homophone set
 * (models/recipe/lm/make_homophone_set.py: held-out sentences spoken by the held-out voices).
 *
 *   npx tsx models/recipe/eval/homophones.ts [--model PATH] [--lm PATH] [--json OUT] [data/homophones]
 *   npm run eval:homophones
 *
 * For each target word (a word with homophones in the lexicon), the hypothesis word aligned to it is
 * looked at. If it is one of the homophone set (the acoustics got the pronunciation right), it counts
 * towards the choice accuracy: correct when it is the reference spelling. Coverage is the share of
 * targets where the hypothesis has any member of the set.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  addCounts,
  alignToReference,
  countErrors,
  createEngine,
  normalizeText,
  transcribeFile,
  ZERO_COUNTS,
} from '../../../renderer/engine/node';
import { takeOption } from '../cli-args';

interface Target {
  index: number;
  word: string;
  set: string[];
}

function parseTargets(field: string): Target[] {
  return field
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((t) => {
      const [pos, rest] = t.split(':');
      const [word, alts] = rest.split('=');
      return { index: Number(pos), word, set: [word, ...alts.split('|')] };
    });
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const model = takeOption(argv, 'model'),
    lm = takeOption(argv, 'lm'),
    jsonOut = takeOption(argv, 'json'),
    limit = Number(takeOption(argv, 'limit') ?? Infinity);
  const dir = resolve(argv[0] ?? 'data/homophones');
  const rows = readFileSync(join(dir, 'sentences.tsv'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [id, text, targets] = l.split('\t');
      return { id, text, targets: parseTargets(targets ?? ''), wav: join(dir, 'wav', `${id}.wav`) };
    })
    .slice(0, limit);
  const results: Record<string, unknown>[] = [];
  for (const useLm of [false, true]) {
    const engine = await createEngine({ acoustic: model, lm: useLm ? lm : null });
    if (useLm && !engine.info.lmName) {
      engine.dispose();
      throw new Error('no language model found (models/default/lm or --lm)');
    }
    let chosen = 0,
      correct = 0,
      targets = 0,
      counts = ZERO_COUNTS,
      audio = 0,
      ms = 0;
    for (const r of rows) {
      const res = await transcribeFile(engine, r.wav);
      const hyp = normalizeText(res.segments.map((s) => s.text).join(' '));
      audio += res.seconds;
      ms += res.decodeMs;
      counts = addCounts(counts, countErrors(hyp, r.text));
      const ref = normalizeText(r.text).split(' ');
      const aligned = alignToReference(ref, hyp ? hyp.split(' ') : []);
      for (const t of r.targets) {
        targets++;
        const h = aligned[t.index];
        if (h !== null && t.set.includes(h)) {
          chosen++;
          if (h === t.word) correct++;
        }
      }
    }
    engine.dispose();
    results.push({
      lm: useLm ? engine.info.lmName : 'none',
      sentences: rows.length,
      targets,
      coverage: +((100 * chosen) / targets).toFixed(2),
      homophoneAccuracy: +((100 * correct) / Math.max(1, chosen)).toFixed(2),
      wer: +((100 * counts.wordErrors) / counts.words).toFixed(2),
      rtf: +(ms / 1000 / audio).toFixed(4),
    });
  }
  console.table(results);
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify(results, null, 2));
}

main().catch((e) => {
  console.error(`homophones: ${(e as Error).message}`);
  process.exit(2);
});
