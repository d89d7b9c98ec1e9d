/// <reference types="node" />
/**
 * Loader fuzzer: mutated model packages through loadModelPackage + createEngine + a stream, and
 * mutated audio files through readAudioFile + a stream (see test/fuzz/*-mutations.ts for what is
 * mutated, test/fuzz/fuzz-cases.ts for how outcomes are judged). Every case must end `ok` or as a
 * `clean-error`; anything else is listed with its label, so it can be replayed.
 *
 *   npx tsx test/bench/fuzz.ts [--packages 1000] [--audio 1000] [--seed 1] [--timeout-ms 10000] [--out PATH]
 *   (npm run fuzz -- ...)
 *   replay one case:  --only package:123   or   --only audio:45
 *
 * Cases run in a worker thread with a memory cap; a case that runs past the timeout is a `hang`
 * and one that takes the worker down (out of memory, a fatal error) is a `crash`: either way the
 * worker is replaced and the run goes on with the next case.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { REPO } from './bench-model';
import type { CaseResult, Outcome } from '../fuzz/fuzz-cases';
import type { FuzzWorkerData } from '../fuzz/fuzz-worker';
import { textTable } from './text-table';
import { arg } from './args';

const WORKER = new URL('../fuzz/fuzz-worker-boot.mjs', import.meta.url);

/** Runs cases [start, end) of one kind, replacing the worker after a hang or a crash. */
async function runKind(
  kind: 'package' | 'audio',
  seed: number,
  start: number,
  end: number,
  timeoutMs: number,
  dirs: { codecDir: string; tempDir: string },
): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  let next = start;
  while (next < end) {
    next = await new Promise<number>((resolveNext) => {
      const data: FuzzWorkerData = { kind, seed, start: next, end, ...dirs };
      const worker = new Worker(WORKER, {
        workerData: data,
        resourceLimits: { maxOldGenerationSizeMb: 768 },
        stdout: true,
        stderr: true,
      });
      let current = -1;
      let label = '';
      let t0 = 0;
      let timer: ReturnType<typeof setTimeout> | null = null;
      let settled = false;
      const settle = (resumeAt: number) => {
        if (settled) return;
        settled = true;
        if (timer) clearTimeout(timer);
        void worker.terminate();
        resolveNext(resumeAt);
      };
      const lost = (outcome: Outcome, message: string) => {
        if (current < 0 && label === '') {
          // the worker died before running anything: not a finding, a broken fuzzer
          process.stderr.write(`[fuzz] the worker failed to start: ${message}\n`);
          process.exit(2);
        }
        const index = current >= 0 ? current : next;
        results.push({ index, label, outcome, message: message.slice(0, 300), ms: performance.now() - t0 });
        process.stderr.write(`[fuzz] ${kind} ${index}: ${outcome.toUpperCase()} ${label}: ${message.split('\n')[0]}\n`);
        settle(index + 1);
      };
      worker.on(
        'message',
        (m: { started?: number; label?: string; result?: CaseResult; done?: boolean; fatal?: string }) => {
          if (m.started !== undefined) {
            current = m.started;
            label = m.label ?? '';
            t0 = performance.now();
            if (timer) clearTimeout(timer);
            timer = setTimeout(() => lost('hang', `no result after ${timeoutMs} ms`), timeoutMs);
          } else if (m.result) {
            if (timer) clearTimeout(timer);
            results.push(m.result);
            if ((m.result.index + 1) % 100 === 0)
              process.stderr.write(`[fuzz] ${kind}: ${m.result.index + 1 - start}/${end - start}\n`);
            current = -1;
          } else if (m.done) {
            settle(end);
          } else if (m.fatal) {
            lost('crash', m.fatal);
          }
        },
      );
      worker.on('error', (e) => lost('crash', `${(e as Error).name}: ${(e as Error).message}`));
      worker.on('exit', (code) => {
        if (!settled) lost('crash', `worker exited with code ${code}`);
      });
    });
  }
  return results;
}

function summarize(kind: string, results: CaseResult[]) {
  const count = (o: Outcome) => results.filter((r) => r.outcome === o).length;
  const byMessage = new Map<string, number>();
  for (const r of results) {
    if (r.outcome !== 'clean-error') continue;
    const key = `${r.stage}: ${r.errorName}: ${(r.message ?? '')
      .replace(/\d+/g, 'N')
      .replace(/"[^"]*"/g, '"…"')
      .slice(0, 90)}`;
    byMessage.set(key, (byMessage.get(key) ?? 0) + 1);
  }
  return {
    kind,
    cases: results.length,
    ok: count('ok'),
    cleanError: count('clean-error'),
    unclearError: count('unclear-error'),
    pipelineError: count('pipeline-error'),
    hang: count('hang'),
    crash: count('crash'),
    slowestMs: Math.max(0, ...results.map((r) => r.ms)),
    slowest: [...results]
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 3)
      .map((r) => ({ index: r.index, ms: Math.round(r.ms), outcome: r.outcome, label: r.label })),
    topCleanErrors: [...byMessage]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([message, n]) => ({ n, message })),
    problems: results.filter((r) => r.outcome !== 'ok' && r.outcome !== 'clean-error'),
  };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const seed = Number(arg(argv, 'seed') ?? 1);
  const timeoutMs = Number(arg(argv, 'timeout-ms') ?? 10_000);
  const out = resolve(arg(argv, 'out') ?? join(REPO, 'bench-results/fuzz.json'));
  const only = arg(argv, 'only');
  let plan: Array<{ kind: 'package' | 'audio'; start: number; end: number }>;
  if (only) {
    const [kind, index] = only.split(':');
    plan = [{ kind: kind as 'package' | 'audio', start: Number(index), end: Number(index) + 1 }];
  } else {
    plan = [
      { kind: 'package', start: 0, end: Number(arg(argv, 'packages') ?? 1000) },
      { kind: 'audio', start: 0, end: Number(arg(argv, 'audio') ?? 1000) },
    ];
  }
  const tempDir = mkdtempSync(join(tmpdir(), 'earshot-fuzz-'));
  const codecDir = join(tmpdir(), 'earshot-fuzz-codec-bases-v1');
  const t0 = performance.now();
  const summaries = [];
  try {
    for (const p of plan) {
      process.stderr.write(`[fuzz] ${p.end - p.start} ${p.kind} cases, seed ${seed}, timeout ${timeoutMs} ms\n`);
      summaries.push(summarize(p.kind, await runKind(p.kind, seed, p.start, p.end, timeoutMs, { codecDir, tempDir })));
    }
  } finally {
    rmSync(tempDir, { recursive: true, force: true });
  }
  const seconds = (performance.now() - t0) / 1000;
  const result = {
    meta: {
      date: new Date().toISOString(),
      node: process.version,
      seed,
      timeoutMs,
      seconds,
      command: `tsx test/bench/fuzz.ts ${argv.join(' ')}`.trim(),
    },
    summaries,
  };
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(result, null, 2) + '\n');

  const p = (s: string) => process.stdout.write(s + '\n');
  p(`Fuzz, seed ${seed}, ${seconds.toFixed(0)} s`);
  p(
    textTable(
      ['inputs', 'cases', 'ok', 'clean error', 'unclear error', 'pipeline error', 'hang', 'crash', 'slowest ms'],
      summaries.map((s) => [
        s.kind,
        s.cases,
        s.ok,
        s.cleanError,
        s.unclearError,
        s.pipelineError,
        s.hang,
        s.crash,
        s.slowestMs.toFixed(0),
      ]),
    ),
  );
  for (const s of summaries) {
    p('');
    p(`${s.kind}: most frequent clean errors`);
    for (const e of s.topCleanErrors) p(`  ${String(e.n).padStart(4)}  ${e.message}`);
    if (s.problems.length) {
      p(`${s.kind}: PROBLEMS (replay with --only ${s.kind}:INDEX --seed ${seed})`);
      for (const r of s.problems.slice(0, 40))
        p(
          `  #${r.index} ${r.outcome} [${r.stage ?? '-'}] ${r.errorName ?? ''}: ${(r.message ?? '').split('\n')[0].slice(0, 160)}  ← ${r.label.slice(0, 120)}`,
        );
    }
  }
  p(`wrote ${out}`);
  const bad = summaries.reduce((n, s) => n + s.unclearError + s.pipelineError + s.hang + s.crash, 0);
  process.exit(bad > 0 ? 1 : 0);
}

main().catch((e) => {
  process.stderr.write(`fuzz: ${(e as Error)?.stack ?? e}\n`);
  process.exit(2);
});
