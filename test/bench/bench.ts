/// <reference types="node" />
/**
 * Earshot's benchmark: speed per stage and backend, streaming latency, load time, CLI memory, and
 * PocketSphinx on the same audio in the same run. Prints tables, writes JSON and an SVG chart.
 *
 *   npx tsx test/bench/bench.ts [options]          (npm run bench -- [options])
 *
 *   --out PATH           JSON output (default bench-results/bench.json); the chart goes beside it (.svg)
 *   --set PATH.tsv       audio as WAV<TAB>TEXT rows (default: data/corpus/test-heldout.tsv if present,
 *                        else ~2.5 minutes synthesized with espeak-ng, cached in the temp folder)
 *   --seconds N|all      use the first N seconds of audio, whole clips (default 180)
 *   --backends a,b       Node backends to time (default: every one available here)
 *   --lm PATH            language model package (default: models/default/lm, else a random stand-in)
 *   --no-lm              skip everything with a language model
 *   --random-model       use the random stand-in even when models/default/acoustic exists
 *   --no-browser         skip the Chromium RNN timings
 *   --no-pocketsphinx    skip PocketSphinx
 *   --no-cli             skip the CLI memory runs
 *   --no-readable        skip the readable-text cost (punctuation, capitals, spelled guesses: readable-cost.ts)
 *   --long-minutes N     also run the CLI on one N-minute file made of the clips (default 10; 0: skip)
 *   --cli-repeats N      CLI runs per configuration on the clips (default 3; the median peak RSS is shown)
 *   --quick              --seconds 40 --no-browser --long-minutes 0 --cli-repeats 1
 *
 * Which acoustic model ran (bundled or the random stand-in) is printed first and stored in the
 * JSON: the stand-in's transcripts are noise, its speed and memory are representative.
 * The machine may be shared: ratios measured side by side in one run are the figures to compare.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import {
  availableBackends,
  createEngine,
  encodeWav16,
  loadPackage,
  resample,
  type BackendName,
  type Engine,
  type LoadedPackage,
  type Scorer,
} from '../../renderer/engine/node';
import { CAPTURE_BLOCK_SECONDS } from '../../renderer/worker/protocol';
import { loadBenchAudio, type BenchAudio } from './bench-audio';
import { benchChartSvg, type ChartBar } from './bench-chart';
import { loadBenchLm, loadBenchModel, REPO, type BenchModel } from './bench-model';
import { benchBrowserRnn, chromiumAvailable, type BrowserRnnResult } from './browser-rnn';
import { runMeasured, type ChildUsage } from './child-usage';
import { measureReadableCost, READABLE_TARGETS, readableCostLines, type ReadableCost } from './readable-cost';
import { measureStages, type StageRtf } from './pipeline-rtf';
import { pocketsphinxAvailable, runPocketSphinx, type PocketSphinxResult } from './pocketsphinx';
import { measureStreamingLatency, type StreamingLatency } from './streaming-latency';
import { num, textTable } from './text-table';

const TARGETS = { wholeRtf: 0.05, firstPartialMs: 100, cliPeakRssMiB: 150 };

/** The LM scorer on a backend (default 'js'; 'auto': lmBackendFor('auto'), as the CLI and the app run it). */
type LmScorerFactory = (pkg: LoadedPackage, backend?: BackendName | 'auto') => Promise<Scorer & { dispose?(): void }>;

interface Args {
  out: string;
  set?: string;
  seconds?: number;
  backends?: BackendName[];
  lm?: string;
  noLm: boolean;
  randomModel: boolean;
  browser: boolean;
  pocketsphinx: boolean;
  cli: boolean;
  readable: boolean;
  longMinutes: number;
  cliRepeats: number;
}

function parseArgs(argv: string[]): Args {
  const value = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const quick = argv.includes('--quick');
  const seconds = value('seconds') ?? (quick ? '40' : '180');
  return {
    out: resolve(value('out') ?? join(REPO, 'bench-results/bench.json')),
    set: value('set'),
    seconds: seconds === 'all' ? undefined : Number(seconds),
    backends: value('backends')?.split(',') as BackendName[] | undefined,
    lm: value('lm'),
    noLm: argv.includes('--no-lm'),
    randomModel: argv.includes('--random-model'),
    browser: !argv.includes('--no-browser') && !quick,
    pocketsphinx: !argv.includes('--no-pocketsphinx'),
    cli: !argv.includes('--no-cli'),
    readable: !argv.includes('--no-readable'),
    longMinutes: Number(value('long-minutes') ?? (quick ? 0 : 10)),
    cliRepeats: Number(value('cli-repeats') ?? (quick ? 1 : 3)),
  };
}

function log(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
}

function gitDescribe(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).trim();
    const dirty =
      execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: REPO, encoding: 'utf8' }).trim() !==
      '';
    return dirty ? `${head}+uncommitted` : head;
  } catch {
    return 'unknown';
  }
}

async function lmFactory(): Promise<LmScorerFactory | null> {
  try {
    const mod = (await import('../../models/language/lm-scorer')) as {
      createLmScorer(pkg: LoadedPackage, o: { backend?: BackendName }): Promise<Scorer & { dispose?(): void }>;
      lmBackendFor(b: BackendName | 'auto'): BackendName;
    };
    return (pkg, backend = 'js') => mod.createLmScorer(pkg, { backend: mod.lmBackendFor(backend) });
  } catch (e) {
    log(`no LM scorer module (${(e as Error).message.split('\n')[0]}): LM rows skipped`);
    return null;
  }
}

interface LoadTimes {
  /** Reading and validating the acoustic package from disk (median of 3). */
  packageMs: number | null;
  /** createEngine with a named backend, no LM, raw words: lexicon prefix tree, kernels (median of 3). */
  recognizerMs: number;
  /** createEngine with backend 'auto': the above plus timing every backend. */
  recognizerAutoMs: number;
  autoChoice: { backend: string; timings: unknown };
  lmPackageMs: number | null;
  lmScorerMs: number | null;
}

async function measureLoad(
  model: BenchModel,
  lm: BenchModel | null,
  makeScorer: LmScorerFactory | null,
): Promise<LoadTimes> {
  const times = async (n: number, f: () => Promise<void>) => {
    const v: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      await f();
      v.push(performance.now() - t0);
    }
    return median(v);
  };
  const packageMs = model.path
    ? await times(3, async () => {
        await loadPackage(model.path!);
      })
    : null;
  const bare = { acoustic: model.pkg, lm: null, punctuation: null, spelling: null };
  const recognizerMs = await times(3, async () => {
    (await createEngine(bare, { backend: 'js' })).dispose();
  });
  const t0 = performance.now();
  const auto = await createEngine(bare);
  const recognizerAutoMs = performance.now() - t0;
  const autoChoice = { backend: auto.info.backend, timings: auto.info.backendTimings };
  auto.dispose();
  let lmPackageMs: number | null = null;
  let lmScorerMs: number | null = null;
  if (lm && makeScorer) {
    if (lm.path)
      lmPackageMs = await times(1, async () => {
        await loadPackage(lm.path!);
      });
    lmScorerMs = await times(1, async () => {
      (await makeScorer(lm.pkg)).dispose?.();
    });
  }
  return { packageMs, recognizerMs, recognizerAutoMs, autoChoice, lmPackageMs, lmScorerMs };
}

interface CliRun {
  label: string;
  /** The run with the median peak RSS. */
  usage: Omit<ChildUsage, 'stdout' | 'stderr'>;
  rtfCpu: number | null;
  /** Peak RSS of every repetition, MiB (garbage-collector timing makes it vary on a busy machine). */
  peakRssRuns: number[];
}

/** One WAV of `minutes` made of the clips back to back (16 kHz), to show memory on a long file. */
function writeLongWav(audio: BenchAudio, minutes: number, path: string): number {
  const rate = 16000;
  const total = Math.round(minutes * 60 * rate);
  const samples = new Float32Array(total);
  for (let at = 0, i = 0; at < total; i++) {
    const clip = audio.clips[i % audio.clips.length];
    const x = resample(clip.samples, clip.sampleRate, rate);
    samples.set(x.subarray(0, Math.min(x.length, total - at)), at);
    at += x.length;
  }
  writeFileSync(path, encodeWav16(samples, rate));
  return total / rate;
}

async function measureCli(
  model: BenchModel,
  lm: BenchModel | null,
  audio: BenchAudio,
  longMinutes: number,
  repeats: number,
  temp: string,
): Promise<CliRun[]> {
  if (!model.path) return [];
  const files = audio.clips.map((c) => c.wav);
  const bin = join(REPO, 'main/cli/bin.mjs');
  const runs: Array<{ label: string; args: string[]; files: string[]; seconds: number }> = [
    { label: 'transcribe --backend js --no-lm', args: ['--backend', 'js', '--no-lm'], files, seconds: audio.seconds },
    {
      label: 'transcribe --backend auto --no-lm',
      args: ['--backend', 'auto', '--no-lm'],
      files,
      seconds: audio.seconds,
    },
  ];
  if (lm?.path) {
    runs.push({
      label: `transcribe --backend js --lm (${lm.kind})`,
      args: ['--backend', 'js', '--lm', lm.path],
      files,
      seconds: audio.seconds,
    });
    runs.push({
      label: `transcribe --backend auto --lm (${lm.kind}; the default)`,
      args: ['--backend', 'auto', '--lm', lm.path],
      files,
      seconds: audio.seconds,
    });
  }
  // as users run it: `npm install` builds the CLI bundle (prepare); bin.mjs falls back to compiling
  // the sources through tsx (~20 MB more) when the bundle is older than them, so rebuild it first
  log('CLI bundle: node main/cli/build-cli.mjs');
  execFileSync(process.execPath, [join(REPO, 'main/cli/build-cli.mjs')], { cwd: REPO, stdio: 'inherit' });
  if (longMinutes > 0) {
    const long = join(temp, 'long.wav');
    const seconds = writeLongWav(audio, longMinutes, long);
    runs.push({
      label: `transcribe --backend js --no-lm, one ${longMinutes}-min file`,
      args: ['--backend', 'js', '--no-lm'],
      files: [long],
      seconds,
    });
  }
  const out: CliRun[] = [];
  for (const r of runs) {
    const usages: ChildUsage[] = [];
    const n = r.files.length > 1 ? repeats : 1;
    for (let k = 0; k < n; k++) {
      log(`CLI ${r.label}${r.files.length > 1 ? ` on ${r.files.length} files` : ''} (${k + 1}/${n})`);
      const usage = await runMeasured(
        process.execPath,
        [bin, 'transcribe', '--model', model.path, '--quiet', '--format', 'tsv', ...r.args, ...r.files],
        { cwd: REPO },
      );
      if (usage.exitCode !== 0) log(`  exit ${usage.exitCode}: ${usage.stderr.slice(-300)}`);
      usages.push(usage);
    }
    usages.sort((a, b) => (a.peakRssMiB ?? 0) - (b.peakRssMiB ?? 0));
    const { stdout: _o, stderr: _e, ...rest } = usages[Math.floor((usages.length - 1) / 2)];
    out.push({
      label: r.label,
      usage: rest,
      rtfCpu: rest.cpuSeconds !== null ? rest.cpuSeconds / r.seconds : null,
      peakRssRuns: usages.map((u) => u.peakRssMiB ?? NaN),
    });
  }
  return out;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const temp = mkdtempSync(join(tmpdir(), 'earshot-bench-'));
  const startedAt = new Date().toISOString();
  const loadAtStart = loadavg();
  try {
    const model = await loadBenchModel({ tempDir: temp, forceRandom: args.randomModel });
    log(`acoustic model: ${model.description}`);
    const audio = await loadBenchAudio({ set: args.set, maxSeconds: args.seconds });
    log(`audio: ${audio.clips.length} clips, ${audio.seconds.toFixed(1)} s (${audio.source})`);
    const makeScorer = args.noLm ? null : await lmFactory();
    const lm = makeScorer ? await loadBenchLm(args.lm, temp) : null;
    if (lm) log(`language model: ${lm.description}`);

    const node = (await availableBackends()).filter((b) =>
      ['reference', 'js', 'wasm-simd', 'cpu', 'webasm', 'headlessgl'].includes(b),
    );
    const backends = args.backends ?? node;

    log('load times');
    const load = await measureLoad(model, lm, makeScorer);

    const stages: StageRtf[] = [];
    for (const backend of backends) {
      log(`stages: ${backend}`);
      stages.push(await measureStages(model.pkg, backend, audio.clips));
    }
    if (lm && makeScorer) {
      log('stages: js + LM');
      stages.push(await measureStages(model.pkg, 'js', audio.clips, { lm: { pkg: lm.pkg }, label: 'js+lm' }));
      if (node.includes('wasm-simd')) {
        log("stages: wasm-simd + LM (the LM on wasm-simd: lmBackendFor('auto'))");
        stages.push(
          await measureStages(model.pkg, 'wasm-simd', audio.clips, { lm: { pkg: lm.pkg }, label: 'wasm-simd+lm' }),
        );
      }
    }

    const latency: Array<StreamingLatency & { backend: string; lm: boolean }> = [];
    const latencyConfigs: Array<{ lm: boolean }> = [{ lm: false }, ...(lm && makeScorer ? [{ lm: true }] : [])];
    for (const cfg of latencyConfigs) {
      // backend 'auto', the LM where 'auto' runs it (lmBackendFor), raw words: as the app's default, less readable text
      const recognizer: Engine = await createEngine({
        acoustic: model.pkg,
        lm: cfg.lm ? lm!.pkg : null,
        punctuation: null,
        spelling: null,
      });
      try {
        for (const blockSeconds of [0.1, CAPTURE_BLOCK_SECONDS]) {
          // the CLI's blocks, the app's
          log(`latency: ${blockSeconds * 1000} ms blocks, backend ${recognizer.info.backend}${cfg.lm ? ' + LM' : ''}`);
          latency.push({
            ...(await measureStreamingLatency(recognizer, audio.clips, blockSeconds)),
            backend: recognizer.info.backend,
            lm: cfg.lm,
          });
        }
      } finally {
        recognizer.dispose();
      }
    }

    const cli = args.cli ? await measureCli(model, lm, audio, args.longMinutes, args.cliRepeats, temp) : [];

    let pocketsphinx: PocketSphinxResult | null = null;
    if (args.pocketsphinx && pocketsphinxAvailable()) {
      log('PocketSphinx');
      pocketsphinx = await runPocketSphinx(audio.clips);
    } else if (args.pocketsphinx) {
      log('PocketSphinx is not installed (apt-get install pocketsphinx pocketsphinx-en-us): skipped');
    }

    let browser: BrowserRnnResult | null = null;
    if (args.browser && chromiumAvailable()) {
      log('Chromium RNN timings (SwiftShader)');
      const stepsPerSecond =
        model.pkg.json.features!.sampleRate / (model.pkg.json.features!.hopSize * model.pkg.json.stacking!.stride);
      try {
        browser = await benchBrowserRnn(
          model.pkg.json.layers,
          model.pkg.tensors.get('output.b_y')!.shape[0],
          stepsPerSecond,
        );
      } catch (e) {
        log(`browser timings failed: ${(e as Error).message.split('\n')[0]}`);
      }
    }

    let readable: ReadableCost | null = null;
    if (
      args.readable &&
      model.kind === 'bundled' &&
      ['punct', 'spell'].every((m) => existsSync(join(REPO, `models/default/${m}/model.json`)))
    ) {
      log('readable text: the pipeline without and with the punctuation and spelling models');
      readable = await measureReadableCost(model.pkg, lm?.pkg ?? null, audio, {
        backend: node.includes('wasm-simd') ? 'wasm-simd' : 'js',
      });
    }

    // ---- summary
    const noLm = stages.filter((s) => s.lm === null);
    const best = noLm.reduce((a, b) => (b.wholeCpu < a.wholeCpu ? b : a));
    const withLm = stages.find((s) => s.lm !== null) ?? null;
    const cliBest = cli.find((c) => c.label.includes('--backend js --no-lm')) ?? null;
    const cliMax = cli.reduce<number | null>(
      (m, c) => (c.usage.peakRssMiB !== null ? Math.max(m ?? 0, c.usage.peakRssMiB) : m),
      null,
    );
    // the first partial as the app shows it: the app's blocks, the LM on (its default) when there is one
    const appBlocks = latency.filter((l) => l.blockMs === CAPTURE_BLOCK_SECONDS * 1000);
    const latApp = appBlocks.find((l) => l.lm) ?? appBlocks[0];
    const ratio = (a: number | null | undefined, b: number | null | undefined) =>
      a != null && b != null && b > 0 ? a / b : null;
    const ratios = pocketsphinx
      ? {
          rtfCpu: ratio(best.wholeCpu, pocketsphinx.rtfCpu),
          rtfCpuWithLm: ratio(withLm?.wholeCpu, pocketsphinx.rtfCpu),
          peakRss: ratio(cliBest?.usage.peakRssMiB, pocketsphinx.peakRssMiB),
          wer: ratio(best.wer, pocketsphinx.wer),
        }
      : null;
    const targets = {
      wholeRtf: {
        target: TARGETS.wholeRtf,
        measured: best.wholeCpu,
        backend: best.label,
        met: best.wholeCpu < TARGETS.wholeRtf,
      },
      firstPartialMs: {
        target: TARGETS.firstPartialMs,
        measuredP50: latApp?.firstPartialAfterOnset.p50 ?? null,
        measuredP95: latApp?.firstPartialAfterOnset.p95 ?? null,
        met: (latApp?.firstPartialAfterOnset.p50 ?? Infinity) < TARGETS.firstPartialMs,
      },
      cliPeakRssMiB: {
        target: TARGETS.cliPeakRssMiB,
        measured: cliMax,
        met: cliMax !== null && cliMax < TARGETS.cliPeakRssMiB,
      },
    };

    const result = {
      meta: {
        startedAt,
        finishedAt: new Date().toISOString(),
        git: gitDescribe(),
        node: process.version,
        cpu: cpus()[0]?.model ?? 'unknown',
        cores: cpus().length,
        loadAverageAtStart: loadAtStart,
        loadAverageAtEnd: loadavg(),
        command: `tsx test/bench/bench.ts ${process.argv.slice(2).join(' ')}`.trim(),
      },
      model: {
        kind: model.kind,
        description: model.description,
        name: model.pkg.json.name,
        parameters: model.pkg.parameterCount,
      },
      lm: lm ? { kind: lm.kind, description: lm.description } : null,
      audio: { source: audio.source, clips: audio.clips.length, seconds: audio.seconds },
      targets,
      load,
      stages: stages.map(({ hypotheses: _h, ...s }) => s),
      latency: latency.map(({ partialSamples: _p, finals: _f, ...l }) => l),
      cli,
      pocketsphinx: pocketsphinx ? (({ hypotheses: _h, ...p }) => p)(pocketsphinx) : null,
      ratiosToPocketSphinx: ratios,
      browser,
      readable: readable ? (({ sampleRaw: _r, sampleReadable: _s, ...c }) => c)(readable) : null,
    };
    mkdirSync(dirname(args.out), { recursive: true });
    writeFileSync(args.out, JSON.stringify(result, null, 2) + '\n');

    const bars: ChartBar[] = stages.map((s) => ({
      label: s.label,
      segments: [
        { name: 'features', value: s.features },
        { name: 'acoustic', value: s.acoustic },
        { name: 'decoder', value: s.decoder },
        { name: 'lm', value: s.lm ?? 0 },
      ],
      marker: { name: 'wall', value: s.wholeWall },
    }));
    if (pocketsphinx?.rtfCpu != null)
      bars.push({
        label: 'pocketsphinx',
        segments: [{ name: 'total', value: pocketsphinx.rtfCpu }],
        marker: pocketsphinx.rtfWall != null ? { name: 'wall', value: pocketsphinx.rtfWall } : undefined,
      });
    for (const r of browser?.rows ?? [])
      if (Number.isFinite(r.acousticRtf))
        bars.push({
          label: `chromium ${r.backend} (RNN, wall)`,
          segments: [{ name: 'acoustic', value: r.acousticRtf }],
        });
    const svgPath = join(dirname(args.out), `${basename(args.out).replace(/\.json$/, '')}.svg`);
    writeFileSync(
      svgPath,
      benchChartSvg({
        title: `Earshot benchmark — ${model.kind === 'random' ? 'RANDOM stand-in model' : model.pkg.json.name}`,
        subtitle: `${audio.seconds.toFixed(0)} s of audio, ${startedAt.slice(0, 16)}, ${result.meta.cpu} (${result.meta.cores} cores, load ${loadAtStart[0].toFixed(1)}), node ${process.version}, ${result.meta.git}`,
        bars,
        target: { label: `target ${TARGETS.wholeRtf}`, value: TARGETS.wholeRtf },
        latency: latency.map((l) => ({
          label: `${l.blockMs} ms blocks, ${l.backend}${l.lm ? ' + LM' : ''}`,
          samples: l.partialSamples,
        })),
      }),
    );

    // ---- console report
    const p = (s: string) => process.stdout.write(s + '\n');
    p(
      `Earshot benchmark  ${startedAt}  ${result.meta.git}  node ${process.version}  ${result.meta.cpu} × ${result.meta.cores}, load ${loadAtStart.map((v) => v.toFixed(1)).join(' ')}`,
    );
    p(`acoustic model: ${model.description}`);
    if (lm) p(`language model: ${lm.description}`);
    p(`audio: ${audio.clips.length} clips, ${audio.seconds.toFixed(1)} s — ${audio.source}`);
    p('');
    p('Real-time factor per stage (CPU seconds per audio second; whole also wall clock), 100 ms blocks');
    p(
      textTable(
        ['backend', 'features', 'acoustic', 'decoder', 'lm', 'whole cpu', 'whole wall', 'WER %'],
        [
          ...stages.map((s) => [
            s.label,
            num(s.features, 4),
            num(s.acoustic, 4),
            num(s.decoder, 4),
            num(s.lm, 4),
            num(s.wholeCpu, 4),
            num(s.wholeWall, 4),
            num(100 * s.wer, 1),
          ]),
          ...(pocketsphinx
            ? [
                [
                  'pocketsphinx',
                  '',
                  '',
                  '',
                  '',
                  num(pocketsphinx.rtfCpu, 4),
                  num(pocketsphinx.rtfWall, 4),
                  num(100 * pocketsphinx.wer, 1),
                ],
              ]
            : []),
        ],
      ),
    );
    p('');
    p(
      `Streaming latency (ms; simulated real-time arrival, measured compute), backend 'auto' → ${load.autoChoice.backend}`,
    );
    p(
      textTable(
        [
          'blocks',
          'passes',
          'block p50',
          'block p95',
          'partial p50',
          'partial p95',
          'word end→shown p50',
          'p95',
          'first partial after onset p50',
          'p95',
          'text before onset',
          'first word kept',
        ],
        latency.map((l) => [
          `${l.blockMs} ms${l.lm ? ' + LM' : ''}`,
          l.passes,
          num(l.block.p50, 1),
          num(l.block.p95, 1),
          num(l.partial.p50, 1),
          num(l.partial.p95, 1),
          num(l.word.p50, 0),
          num(l.word.p95, 0),
          num(l.firstPartialAfterOnset.p50, 0),
          num(l.firstPartialAfterOnset.p95, 0),
          `${l.textBeforeOnset}/${l.clips}`,
          `${l.firstWordKept}/${l.clips}`,
        ]),
      ),
    );
    p(
      '(first partial: the first text shown, the tentative word being spoken included; word end→shown: settled words only)',
    );
    p('');
    p('Load time (ms)');
    p(
      textTable(
        ['what', 'ms'],
        [
          ['acoustic package from disk (read + validate)', num(load.packageMs, 0)],
          ['createEngine, backend js (lexicon tree, weights)', num(load.recognizerMs, 0)],
          ['createEngine, backend auto (+ timing each backend)', num(load.recognizerAutoMs, 0)],
          ...(lm
            ? [
                ['LM package from disk', num(load.lmPackageMs, 0)],
                ['LM scorer (start context)', num(load.lmScorerMs, 0)],
              ]
            : []),
        ],
      ),
    );
    if (cli.length || pocketsphinx) {
      p('');
      p(`Processes on all ${audio.clips.length} files unless said otherwise (${cli[0]?.usage.method ?? 'time -v'})`);
      p(
        textTable(
          ['process', 'peak RSS MiB (median)', 'runs', 'CPU s', 'wall s', 'CPU RTF (incl. load)'],
          [
            ...cli.map((c) => [
              `earshot ${c.label}`,
              num(c.usage.peakRssMiB, 1),
              c.peakRssRuns.map((v) => v.toFixed(0)).join(' '),
              num(c.usage.cpuSeconds, 2),
              num(c.usage.wallSeconds, 2),
              num(c.rtfCpu, 4),
            ]),
            ...(pocketsphinx
              ? [
                  [
                    'pocketsphinx_batch',
                    num(pocketsphinx.peakRssMiB, 1),
                    '',
                    num(
                      pocketsphinx.processRtfCpu !== null
                        ? pocketsphinx.processRtfCpu * pocketsphinx.audioSeconds
                        : null,
                      2,
                    ),
                    num(pocketsphinx.processWallSeconds, 2),
                    num(pocketsphinx.processRtfCpu, 4),
                  ],
                ]
              : []),
          ],
        ),
      );
    }
    if (ratios) {
      p('');
      p(
        `Earshot ÷ PocketSphinx (same files, same run; Earshot = ${best.label}, no LM): CPU RTF ${num(ratios.rtfCpu, 2)}×` +
          `${ratios.rtfCpuWithLm !== null ? `, with LM ${num(ratios.rtfCpuWithLm, 2)}×` : ''}, peak RSS ${num(ratios.peakRss, 2)}×, WER ${num(ratios.wer, 2)}×` +
          (model.kind === 'random' ? '  (WER meaningless: random stand-in model)' : ''),
      );
    }
    if (browser) {
      p('');
      p(
        `RNN in Chromium (${browser.userAgent.match(/(Headless)?Chrome\/[\d.]+/)?.[0] ?? 'Chromium'}, SwiftShader), ${browser.chunkSteps}-step chunks, wall clock`,
      );
      p(
        textTable(
          ['backend', 'ms/step (1-step)', `ms/step (${browser.chunkSteps}-step)`, 'acoustic RTF', 'max |Δ| vs ref'],
          browser.rows.map((r) =>
            r.error
              ? [r.backend, `error: ${r.error}`, '', '', '']
              : [
                  r.backend,
                  num(r.singleStepMs, 3),
                  num(r.chunkStepMs, 3),
                  num(r.acousticRtf, 4),
                  Number.isFinite(r.maxErrVsReference) ? r.maxErrVsReference.toExponential(1) : '—',
                ],
          ),
        ),
      );
    }
    if (readable) {
      p('');
      p('Readable text: what the punctuation and spelling models add (readable-cost.ts)');
      for (const line of readableCostLines(readable)) p(line);
    }
    p('');
    p('Targets');
    p(
      textTable(
        ['target', 'measured', 'met'],
        [
          [
            `whole-pipeline RTF < ${TARGETS.wholeRtf} on one core (CPU)`,
            `${num(best.wholeCpu, 4)} (${best.label})`,
            targets.wholeRtf.met ? 'yes' : 'NO',
          ],
          [
            `first partial < ${TARGETS.firstPartialMs} ms after speech onset (${CAPTURE_BLOCK_SECONDS * 1000} ms blocks${latApp?.lm ? ', LM' : ''})`,
            `p50 ${num(targets.firstPartialMs.measuredP50, 0)}, p95 ${num(targets.firstPartialMs.measuredP95, 0)}`,
            targets.firstPartialMs.met ? 'yes' : 'NO',
          ],
          [
            `CLI peak RSS < ${TARGETS.cliPeakRssMiB} MB`,
            `${num(cliMax, 1)} MiB (largest median)`,
            targets.cliPeakRssMiB.met ? 'yes' : 'NO',
          ],
          ...(readable
            ? [
                [
                  `readable-text models add < ${READABLE_TARGETS.addedRtf} RTF (their stage's CPU time)`,
                  num(readable.stageRtf, 5),
                  readable.stageRtf < READABLE_TARGETS.addedRtf ? 'yes' : 'NO',
                ],
                [
                  `readable-text models < ${READABLE_TARGETS.addedMB} MB`,
                  `${num(readable.punctMB + readable.spellMB + (readable.g2pMB ?? 0), 2)} MB`,
                  readable.punctMB + readable.spellMB + (readable.g2pMB ?? 0) < READABLE_TARGETS.addedMB ? 'yes' : 'NO',
                ],
              ]
            : []),
        ],
      ),
    );
    if (model.kind === 'random')
      p(
        '(random stand-in model: latency to the first partial and WER do not mean much until models/default/acoustic exists)',
      );
    p('');
    p(`wrote ${args.out} and ${svgPath}`);
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`bench: ${(e as Error)?.stack ?? e}\n`);
    process.exit(1);
  },
);
