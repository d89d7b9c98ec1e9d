/**
 * One evaluation command: every evaluation set the project has, through the engine (without and with
 * the LM) and PocketSphinx on the same files in the same run, one table per group of sets.
 *
 *   npm run eval:all -- [--model DIR [--model DIR2]] [--lm DIR] [--data DIR] [--limit N] [--sets GLOB[,GLOB]]
 *                       [--json OUT.json] [--markdown] [--no-pocketsphinx]
 *
 * Sets (paths under --data, default data/; rows WAV<TAB>TEXT, WAV relative to the tsv):
 *   TTS held-out       corpus/test-heldout.tsv, corpus/test-heldout-noisy.tsv, corpus-words/test-heldout.tsv
 *                      (isolated words and 1-3 word phrases: models/recipe/data/prepare_words.py)
 *   real speech        real/dev-real-<source>.tsv, real/test-real-<source>.tsv (every source found)
 *   real-eval          real-eval/<package>.tsv and real-eval/all.tsv (bash models/recipe/data/prepare_real_eval.sh)
 * A set that is not there is listed as missing. A set's name is its path under --data less `.tsv`
 * (`corpus/test-heldout`, `real-eval/klettres`); --sets keeps the names matching a glob (`*` any text).
 * Two --model options compare two acoustic models (old vs new) side by side: each figure gets a
 * column per model. The engine code is `earshot eval`'s (evaluateSet); PocketSphinx is peers.ts's runner.
 * real-eval/all is the union of the package sets: when those were scored in the same run, its row
 * pools their error counts (the same clips, not decoded twice).
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  addCounts,
  createEngine,
  DEFAULT_ACOUSTIC,
  DEFAULT_LM,
  evaluateSet,
  lastValue,
  parseArgs,
  readEvalSet,
  UsageError,
  ZERO_COUNTS,
  type Engine,
  type ErrorCounts,
  type EvalResult,
} from '../../../renderer/engine/node';
import { pocketsphinx, POCKETSPHINX_BATCH, type PeerResult } from './peers';

export const GROUPS = [
  'TTS held-out',
  'real speech, per source',
  'real-eval, per package (reserved: never trained on)',
] as const;
export type Group = (typeof GROUPS)[number];

/** real-eval's packages as prepare_real_eval.py names their sets, then the union of them. */
export const REAL_EVAL_SETS = ['pocketsphinx', 'ktuberling', 'klettres', 'tuxpaint', 'alsa', 'all'];

export interface SetEntry {
  name: string;
  group: Group;
  path: string;
  missing: boolean;
  /**
   * The sets this one is the union of (real-eval/all): when their rows make up exactly this set's and all were
   * scored in this run, its figures are pooled from theirs instead of decoding every clip again.
   */
  union?: string[];
}

/** Every set eval:all knows of under `dataDir`, present or not, in table order. */
export function listSets(dataDir: string): SetEntry[] {
  const out: SetEntry[] = [];
  const add = (group: Group, rel: string, union?: string[]) => {
    const path = join(dataDir, rel);
    out.push({ name: rel.replace(/\.tsv$/, ''), group, path, missing: !existsSync(path), ...(union ? { union } : {}) });
  };
  add(GROUPS[0], 'corpus/test-heldout.tsv');
  add(GROUPS[0], 'corpus/test-heldout-noisy.tsv');
  add(GROUPS[0], 'corpus-words/test-heldout.tsv');
  const realDir = join(dataDir, 'real');
  const real = existsSync(realDir)
    ? readdirSync(realDir)
        .map((f) => /^(dev|test)-real-(.+)\.tsv$/.exec(f))
        .filter((m) => m !== null)
    : [];
  real.sort((a, b) => a[2].localeCompare(b[2]) || a[1].localeCompare(b[1]));
  for (const m of real) add(GROUPS[1], `real/${m[0]}`);
  for (const split of ['dev', 'test']) {
    if (!real.some((m) => m[1] === split))
      out.push({
        name: `real/${split}-real-*`,
        group: GROUPS[1],
        path: join(realDir, `${split}-real-*.tsv`),
        missing: true,
      });
  }
  const reDir = join(dataDir, 'real-eval');
  const extra = existsSync(reDir)
    ? readdirSync(reDir)
        .filter((f) => f.endsWith('.tsv') && !REAL_EVAL_SETS.includes(f.slice(0, -4)))
        .sort()
    : [];
  const packages = [...REAL_EVAL_SETS.slice(0, -1), ...extra.map((f) => f.slice(0, -4))];
  for (const s of packages) add(GROUPS[2], `real-eval/${s}.tsv`);
  add(
    GROUPS[2],
    'real-eval/all.tsv',
    packages.map((s) => `real-eval/${s}`),
  );
  return out;
}

/** `*` matches any text (slashes included), `?` one character; several globs separated by commas. */
export function globMatcher(globs: string): (name: string) => boolean {
  const res = globs
    .split(',')
    .filter(Boolean)
    .map(
      (g) =>
        new RegExp(
          '^' +
            g
              .replace(/[.+^${}()|[\]\\]/g, '\\$&')
              .replace(/\*/g, '.*')
              .replace(/\?/g, '.') +
            '$',
        ),
    );
  return (name) => res.some((r) => r.test(name));
}

export interface ModelFigures {
  wer: number;
  cer: number;
  werLm: number | null;
  cerLm: number | null;
  rtf: number;
  rtfLm: number | null;
  failed: number;
  counts: ErrorCounts;
  countsLm: ErrorCounts | null;
  decodeSeconds: number;
  decodeSecondsLm: number | null;
}
export interface SetResult {
  name: string;
  group: Group;
  path: string;
  status: 'ok' | 'missing' | 'empty';
  clips?: number;
  words?: number;
  audioSeconds?: number;
  /** Figures pooled from these sets' (see SetEntry.union), not decoded again. */
  pooledFrom?: string[];
  models?: ModelFigures[];
  pocketsphinx?: {
    wer: number;
    cer: number;
    rtf: number;
    counts: ErrorCounts;
    audioSeconds: number;
    decodeSeconds: number;
  } | null;
}

const rate = (c: ErrorCounts) => ({
  wer: c.words ? c.wordErrors / c.words : 0,
  cer: c.chars ? c.charErrors / c.chars : 0,
});
const sum = <T>(xs: T[], f: (x: T) => number) => xs.reduce((n, x) => n + f(x), 0);
const sumCounts = (cs: ErrorCounts[]) => cs.reduce(addCounts, ZERO_COUNTS);

/** One set's figures as the sum of its parts' (the same clips, already scored in this run). */
export function poolResults(entry: SetEntry, parts: SetResult[]): SetResult {
  const models = parts[0].models!.map((_m, i) => {
    const ms = parts.map((p) => p.models![i]);
    const counts = sumCounts(ms.map((m) => m.counts));
    const countsLm = ms.every((m) => m.countsLm) ? sumCounts(ms.map((m) => m.countsLm!)) : null;
    const audio = sum(parts, (p) => p.audioSeconds!);
    const decodeSeconds = sum(ms, (m) => m.decodeSeconds),
      decodeSecondsLm = countsLm ? sum(ms, (m) => m.decodeSecondsLm!) : null;
    return {
      ...rate(counts),
      werLm: countsLm ? rate(countsLm).wer : null,
      cerLm: countsLm ? rate(countsLm).cer : null,
      rtf: audio ? decodeSeconds / audio : 0,
      rtfLm: decodeSecondsLm !== null && audio ? decodeSecondsLm / audio : null,
      failed: sum(ms, (m) => m.failed),
      counts,
      countsLm,
      decodeSeconds,
      decodeSecondsLm,
    };
  });
  const ps = parts.every((p) => p.pocketsphinx) ? parts.map((p) => p.pocketsphinx!) : null;
  const psAudio = ps ? sum(ps, (p) => p.audioSeconds) : 0;
  return {
    name: entry.name,
    group: entry.group,
    path: entry.path,
    status: 'ok',
    pooledFrom: parts.map((p) => p.name),
    clips: sum(parts, (p) => p.clips!),
    words: sum(parts, (p) => p.words!),
    audioSeconds: +sum(parts, (p) => p.audioSeconds!).toFixed(1),
    models,
    pocketsphinx: ps
      ? {
          ...rate(sumCounts(ps.map((p) => p.counts))),
          counts: sumCounts(ps.map((p) => p.counts)),
          audioSeconds: psAudio,
          decodeSeconds: sum(ps, (p) => p.decodeSeconds),
          rtf: psAudio ? sum(ps, (p) => p.decodeSeconds) / psAudio : 0,
        }
      : null,
  };
}

interface LoadedModel {
  label: string;
  path: string;
  plain: Engine;
  withLm: Engine | null;
}

const pct = (x: number | null | undefined) => (x === null || x === undefined ? 'n/a' : (100 * x).toFixed(1));

/** The tables, one per group: plain text for the terminal, or markdown ready to paste. */
export function formatTables(results: SetResult[], labels: string[], markdown: boolean, withPs: boolean): string {
  const tag = (h: string, i: number) => (labels.length > 1 ? `${h} ${labels[i]}` : h);
  const head = ['set', 'clips'];
  const metrics: Array<[string, (f: ModelFigures) => number | null]> = [
    ['WER', (f) => f.wer],
    ['WER+LM', (f) => f.werLm],
    ['CER', (f) => f.cer],
    ['CER+LM', (f) => f.cerLm],
  ];
  for (const [h] of metrics) labels.forEach((_l, i) => head.push(tag(h, i)));
  if (withPs) head.push('PS WER', 'PS CER');
  const blocks: string[] = [];
  for (const group of GROUPS) {
    const rows = results.filter((r) => r.group === group);
    if (!rows.length) continue;
    const body = rows.map((r) => {
      if (r.status !== 'ok') return [r.name, r.status, ...head.slice(2).map(() => '')];
      const row = [r.name, String(r.clips)];
      for (const [, get] of metrics) r.models!.forEach((f) => row.push(pct(get(f))));
      if (withPs) row.push(pct(r.pocketsphinx?.wer), pct(r.pocketsphinx?.cer));
      return row;
    });
    if (markdown) {
      blocks.push(
        [
          `**${group}** (%)`,
          '',
          `| ${head.join(' | ')} |`,
          `|${head.map((_h, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
          ...body.map((r) => `| ${r.join(' | ')} |`),
        ].join('\n'),
      );
    } else {
      const w = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
      const line = (r: string[]) =>
        r
          .map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i])))
          .join('  ')
          .trimEnd();
      blocks.push([`${group} (%)`, line(head), line(w.map((n) => '-'.repeat(n))), ...body.map(line)].join('\n'));
    }
  }
  return blocks.join('\n\n') + '\n';
}

const USAGE =
  'usage: eval_all.ts [--model DIR [--model DIR2]] [--lm DIR] [--data DIR] [--limit N] [--sets GLOB[,GLOB]] [--json OUT] [--markdown] [--no-pocketsphinx]';

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    values: ['model', 'lm', 'data', 'limit', 'sets', 'json'],
    flags: ['markdown', 'no-pocketsphinx', 'help'],
  });
  if (args.flags.has('help')) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (args.positionals.length) throw new UsageError(`unexpected argument ${args.positionals[0]}`);
  const modelPaths = args.options.get('model') ?? [DEFAULT_ACOUSTIC];
  if (modelPaths.length > 2) throw new UsageError('at most two --model');
  const limitArg = lastValue(args, 'limit');
  const limit = limitArg === undefined ? Infinity : Number(limitArg);
  if (!(limit >= 1)) throw new UsageError('--limit takes a positive number');
  const dataDir = resolve(lastValue(args, 'data') ?? 'data');
  const lmPath = lastValue(args, 'lm') ?? (existsSync(join(DEFAULT_LM, 'model.json')) ? DEFAULT_LM : undefined);
  const withPs = !args.flags.has('no-pocketsphinx');
  if (withPs && !existsSync(POCKETSPHINX_BATCH))
    throw new UsageError(
      'pocketsphinx_batch is missing: apt-get install pocketsphinx pocketsphinx-en-us (or --no-pocketsphinx)',
    );
  const keep = globMatcher(lastValue(args, 'sets') ?? '*');
  const sets = listSets(dataDir).filter((s) => keep(s.name));
  if (!sets.length) throw new UsageError(`no set matches --sets ${lastValue(args, 'sets')}`);

  const log = (s: string) => process.stderr.write(`[eval:all] ${s}\n`);
  const labelOf = (p: string) =>
    resolve(p) === DEFAULT_ACOUSTIC ? 'bundled' : relative(process.cwd(), resolve(p)) || basename(p);
  const labels = modelPaths.map(labelOf);
  if (labels.length === 2 && labels[0] === labels[1]) labels.splice(0, 2, 'A', 'B');
  const models: LoadedModel[] = [];
  const t0 = performance.now();
  try {
    for (const [i, path] of modelPaths.entries()) {
      const plain = await createEngine({ acoustic: path, lm: null });
      const withLm = lmPath ? await createEngine({ acoustic: path, lm: lmPath }) : null;
      models.push({ label: labels[i], path: resolve(path), plain, withLm });
      log(`model ${labels[i]}: ${resolve(path)} (${plain.info.acousticName}, backend ${plain.info.backend})`);
    }
    log(`LM: ${lmPath ? `${lmPath} (${models[0].withLm?.info.lmName})` : 'none found: the +LM columns are n/a'}`);

    const results: SetResult[] = [];
    for (const s of sets) {
      if (s.missing) {
        results.push({ name: s.name, group: s.group, path: s.path, status: 'missing' });
        continue;
      }
      const rows = await readEvalSet(s.path);
      const n = Math.min(limit, rows.length);
      if (n === 0) {
        results.push({ name: s.name, group: s.group, path: s.path, status: 'empty' });
        continue;
      }
      // a union of sets scored above (real-eval/all): pooled when their rows, in order, are exactly this set's
      const parts = results.filter((r) => r.status === 'ok' && s.union?.includes(r.name));
      if (parts.length && n === rows.length) {
        const key = (r: { wav: string; text: string }) => `${r.wav}\t${r.text}`;
        const union = (await Promise.all(parts.map((p) => readEvalSet(p.path)))).flat().map(key);
        if (
          union.length === rows.length &&
          rows.every((r, i) => key(r) === union[i]) &&
          sum(parts, (p) => p.clips!) === rows.length
        ) {
          log(`${s.name}: pooled from ${parts.map((p) => p.name).join(', ')} (the same ${rows.length} clips)`);
          results.push(poolResults(s, parts));
          continue;
        }
      }
      const figures: ModelFigures[] = [];
      let base: EvalResult | null = null;
      for (const m of models) {
        log(`${s.name}: ${m.label}, ${n} clips without the LM${m.withLm ? ', then with it' : ''}`);
        const a = await evaluateSet(m.plain, s.path, { limit });
        const b = m.withLm ? await evaluateSet(m.withLm, s.path, { limit }) : null;
        base ??= a;
        figures.push({
          wer: a.wer,
          cer: a.cer,
          werLm: b ? b.wer : null,
          cerLm: b ? b.cer : null,
          rtf: a.rtf,
          rtfLm: b ? b.rtf : null,
          failed: a.failed + (b?.failed ?? 0),
          counts: a.counts,
          countsLm: b ? b.counts : null,
          decodeSeconds: a.decodeSeconds,
          decodeSecondsLm: b ? b.decodeSeconds : null,
        });
      }
      let ps: PeerResult | null = null;
      if (withPs) {
        log(`${s.name}: PocketSphinx`);
        ps = await pocketsphinx(s.path, limit);
      }
      results.push({
        name: s.name,
        group: s.group,
        path: s.path,
        status: 'ok',
        clips: base!.files,
        words: base!.counts.words,
        audioSeconds: +base!.audioSeconds.toFixed(1),
        models: figures,
        pocketsphinx: ps
          ? {
              wer: ps.wer,
              cer: ps.cer,
              rtf: ps.rtf,
              counts: ps.counts,
              audioSeconds: ps.audioSeconds,
              decodeSeconds: ps.decodeSeconds,
            }
          : null,
      });
    }
    const seconds = (performance.now() - t0) / 1000;
    const md = args.flags.has('markdown');
    if (md) {
      process.stdout.write(
        models
          .map((m) => `- ${m.label}: \`${relative(process.cwd(), m.path) || m.path}\` (${m.plain.info.acousticName})`)
          .join('\n') + '\n',
      );
      process.stdout.write(
        `- LM: ${lmPath ? `\`${relative(process.cwd(), resolve(lmPath))}\`` : 'none'}; PS = PocketSphinx (pocketsphinx-en-us) on the same files${Number.isFinite(limit) ? `; first ${limit} clips per set` : ''}\n\n`,
      );
    } else {
      process.stdout.write(
        `models: ${models.map((m) => `${m.label} = ${m.path}`).join(';  ')}\nLM: ${lmPath ?? 'none'}${Number.isFinite(limit) ? `;  first ${limit} clips per set` : ''}\n\n`,
      );
    }
    process.stdout.write(formatTables(results, labels, md, withPs));
    const failed = results.reduce((n, r) => n + (r.models?.reduce((k, f) => k + f.failed, 0) ?? 0), 0);
    if (failed)
      process.stdout.write(`\n${failed} file decodes failed (counted as empty transcripts); see the messages above\n`);
    process.stdout.write(
      `\n${results.filter((r) => r.status === 'ok').length} sets in ${seconds.toFixed(0)} s; missing: ${
        results
          .filter((r) => r.status !== 'ok')
          .map((r) => r.name)
          .join(', ') || 'none'
      }\n`,
    );
    const jsonOut = lastValue(args, 'json');
    if (jsonOut) {
      writeFileSync(
        jsonOut,
        JSON.stringify(
          {
            format: 'earshot-eval-all',
            date: new Date().toISOString(),
            data: dataDir,
            limit: Number.isFinite(limit) ? limit : null,
            seconds: +seconds.toFixed(1),
            models: models.map((m) => ({
              label: m.label,
              path: m.path,
              name: m.plain.info.acousticName,
              backend: m.plain.info.backend,
            })),
            lm: lmPath ? { path: resolve(lmPath), name: models[0].withLm?.info.lmName ?? null } : null,
            sets: results,
          },
          null,
          2,
        ) + '\n',
      );
    }
    return failed ? 1 : 0;
  } finally {
    for (const m of models) {
      m.plain.dispose();
      m.withLm?.dispose();
    }
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`eval:all: ${(e as Error).message}\n${e instanceof UsageError ? USAGE + '\n' : ''}`);
      process.exit(2);
    },
  );
}
