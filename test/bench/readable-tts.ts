/// <reference types="node" />
/**
 * Punctuation and capitals on the transcripts of the held-out TTS test set (data/corpus/test-heldout.tsv):
 * the bundled recognizer's raw words, tagged by the punctuation model (the clips in sessions of 5, each
 * clip's finals as segments, the state carried as in the app; and each clip from a fresh state) and by the baseline
 * (each segment's first word capitalised, a period after its last), scored against each sentence's cased, punctuated
 * source form (data/punct/corpus-test.txt, prepare_punct_text.py). Recognised words are aligned to the reference
 * words (Levenshtein); tags are compared on the aligned pairs, and a reference mark on a word the recogniser
 * dropped counts as missed by both.
 *
 *   npx tsx test/bench/readable-tts.ts [--limit 300] [--backend wasm-simd] [--punct DIR]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { createPunctuator, type WordTag } from '../../models/language/punctuator';
import { createEngine, lmBackendFor, loadPackage, readAudioFile, type BackendName } from '../../renderer/engine/node';
import { arg } from './args';
import { REPO, loadBenchLm, loadBenchModel } from './bench-model';

const CASE: Record<string, WordTag['case']> = { l: 'lower', c: 'capitalized', u: 'upper', m: 'mixed' };
const MARKS = [',', '.', '?', '!'];

/** For each reference index, the hypothesis index aligned to it (match or substitution), or -1. */
function align(ref: readonly string[], hyp: readonly string[]): number[] {
  const n = ref.length,
    m = hyp.length;
  const d = Array.from({ length: n + 1 }, (_, i) =>
    Array.from({ length: m + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= n; i++)
    for (let j = 1; j <= m; j++)
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (ref[i - 1] === hyp[j - 1] ? 0 : 1));
  const out = new Array<number>(n).fill(-1);
  let i = n,
    j = m;
  while (i > 0 && j > 0) {
    if (d[i][j] === d[i - 1][j - 1] + (ref[i - 1] === hyp[j - 1] ? 0 : 1)) out[--i] = --j;
    else if (d[i][j] === d[i - 1][j] + 1) i--;
    else j--;
  }
  return out;
}

interface Counts {
  words: number;
  caseRight: number;
  f: Record<string, [number, number, number]>;
}
const empty = (): Counts => ({
  words: 0,
  caseRight: 0,
  f: Object.fromEntries([...MARKS, 'eos'].map((m) => [m, [0, 0, 0]])),
});

function score(c: Counts, gold: { case: string; mark: string }, pred: WordTag | null): void {
  const pm = pred?.mark ?? '';
  if (pred) {
    c.words++;
    c.caseRight += Number(pred.case === gold.case);
  }
  for (const m of MARKS) {
    if (pm === m && gold.mark === m) c.f[m][0]++;
    else if (pm === m) c.f[m][1]++;
    else if (gold.mark === m) c.f[m][2]++;
  }
  const ge = ['.', '?', '!'].includes(gold.mark),
    pe = ['.', '?', '!'].includes(pm);
  if (ge && pe) c.f.eos[0]++;
  else if (pe) c.f.eos[1]++;
  else if (ge) c.f.eos[2]++;
}

const f1 = ([tp, fp, fn]: [number, number, number]): string => ((2 * tp) / Math.max(1, 2 * tp + fp + fn)).toFixed(3);
const show = (name: string, c: Counts): string =>
  `${name.padEnd(9)} case accuracy ${(c.caseRight / Math.max(1, c.words)).toFixed(3)}  F1 ${MARKS.map((m) => `${m} ${f1(c.f[m])}`).join('  ')}  sentence boundary ${f1(c.f.eos)}`;

async function main(argv: string[]): Promise<void> {
  const limit = Number(arg(argv, 'limit') ?? 300);
  const backend = (arg(argv, 'backend') ?? 'wasm-simd') as BackendName;
  const refs = new Map<string, { word: string; case: string; mark: string }[]>();
  for (const line of readFileSync(join(REPO, 'data/punct/corpus-test.txt'), 'utf8').split('\n')) {
    const toks = line
      .split(' ')
      .filter(Boolean)
      .map((t) => {
        const [word, c, m] = t.split('|');
        return { word, case: CASE[c], mark: m === '-' ? '' : m };
      });
    if (toks.length) refs.set(toks.map((t) => t.word).join(' '), toks);
  }
  const rows = readFileSync(join(REPO, 'data/corpus/test-heldout.tsv'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t'))
    .filter(([, t]) => refs.has(t))
    .slice(0, limit);
  const acoustic = (await loadBenchModel()).pkg;
  const lm = await loadBenchLm();
  // the recogniser's raw words (the engine without readable models); the punctuator is run here, on them
  const recognizer = await createEngine(
    { acoustic, lm: lm?.pkg ?? null, punctuation: null, spelling: null },
    { backend, readable: false },
  );
  const punctuator = await createPunctuator(
    await loadPackage(arg(argv, 'punct') ?? join(REPO, 'models/default/punct')),
    { backend: lmBackendFor(backend) },
  );
  const model = empty(),
    fresh = empty(),
    base = empty();
  let stream = punctuator.createStream();
  let refWords = 0,
    aligned = 0;
  for (let r = 0; r < rows.length; r++) {
    if (r % 5 === 0) stream = punctuator.createStream();
    const audio = await readAudioFile(join(REPO, 'data/corpus', rows[r][0]));
    const updates = await lastValueFrom(
      recognizer.stream([{ sampleRate: audio.sampleRate, samples: audio.samples }]).pipe(toArray()),
    ); // the whole clip as one block
    const hyp: string[] = [],
      tags: WordTag[] = [],
      freshTags: WordTag[] = [],
      baseTags: WordTag[] = [];
    const clipStream = punctuator.createStream(); // the same clip from a fresh state: each clip its own session
    for (const seg of updates.flatMap((u) => u.finals)) {
      const words = seg.words.map((w) => w.word);
      hyp.push(...words);
      tags.push(...(await stream.tag(words)));
      freshTags.push(...(await clipStream.tag(words)));
      words.forEach((_w, i) =>
        baseTags.push({ case: i === 0 ? 'capitalized' : 'lower', mark: i === words.length - 1 ? '.' : '' }),
      );
    }
    const ref = refs.get(rows[r][1])!;
    const map = align(
      ref.map((t) => t.word),
      hyp,
    );
    refWords += ref.length;
    ref.forEach((gold, i) => {
      const j = map[i];
      if (j >= 0) aligned++;
      score(model, gold, j >= 0 ? tags[j] : null);
      score(fresh, gold, j >= 0 ? freshTags[j] : null);
      score(base, gold, j >= 0 ? baseTags[j] : null);
    });
  }
  recognizer.dispose();
  punctuator.dispose();
  process.stdout.write(
    `${rows.length} held-out TTS test clips (data/corpus/test-heldout.tsv), ${refWords} reference words, ${aligned} aligned to a recognised word; backend ${backend}\n`,
  );
  process.stdout.write(
    `${show('model', model)}   (sessions of 5 clips, the state carried)\n${show('model', fresh)}   (each clip a session from a fresh state)\n${show('baseline', base)}\n`,
  );
}

void main(process.argv.slice(2)).catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
