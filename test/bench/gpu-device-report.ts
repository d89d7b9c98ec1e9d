/// <reference types="node" />
/**
 * Merges the per-backend runs of test/bench/gpu-device.sh into one result.
 *
 * gpu-device.sh runs test/bench/bench-step.ts once per backend, each in its own process under a
 * timeout, so a driver that hangs or kills its process (a native crash in Dawn or ANGLE) costs
 * that backend's row only. Each run leaves DIR/<backend>.json (its stdout, bench-step's --json),
 * DIR/<backend>.err (stderr) and DIR/<backend>.rc (exit status); this turns them into
 * OUT/gpu-bench.json ({ machine, config, devices, rows }) and OUT/gpu-bench.txt (the table),
 * with an error row for every run that gave no row, naming its exit status and stderr.
 *
 *   node gpu-device-report.mjs --dir DIR --backends reference,js,... --out OUT [--meta key=value ...]
 *
 * Bundled into .gpu-bench by `gpu-device.sh pack`, so it runs where only the carried Node is.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BackendName } from '../../models/rnn/backend';
import { errorRow, formatTable, type BenchDevices, type StepBenchRow } from './bench-step';

/** What one backend's process left behind. */
export interface BackendRun {
  backend: BackendName;
  /** Its stdout (bench-step --json), '' when none. */
  stdout: string;
  stderr: string;
  /** Exit status; null when the shell recorded none. */
  rc: number | null;
}

export interface MergedBench {
  machine: Record<string, string>;
  config: Record<string, unknown> | null;
  devices: BenchDevices;
  rows: StepBenchRow[];
}

/** Noise that says nothing about a failure (Dawn prints this on every start). */
const NOISE = /DawnExperimentalSubgroupLimits is deprecated/;

/** The stderr line that best says why a run failed: the last one naming an error, else the last. */
export function failureLine(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !NOISE.test(l));
  const named = lines.filter((l) => /error|fault|abort|killed|not found|cannot|failed/i.test(l));
  const line = named.at(-1) ?? lines.at(-1) ?? '(no output on stderr)';
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

function describeExit(rc: number | null): string {
  if (rc === null) return 'no exit status recorded';
  if (rc === 124 || rc === 137) return `exit ${rc} (timed out, or killed)`;
  if (rc === 125) return 'not run';
  if (rc > 128) return `exit ${rc} (signal ${rc - 128})`;
  return `exit ${rc}`;
}

/**
 * One row per backend, in the order given: the run's own row(s) where its stdout parses as
 * bench-step JSON, else an error row built from its exit status and stderr. Devices and config
 * come from the runs that reported them (config from the first).
 */
export function mergeBackendRuns(runs: BackendRun[], machine: Record<string, string> = {}): MergedBench {
  const merged: MergedBench = { machine, config: null, devices: {}, rows: [] };
  for (const run of runs) {
    let parsed: { config?: Record<string, unknown>; devices?: BenchDevices; rows?: StepBenchRow[] } | null;
    try {
      // a native library may still print to stdout before the JSON: parse from the first '{' line
      const start = run.stdout.search(/^\{/m);
      parsed = start >= 0 ? JSON.parse(run.stdout.slice(start)) : null;
    } catch {
      parsed = null;
    }
    const rows = parsed?.rows?.filter((r) => r.backend === run.backend) ?? [];
    if (parsed?.config && !merged.config) merged.config = parsed.config;
    Object.assign(merged.devices, parsed?.devices ?? {});
    if (rows.length > 0) {
      merged.rows.push(...rows);
      continue;
    }
    merged.rows.push(errorRow(run.backend, `${describeExit(run.rc)}: ${failureLine(run.stderr)}`));
  }
  return merged;
}

/** The table plus the machine lines, as written to gpu-bench.txt. */
export function formatMerged(m: MergedBench): string {
  const node = typeof m.config?.node === 'string' ? m.config.node : '?';
  const cpu =
    typeof m.config?.cpu === 'string'
      ? `${m.config.cpu} ×${typeof m.config.cpuCount === 'number' ? m.config.cpuCount : '?'}`
      : '?';
  const head = Object.entries(m.machine).map(([k, v]) => `${k}: ${v}`);
  return [
    ...head,
    `cpu: ${cpu}`,
    '',
    formatTable(m.rows, `3×256 GRU (input 120, output 41), Node ${node}, medians, one process per backend`, m.devices),
  ].join('\n');
}

function readRun(dir: string, backend: BackendName): BackendRun {
  const read = (ext: string): string => {
    const p = join(dir, `${backend}.${ext}`);
    return existsSync(p) ? readFileSync(p, 'utf8') : '';
  };
  const rcText = read('rc').trim();
  return { backend, stdout: read('json'), stderr: read('err'), rc: rcText === '' ? null : Number(rcText) };
}

function main(): void {
  const args = process.argv.slice(2);
  const opt = (k: string): string | undefined => {
    const i = args.indexOf(k);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const dir = opt('--dir');
  const out = opt('--out');
  const backends = opt('--backends')?.split(',').filter(Boolean) as BackendName[] | undefined;
  if (!dir || !out || !backends)
    throw new Error('usage: gpu-device-report --dir DIR --backends a,b,c --out OUT [--meta key=value ...]');
  const machine: Record<string, string> = {};
  args.forEach((a, i) => {
    if (a !== '--meta') return;
    const kv = args[i + 1] ?? '';
    const eq = kv.indexOf('=');
    if (eq > 0) machine[kv.slice(0, eq)] = kv.slice(eq + 1);
  });
  const merged = mergeBackendRuns(
    backends.map((b) => readRun(dir, b)),
    machine,
  );
  const text = formatMerged(merged);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'gpu-bench.json'), `${JSON.stringify(merged, null, 2)}\n`);
  writeFileSync(join(out, 'gpu-bench.txt'), `${text}\n`);
  console.log(text);
}

if (process.argv[1] && /gpu-device-report\.[cm]?[jt]s$/.test(process.argv[1])) {
  try {
    main();
  } catch (e) {
    console.error(e);
    process.exit(1);
  }
}
