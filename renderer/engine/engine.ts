/**
 * The engine: one object that owns every model of a recognition setup (the acoustic RNN, the lexicon, the
 * LM scorer, the punctuation and spelling models) and runs audio through the RxJS pipeline
 * (pipeline/recognize.ts). In the spirit of whisper.h (a context made from default params) and sherpa-onnx
 * (a recognizer holds the models, each stream its own state):
 *
 *     const engine = await createEngine({ acoustic, lm, punctuation, spelling }, { ...defaultParams(), hotwords });
 *     engine.stream(audio$).subscribe((u) => show(u.finals, u.partial));   // live: one update per block
 *     const { segments } = await engine.transcribe(samples, 48000);          // offline: the same pipeline
 *     engine.dispose();                                                       // frees all of it
 *
 * Packages come loaded (LoadedPackage) or as a PackageSource (a zip or in-memory files, as the worker has
 * them); from paths on disk through node.ts. This module stays free of Node imports: it runs in the worker.
 */
import { defer, from, lastValueFrom, Observable, reduce, Subject, type ObservableInput } from 'rxjs';
import { createLmScorer, lmBackendFor, type LmScorer, type LmScorerOptions } from '../../models/language/lm-scorer';
import type { Scorer } from '../../models/language/scorer';
import { createPunctuator } from '../../models/language/punctuator';
import { createSpeller } from '../../models/language/speller';
import { loadModelPackage, type LoadedPackage } from '../../models/package/load-package';
import type { PackageSource } from '../../models/package/package-source';
import type { BackendName } from '../../models/rnn/backend';
import type { BuiltLexicon } from './decoding/lexicon-trie';
import { withDefaults, type EngineParams } from './params';
import type { AcousticModel } from './pipeline/acoustic-model';
import { zeroStageTimes, type AudioBlock, type EngineUpdate, type StageTimes } from './pipeline/blocks';
import { recognize } from './pipeline/recognize';
import {
  createRecognizer,
  type CreateRecognizerOptions,
  type Recognizer,
  type RecognizerInfo,
} from './pipeline/recognizer';
import type { ReadableModels } from './transcript/readable';
import type { Segment } from './transcript/segment';

/** A package: already loaded, or where to read it from. */
export type PackageInput = LoadedPackage | PackageSource;

export interface EngineModels {
  /** The acoustic model (kind 'acoustic'). */
  acoustic: PackageInput;
  /** The language model (kind 'language'), or null/undefined for none. */
  lm?: PackageInput | null;
  /** Punctuation and capitals (kind 'punctuation'), used unless params.readable is false. */
  punctuation?: PackageInput | null;
  /** Spelled guesses for sounds outside the lexicon (kind 'spelling'), likewise. */
  spelling?: PackageInput | null;
}

export interface EngineOptions {
  /** Milliseconds clock for the stage times (default performance.now). */
  clock?: () => number;
  /** Backends 'auto' may time (default: all available). */
  autoCandidates?: BackendName[];
  /** How 'auto' times the backends (default chooseBackend here): see CreateRecognizerOptions.chooseBackend. */
  chooseBackend?: CreateRecognizerOptions['chooseBackend'];
  /** The acoustic package's lexicon built elsewhere (the CLI builds it in a worker thread); default: built here. */
  lexicon?: BuiltLexicon;
  /** Tag the partial with the punctuation model too (default false: raw words until final). */
  readablePartial?: boolean;
  /**
   * The LM scorer's options (benches): its backend (default lmBackendFor(params.backend): the app's rule), its
   * context cache, the unknown-word count. The weights are params.lmWeights.
   */
  lm?: Omit<LmScorerOptions, 'alpha' | 'beta'>;
  /**
   * What the decoders see of the LM scorer the engine made (e.g. one that times its calls: test/bench/pipeline-rtf.ts).
   * The engine still owns, and disposes, the scorer itself.
   */
  wrapScorer?: (scorer: LmScorer) => Scorer;
}

export interface EngineInfo extends RecognizerInfo {
  /** The LM's backend and the weights in use, when the LM runs. */
  lmBackend: BackendName | null;
  lmWeights: { alpha: number; beta: number } | null;
  /** The readable-text models in use (null: none or params.readable false). */
  punctuationName: string | null;
  spellingName: string | null;
}

export interface StreamOptions {
  /** Where the stages add their time (default: a fresh StageTimes per subscription, not kept). */
  times?: StageTimes;
  /**
   * Live input (a microphone): blocks that arrive while the engine works on one are joined (consecutive
   * blocks of one rate) and go through as one block when it is free, as the worker has always done: one
   * update per pass instead of one per block, so a slow pass does not leave a queue of small ones behind
   * it. No sample is dropped and the transcript is the same. Default false: one update per block.
   */
  coalesce?: boolean;
}

export interface TranscribeResult {
  /** The final segments, in order. */
  segments: Segment[];
  /** Seconds of audio transcribed. */
  seconds: number;
  /** Time per stage. */
  times: StageTimes;
}

export interface Engine {
  readonly info: EngineInfo;
  readonly params: EngineParams;
  /** The acoustic model as loaded (features, stacking, output, the RNN stack). */
  readonly model: AcousticModel;
  // No `packages` field: the engine keeps no LoadedPackage once the models are built. Holding the LM's package
  // kept its widened F32 tensors (~16 MB, copied into the scorer) alive for the engine's life: the default CLI
  // run peaked ~14 MB higher. Callers that need a package's model.json keep the package they passed in.
  /**
   * The streaming entry: audio blocks in, one update per block out (in order), then one more when the
   * input completes (the partial becomes final). Each subscription is a stream of its own (its own RNN
   * state, decoder beam, endpointer, punctuator state); unsubscribing stops the work and frees them.
   * Blocks that come faster than the engine runs wait in order: none is dropped.
   */
  stream(audio$: ObservableInput<AudioBlock>, options?: StreamOptions): Observable<EngineUpdate>;
  /**
   * stream() for audio the engine may read at its own pace (a file, a decoded buffer): the next block is
   * taken from `blocks` only once the previous one's update is out, so a file never sits whole in memory
   * and a progress bar can count the blocks done. Unsubscribing stops reading (the iterator is closed).
   * An error thrown by the iterator arrives as the stream's error, as it is.
   */
  streamBlocks(
    blocks: Iterable<AudioBlock> | AsyncIterable<AudioBlock>,
    options?: StreamOptions,
  ): Observable<EngineUpdate>;
  /** Offline: the same pipeline over one buffer, cut into params.blockSeconds blocks. */
  transcribe(samples: Float32Array, sampleRate: number, options?: StreamOptions): Promise<TranscribeResult>;
  /** Frees every model it owns (GPU kernels and textures included). Unsubscribe its streams first. */
  dispose(): void;
}

function isSource(input: PackageInput): input is PackageSource {
  return typeof (input as PackageSource).list === 'function' && typeof (input as PackageSource).read === 'function';
}

/** Loads a package given as a source; a loaded one is returned as it is. */
export async function loadPackageInput(input: PackageInput): Promise<LoadedPackage> {
  return isSource(input) ? loadModelPackage(input) : input;
}

function requireKind(pkg: LoadedPackage, kind: LoadedPackage['json']['kind']): LoadedPackage {
  if (pkg.json.kind !== kind)
    throw new Error(
      `${pkg.source}: "${pkg.json.name}" is a ${pkg.json.kind} model, not a${/^[aeiou]/.test(kind) ? 'n' : ''} ${kind} model`,
    );
  return pkg;
}

/** Cuts one buffer into blocks of `seconds` (views, not copies). */
export function audioBlocks(samples: Float32Array, sampleRate: number, seconds: number): AudioBlock[] {
  const size = Math.max(1, Math.round(sampleRate * seconds));
  const blocks: AudioBlock[] = [];
  for (let at = 0; at < samples.length; at += size)
    blocks.push({ sampleRate, samples: samples.subarray(at, Math.min(samples.length, at + size)) });
  return blocks;
}

function joinSamples(blocks: readonly AudioBlock[]): Float32Array {
  if (blocks.length === 1) return blocks[0].samples;
  const out = new Float32Array(blocks.reduce((n, b) => n + b.samples.length, 0));
  let at = 0;
  for (const b of blocks) {
    out.set(b.samples, at);
    at += b.samples.length;
  }
  return out;
}

/**
 * Feeds `audio$` to `run` one pass at a time: while a block is in the pipeline (until its update is out),
 * the blocks that arrive are queued; when it is out, the queued ones of the first one's rate go in
 * joined. The input's completion and errors follow the queued audio.
 */
function coalesced(
  audio$: ObservableInput<AudioBlock>,
  run: (input: Observable<AudioBlock>) => Observable<EngineUpdate>,
): Observable<EngineUpdate> {
  return new Observable<EngineUpdate>((subscriber) => {
    const input = new Subject<AudioBlock>();
    const queue: AudioBlock[] = [];
    let busy = false;
    let end: { error: unknown } | 'complete' | null = null;
    const pump = (): void => {
      if (busy) return;
      if (queue.length) {
        const rate = queue[0].sampleRate;
        let n = 1;
        while (n < queue.length && queue[n].sampleRate === rate) n++;
        const run = queue.splice(0, n);
        busy = true;
        input.next({ sampleRate: rate, samples: joinSamples(run) }); // its update clears `busy`
      } else if (end !== null) {
        const how = end;
        end = null;
        if (how === 'complete') input.complete();
        else input.error(how.error);
      }
    };
    const output = run(input).subscribe({
      next: (u) => {
        subscriber.next(u);
        if (busy) {
          busy = false;
          pump();
        }
      },
      error: (e) => subscriber.error(e),
      complete: () => subscriber.complete(),
    });
    const source = from(audio$).subscribe({
      next: (block) => {
        queue.push(block);
        pump();
      },
      error: (error) => {
        end = { error };
        pump();
      },
      complete: () => {
        end = 'complete';
        pump();
      },
    });
    return () => {
      source.unsubscribe();
      output.unsubscribe();
      queue.length = 0;
    };
  });
}

/**
 * Loads the packages, builds the lexicon, the LM scorer and the readable-text models, and the acoustic
 * model on params.backend ('auto': the fastest measured here). Everything made here is freed by
 * engine.dispose(), and, when a later step fails, before the error is thrown.
 */
export async function createEngine(
  models: EngineModels,
  params: Partial<EngineParams> = {},
  options: EngineOptions = {},
): Promise<Engine> {
  const p = withDefaults(params);
  const owned: Array<{ dispose(): void }> = [];
  try {
    const acoustic = await loadPackageInput(models.acoustic); // createAcousticModel checks its kind
    const lm = models.lm ? await loadPackageInput(models.lm) : null; // createLmScorer checks its kind
    let scorer: LmScorer | null = null;
    const cpuSide = lmBackendFor(p.backend); // where the word-level RNNs run for this backend
    const lmBackend = options.lm?.backend ?? cpuSide;
    if (lm && p.useLm) {
      scorer = await createLmScorer(lm, {
        ...options.lm,
        backend: lmBackend,
        alpha: p.lmWeights.alpha,
        beta: p.lmWeights.beta,
      });
      owned.push(scorer);
    }
    let readable: ReadableModels | null = null;
    if (p.readable !== false && (models.punctuation || models.spelling)) {
      readable = { partial: options.readablePartial === true };
      if (models.punctuation) {
        readable.punctuator = await createPunctuator(
          requireKind(await loadPackageInput(models.punctuation), 'punctuation'),
          { backend: cpuSide },
        );
        owned.push(readable.punctuator);
      }
      if (models.spelling) {
        readable.speller = await createSpeller(requireKind(await loadPackageInput(models.spelling), 'spelling'), {
          backend: cpuSide,
        });
        owned.push(readable.speller);
      }
    }
    const { lmWeights: _weights, blockSeconds: _block, ...config } = p;
    const recognizer: Recognizer = await createRecognizer(
      acoustic,
      lm,
      { ...config, useLm: scorer !== null },
      {
        scorer: scorer && options.wrapScorer ? options.wrapScorer(scorer) : scorer,
        readable,
        lexicon: options.lexicon,
        chooseBackend: options.chooseBackend,
        autoCandidates: options.autoCandidates,
      },
    );
    owned.push(recognizer);
    const now = options.clock ?? (() => performance.now());
    let disposed = false;
    const info: EngineInfo = {
      ...recognizer.info,
      lmBackend: scorer ? lmBackend : null,
      lmWeights: scorer ? { alpha: scorer.alpha, beta: scorer.beta } : null,
      punctuationName: recognizer.readable?.punctuator?.name ?? null,
      spellingName: recognizer.readable?.speller?.name ?? null,
    };
    const pipeline = (
      audio$: ObservableInput<AudioBlock>,
      streamOptions: StreamOptions = {},
    ): Observable<EngineUpdate> =>
      defer(() => {
        if (disposed) throw new Error('this engine has been disposed: create a new one');
        const times = streamOptions.times ?? zeroStageTimes();
        return from(audio$).pipe(
          recognize({
            model: recognizer.model,
            decoder: recognizer.createDecoder(),
            endpoint: recognizer.endpoint,
            readable: recognizer.readable,
            clock: { times, now },
          }),
        );
      });
    const stream = (
      audio$: ObservableInput<AudioBlock>,
      streamOptions: StreamOptions = {},
    ): Observable<EngineUpdate> =>
      streamOptions.coalesce
        ? coalesced(audio$, (input) => pipeline(input, streamOptions))
        : pipeline(audio$, streamOptions);
    const streamBlocks = (
      blocks: Iterable<AudioBlock> | AsyncIterable<AudioBlock>,
      streamOptions: StreamOptions = {},
    ): Observable<EngineUpdate> =>
      new Observable<EngineUpdate>((subscriber) => {
        const input = new Subject<AudioBlock>();
        let next: (() => void) | null = null;
        let stopped = false;
        const release = (): void => {
          const go = next;
          next = null;
          go?.();
        };
        const subscription = stream(input, streamOptions).subscribe({
          next: (u) => {
            subscriber.next(u);
            release();
          },
          error: (e) => {
            stopped = true;
            release();
            subscriber.error(e);
          },
          complete: () => subscriber.complete(),
        });
        void (async () => {
          try {
            for await (const block of blocks) {
              if (stopped) return;
              const done = new Promise<void>((resolve) => (next = resolve));
              input.next(block); // exactly one update comes out per block
              await done;
              if (stopped) return;
            }
            input.complete();
          } catch (e) {
            if (!stopped) input.error(e);
          }
        })();
        return () => {
          stopped = true;
          subscription.unsubscribe();
          release();
        };
      });
    return {
      info,
      params: p,
      model: recognizer.model,
      stream,
      streamBlocks,
      async transcribe(samples, sampleRate, streamOptions = {}) {
        const times = streamOptions.times ?? zeroStageTimes();
        const segments = await lastValueFrom(
          streamBlocks(audioBlocks(samples, sampleRate, p.blockSeconds), { times }).pipe(
            reduce((acc: Segment[], u) => (acc.push(...u.finals), acc), []),
          ),
        );
        return { segments, seconds: samples.length / sampleRate, times };
      },
      dispose() {
        if (disposed) return;
        disposed = true;
        for (const o of owned.reverse()) o.dispose();
      },
    };
  } catch (e) {
    for (const o of owned.reverse()) o.dispose();
    throw e;
  }
}
