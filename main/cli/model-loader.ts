/**
 * The CLI loads its models in worker threads: timing the RNN backends for 'auto' in one, then
 * reading and validating the packages, widening F16 weights and building the lexicon's prefix
 * tree in another. All of that makes garbage that outlives nothing: gpu.js and the kernels it
 * compiles to time the backends, file buffers (the LM's 8 MB), 134k lexicon lines parsed, the tree
 * builder's arrays. Made in the CLI's own thread, it stayed in its memory as a grown V8 heap and
 * malloc arenas that freed blocks were never given back from (~40 MB of peak RSS with the bundled
 * models). A worker hands over only what decoding keeps (the timings; the weight tensors and the
 * tree's typed arrays, transferred, not copied) and ends; its heap goes with it. Two workers, one
 * after the other, so that the timing's heap is gone before the loading's grows.
 *
 *   const models = await loadModels({ model, lm, userLexicon, timeBackends: true });
 *   createEngine({ acoustic: models.acoustic, lm: models.lm }, params, { lexicon: models.lexicon ?? undefined, ... });
 *
 * The workers run timeBackendsHere() and loadModelsHere(), which are also the fallback when no
 * worker can run (the result says where it ran). A package that fails to load fails the same way
 * in either place.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  buildLexiconTrie,
  chooseBackend,
  LexiconTrie,
  loadModelPackage,
  nodeSource,
  type BackendName,
  type BackendTiming,
  type BuiltLexicon,
  type LexiconTrieData,
  type LoadedPackage,
  type Tensor,
} from '../../renderer/engine/node/loading'; // the slim entry: this runs in the loading worker and the timing child

export interface ModelRequest {
  /** Acoustic model package: a folder, a .zip, or a model.json. */
  model: string;
  /** Language model package, or null for none. */
  lm: string | null;
  /** Extra pronunciations (CMUdict-format text), merged into the lexicon. */
  userLexicon?: string;
  /** Time the RNN backends on the acoustic model (backend 'auto'). */
  timeBackends: boolean;
}

export interface LoadedModels {
  /**
   * The acoustic package. Loaded in the worker, its lexicon and word-count texts are left out
   * (`lexicon` below is what they were for).
   */
  acoustic: LoadedPackage;
  lm: LoadedPackage | null;
  /** A phoneme model's lexicon, built as createEngine would; null otherwise. */
  lexicon: BuiltLexicon | null;
  /** With timeBackends: the fastest backend and every timing (chooseBackend's). */
  timing: { backend: BackendName; timings: BackendTiming[] } | null;
  /** 'worker', or 'here' when no worker could run (`workerError` says why). */
  loadedIn: 'worker' | 'here';
  workerError?: string;
}

/** Times the backends on the acoustic model, in this thread: what the first worker runs. */
export async function timeBackendsHere(model: string): Promise<NonNullable<LoadedModels['timing']>> {
  const acoustic = await loadModelPackage(await nodeSource(model));
  const choice = await chooseBackend(acoustic.json.layers, acoustic.tensors);
  choice.stack.dispose();
  return { backend: choice.backend, timings: choice.timings };
}

/** Loads everything in this thread (the backends timed first): what the workers run. */
export async function loadModelsHere(request: ModelRequest): Promise<LoadedModels> {
  const timing = request.timeBackends ? await timeBackendsHere(request.model) : null;
  return { ...(await loadPackagesHere(request)), timing };
}

async function loadPackagesHere(request: ModelRequest): Promise<LoadedModels> {
  const acoustic = await loadModelPackage(await nodeSource(request.model));
  const lm = request.lm !== null ? await loadModelPackage(await nodeSource(request.lm)) : null;
  return { acoustic, lm, lexicon: lexiconOf(acoustic, request.userLexicon), timing: null, loadedIn: 'here' };
}

/** The engine's lexicon for this package (as createEngine would build it): phoneme models only. */
function lexiconOf(acoustic: LoadedPackage, userLexicon: string | undefined): BuiltLexicon | null {
  const out = acoustic.json.output;
  if (out.type !== 'ctc' || out.units !== 'phonemes' || acoustic.files.lexicon === undefined) return null;
  return buildLexiconTrie({
    alphabet: out.alphabet,
    lexicon: acoustic.files.lexicon,
    userLexicon,
    wordCounts: acoustic.files.wordCounts,
  });
}

/**
 * Loads in a worker thread; in this thread when no worker can run. `workerScript` replaces the
 * worker's entry (tests).
 */
export async function loadModels(request: ModelRequest, workerScript?: URL): Promise<LoadedModels> {
  let timing: LoadedModels['timing'] = null;
  let answer: WorkerAnswer;
  try {
    if (request.timeBackends)
      timing = unwrap(await runChild({ job: 'time', model: request.model }, workerScript)).timing;
    answer = await runWorker({ job: 'load', request }, workerScript);
  } catch (e) {
    if (e instanceof PackageLoadError) throw e.original;
    const here = timing !== null ? { ...(await loadPackagesHere(request)), timing } : await loadModelsHere(request);
    return { ...here, loadedIn: 'here', workerError: (e as Error).message ?? String(e) };
  }
  const loaded = unwrap(answer);
  return {
    acoustic: packageFromData(loaded.acoustic!),
    lm: loaded.lm ? packageFromData(loaded.lm) : null,
    lexicon: loaded.lexicon
      ? {
          trie: LexiconTrie.fromData(loaded.lexicon.trie),
          unknown: loaded.lexicon.unknown,
          problems: loaded.lexicon.problems,
        }
      : null,
    timing,
    loadedIn: 'worker',
  };
}

/** A package that failed to load in the worker (not a worker failure): rethrown as it is. */
class PackageLoadError extends Error {
  constructor(readonly original: Error) {
    super(original.message);
  }
}

function unwrap(answer: WorkerAnswer): Exclude<WorkerAnswer, { error: unknown }> {
  if ('error' in answer) {
    const error = new Error(answer.error.message);
    error.name = answer.error.name;
    throw new PackageLoadError(error);
  }
  return answer;
}

// ---- what crosses the thread boundary

interface PackageData {
  json: LoadedPackage['json'];
  tensors: Array<[string, Tensor]>;
  vocabulary?: string[];
  /** LM packages: the counts of the words outside the vocabulary (output.unknownWords), when present. */
  unknownWordCounts?: string;
  parameterCount: number;
  source: string;
}

/** What a worker is asked: time the backends, or load the packages and build the lexicon. */
export type WorkerJob = { job: 'time'; model: string } | { job: 'load'; request: ModelRequest };

export type WorkerAnswer =
  | {
      acoustic?: PackageData;
      lm?: PackageData | null;
      lexicon?: { trie: LexiconTrieData; unknown: string[]; problems: BuiltLexicon['problems'] } | null;
      timing: LoadedModels['timing'];
    }
  | { error: { name: string; message: string } };

/** The worker's answer and the buffers to transfer with it (the tensors', the tree's). */
export function answerOf(models: LoadedModels): { answer: WorkerAnswer; transfer: ArrayBuffer[] } {
  const transfer = new Set<ArrayBuffer>();
  const own = (a: { buffer: ArrayBufferLike }): void => {
    if (a.buffer instanceof ArrayBuffer) transfer.add(a.buffer);
  };
  const data = (pkg: LoadedPackage): PackageData => {
    for (const t of pkg.tensors.values()) own(t.data);
    return {
      json: pkg.json,
      tensors: [...pkg.tensors],
      vocabulary: pkg.files.vocabulary,
      unknownWordCounts: pkg.files.unknownWordCounts,
      parameterCount: pkg.parameterCount,
      source: pkg.source,
    };
  };
  let lexicon = null;
  if (models.lexicon !== null) {
    const trie = models.lexicon.trie.toData();
    for (const a of [
      trie.spellings.starts,
      trie.spellings.slots,
      trie.wordCounts,
      trie.childStart,
      trie.childUnit,
      trie.childNode,
      trie.wordStart,
      trie.wordIdList,
    ])
      own(a);
    lexicon = { trie, unknown: models.lexicon.unknown, problems: models.lexicon.problems };
  }
  const answer: WorkerAnswer = {
    acoustic: data(models.acoustic),
    lm: models.lm !== null ? data(models.lm) : null,
    lexicon,
    timing: models.timing,
  };
  return { answer, transfer: [...transfer] };
}

function packageFromData(d: PackageData): LoadedPackage {
  return {
    json: d.json,
    tensors: new Map(d.tensors),
    files: {
      ...(d.vocabulary !== undefined ? { vocabulary: d.vocabulary } : {}),
      ...(d.unknownWordCounts !== undefined ? { unknownWordCounts: d.unknownWordCounts } : {}),
    },
    parameterCount: d.parameterCount,
    source: d.source,
  };
}

/**
 * Bundled (out/cli/cli.mjs), the worker is out/cli/model-loader-worker.mjs (build-cli.mjs builds
 * it); run from the TypeScript sources through tsx, it is model-loader-worker.ts, started by
 * tsx-worker.mjs (tsx's loader is registered per thread).
 */
function workerEntry(workerScript?: URL): { script: URL; tsEntry: string | undefined } {
  const fromSources = import.meta.url.endsWith('.ts');
  return {
    script: workerScript ?? new URL(fromSources ? './tsx-worker.mjs' : './model-loader-worker.mjs', import.meta.url),
    tsEntry: fromSources ? new URL('./model-loader-worker.ts', import.meta.url).href : undefined,
  };
}

/**
 * The timing job runs in a child process, not a worker thread: gpu.js and its compiled kernels
 * left ~15 MB in a worker's malloc arenas (and V8's compiler threads'), which the process never
 * gave back; a process that exits leaves nothing. Its answer is a few numbers.
 */
function runChild(job: WorkerJob, workerScript?: URL): Promise<WorkerAnswer> {
  const { script, tsEntry } = workerEntry(workerScript);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(script), ...(tsEntry !== undefined ? [tsEntry] : [])], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      stderr = (stderr + d).slice(-2000);
    });
    let answer: WorkerAnswer | null = null;
    child.once('message', (m) => {
      answer = m as WorkerAnswer;
      child.disconnect();
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (answer !== null) resolve(answer);
      else
        reject(
          new Error(
            `the backend-timing process exited with code ${code} before answering${stderr ? `: ${stderr.trim().split('\n').pop()}` : ''}`,
          ),
        );
    });
    child.send(job);
  });
}

function runWorker(job: WorkerJob, workerScript?: URL): Promise<WorkerAnswer> {
  const { script, tsEntry } = workerEntry(workerScript);
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, {
      workerData: { tsEntry, job },
      // a 4 MB young generation: what the loading allocates either dies at once (lexicon lines,
      // file buffers) or lives on (tensors, the tree), and V8 grew the default one to 32 MB for it
      // (12 MB more peak RSS, no time saved)
      resourceLimits: { maxYoungGenerationSizeMb: 4 },
      stdout: true, // the worker's output is not the CLI's output
      stderr: true,
    });
    let settled = false;
    // answer once the worker is gone: its heap is then freed, before the caller goes on
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      worker.terminate().then(fn, fn);
    };
    worker.once('message', (answer: WorkerAnswer) => finish(() => resolve(answer)));
    worker.once('error', (e: unknown) => finish(() => reject(e instanceof Error ? e : new Error(String(e)))));
    worker.once('exit', (code) =>
      finish(() => reject(new Error(`the model-loading worker exited with code ${code} before answering`))),
    );
  });
}
