/**
 * What the engine worker does, apart from the `self.onmessage` wiring: holds the loaded packages
 * and the recognizer, runs one stream at a time (the microphone, or an imported file fed in
 * blocks), runs decode passes one at a time (audio that arrives during a pass is picked up by the
 * next one, so a slow backend delays text but never piles up passes), and reports transcript
 * updates, file progress and counters.
 *
 * Both the microphone and a file run through the engine API's streaming entry (Engine.stream, the
 * RxJS pipeline of renderer/engine): an AudioRun feeds it the blocks from the worklet's port (or the
 * file, one block at a time) through a Subject, and the updates it emits go to the UI. Stop, the end of
 * a file and Cancel complete the input (the partial becomes final); a model swap does the same to the
 * old run and starts a new one on the new engine; either way the subscription is closed afterwards.
 *
 * Model changes (load, open-package, configure) are serialised. Each builds a complete new
 * engine (createEngine) first and only then swaps it in, so a broken package or a bad setting leaves
 * the current model working. A swap during a stream is live: the old stream is finished (its partial
 * becomes final) and a new stream continues on the same session timeline.
 */
import { createSpeller, type Speller } from '../../models/language/speller';
import {
  checkUserLexicon,
  createEngine,
  defaultParams,
  describePackage,
  loadModelPackage,
  memorySource,
  zipSource,
  type AudioBlock,
  type BackendName,
  type Engine as CoreEngine,
  type EngineModels,
  type EngineParams,
  type EngineUpdate,
  type LoadedPackage,
  type PackageSource,
} from '../engine';
import { AudioRun } from './audio-run';
import { decodeFileAudio } from './file-audio';
import type {
  AudioPortMessage,
  EngineConfig,
  EngineInfo,
  EngineStats,
  FeatureBlock,
  LoadedSlot,
  PackagePayload,
  ReadablePayloads,
  Segment,
  StreamSource,
  Timeline,
  UiToWorker,
  WorkerToUi,
} from './protocol';
import { placeSegment } from './timeline';

export type PostToUi = (message: WorkerToUi, transfer?: ArrayBuffer[]) => void;

/** Seconds of file audio per block (one update each): small enough for smooth progress and a quick cancel. */
export const FILE_BLOCK_SECONDS = 1;

export function packageSource(payload: PackagePayload): PackageSource {
  return 'zip' in payload ? zipSource(payload.name, payload.zip) : memorySource(payload.name, payload.files);
}

function emptyStats(): EngineStats {
  return { samplesReceived: 0, secondsReceived: 0, decodePasses: 0, featureFrames: 0, lastDecodeMs: 0 };
}

export function defaultEngineConfig(): EngineConfig {
  return { recognizer: {}, lmAlpha: null, lmBeta: null };
}

/** The one stream that runs now, and where its segments go on the session timeline. */
interface ActiveStream {
  source: StreamSource;
  /** transcribe-file's requestId; null for the microphone. */
  requestId: number | null;
  engine: Engine;
  /** The subscription to engine.core.stream() that the audio goes through now. */
  run: AudioRun;
  /** Where the current run's segments go: the timeline point it started at, and its first segment id. */
  offsetSeconds: number;
  idBase: number;
  /** The worklet port feeding a microphone stream; audio from any other port is ignored. */
  port: MessagePort | null;
  /** A live model swap in progress; audio that arrives meanwhile waits in `held`. */
  swap: Promise<void> | null;
  swapSeq: number;
  held: AudioBlock[];
  ending: boolean;
  cancelled: boolean;
  /** When the oldest block not yet answered went in (for stats.lastDecodeMs); null when none waits. */
  waitingSince: number | null;
}

/** An engine (createEngine: acoustic model, lexicon, LM scorer, readable-text models) and what the UI knows of it. */
interface Engine {
  core: CoreEngine;
  info: EngineInfo;
}

function disposeEngine(engine: Engine): void {
  engine.core.dispose();
}

export interface EngineSessionOptions {
  /** The backends this environment offers (models/rnn/backend.ts availableBackends). */
  probeBackends?: () => Promise<string[]>;
  /** Lets queued messages (cancel, configure) run between file blocks. */
  yieldToEvents?: () => Promise<void>;
}

export class EngineSession {
  private acoustic: LoadedPackage | null = null;
  private lm: LoadedPackage | null = null;
  /** Why the LM slot is empty although one was offered (e.g. the bundled LM failed to load). */
  private lmLoadError: string | null = null;
  /** The readable-text packages (bundled punctuation and spelling models) and why one failed to load. */
  private readablePkgs: ReadablePackages = { punct: null, spell: null, g2p: null, note: null };
  /** Letters → phonemes for Settings → Pronunciations' proposals, built once per package (tiny: the js backend). */
  private g2p: { pkg: LoadedPackage; speller: Promise<Speller | null> } | null = null;
  private config: EngineConfig = defaultEngineConfig();
  private engine: Engine | null = null;
  private active: ActiveStream | null = null;
  private stats = emptyStats();
  private modelJobs: Promise<void> = Promise.resolve();
  /** What 'auto' chose for an acoustic package: timing the backends on each settings change would stall for seconds. */
  private readonly autoBackend = new WeakMap<LoadedPackage, BackendName>();
  /** The port attached for the next microphone stream. */
  private nextPort: MessagePort | null = null;
  private readonly yieldToEvents: () => Promise<void>;

  constructor(
    private readonly post: PostToUi,
    private readonly create: typeof createEngine = createEngine,
    private readonly options: EngineSessionOptions = {},
  ) {
    this.yieldToEvents = options.yieldToEvents ?? (() => new Promise((resolve) => setTimeout(resolve, 0)));
  }

  async handle(message: UiToWorker): Promise<void> {
    switch (message.type) {
      case 'load':
        return this.serialise(() => this.load(message));
      case 'open-package':
        return this.serialise(() => this.openPackage(message));
      case 'configure':
        return this.serialise(() => this.configure(message));
      case 'attach-audio': {
        const port = message.port;
        this.nextPort = port;
        port.onmessage = (event: { data: AudioPortMessage }) => this.onAudioPort(port, event.data);
        return;
      }
      case 'start':
        this.startStream('microphone', null, message.timeline);
        return;
      case 'audio':
        if (this.active?.source === 'microphone') this.accept(message.sampleRate, message.samples);
        return;
      case 'stop':
        if (this.active?.source === 'microphone') await this.end();
        return;
      case 'transcribe-file':
        return this.transcribeFile(message);
      case 'cancel-file':
        if (this.active?.source === 'file' && this.active.requestId === message.requestId) this.active.cancelled = true;
        return;
      case 'probe-backends': {
        const backends = this.options.probeBackends
          ? await this.options.probeBackends().catch(() => ['reference'])
          : ['reference'];
        this.post({ type: 'backends', requestId: message.requestId, backends });
        return;
      }
    }
  }

  /** Runs model jobs one after another; a failed job does not stop the next. */
  private serialise(job: () => Promise<void>): Promise<void> {
    const run = this.modelJobs.then(job);
    this.modelJobs = run.catch(() => undefined);
    return run;
  }

  private onAudioPort(port: MessagePort, message: AudioPortMessage): void {
    if (!this.active || this.active.port !== port) return; // a finished run's late message
    if (message.type === 'audio') this.accept(message.sampleRate, message.samples);
    else void this.end();
  }

  // ---- models -------------------------------------------------------------------------------

  private async load(message: Extract<UiToWorker, { type: 'load' }>): Promise<void> {
    try {
      const acoustic = await loadModelPackage(packageSource(message.acoustic));
      requireKind(acoustic, 'acoustic');
      // A broken LM is not fatal at start-up: recognition works without it, and the UI says why.
      let lm: LoadedPackage | null = null;
      let lmLoadError: string | null = null;
      if (message.lm) {
        try {
          lm = await loadModelPackage(packageSource(message.lm));
          requireKind(lm, 'language');
        } catch (error) {
          lm = null;
          lmLoadError = describeError(error);
        }
      }
      if (message.readable) this.readablePkgs = await loadReadablePackages(message.readable);
      const built = await this.build(acoustic, lm, message.config, lmLoadError);
      this.acoustic = acoustic;
      this.lm = lm;
      this.lmLoadError = lmLoadError;
      this.commit(built, message.config, message.requestId, 'both');
    } catch (error) {
      this.post({ type: 'load-failed', requestId: message.requestId, message: describeError(error) });
    }
  }

  private async openPackage(message: Extract<UiToWorker, { type: 'open-package' }>): Promise<void> {
    try {
      const pkg = await loadModelPackage(packageSource(message.pkg));
      if (pkg.json.kind === 'punctuation' || pkg.json.kind === 'spelling') {
        throw new Error(
          `${pkg.source} is a ${pkg.json.kind} model: it ships with the app (models/default), and is not opened as the acoustic model or the LM`,
        );
      }
      if (pkg.json.kind === 'acoustic') {
        const built = await this.build(pkg, this.lm, message.config, this.lmLoadError);
        this.acoustic = pkg;
        this.commit(built, message.config, message.requestId, 'acoustic');
      } else {
        if (!this.acoustic) throw new Error(`${pkg.source} is a language model; load an acoustic model first`);
        const built = await this.build(this.acoustic, pkg, message.config, null);
        this.lm = pkg;
        this.lmLoadError = null;
        this.commit(built, message.config, message.requestId, 'lm');
      }
    } catch (error) {
      this.post({ type: 'load-failed', requestId: message.requestId, message: describeError(error) });
    }
  }

  private async configure(message: Extract<UiToWorker, { type: 'configure' }>): Promise<void> {
    try {
      if (!this.acoustic) throw new Error('No model is loaded.');
      const built = await this.build(this.acoustic, this.lm, message.config, this.lmLoadError);
      this.commit(built, message.config, message.requestId, 'config');
    } catch (error) {
      this.post({ type: 'load-failed', requestId: message.requestId, message: describeError(error) });
    }
  }

  private async build(
    acoustic: LoadedPackage,
    lm: LoadedPackage | null,
    config: EngineConfig,
    lmLoadError: string | null,
  ): Promise<Engine> {
    const params: EngineParams = {
      ...defaultParams(),
      ...config.recognizer,
      lmWeights: { alpha: config.lmAlpha ?? undefined, beta: config.lmBeta ?? undefined },
    };
    // 'auto' times the backends once per acoustic package (a settings change would stall for seconds
    // otherwise); the LM keeps the 'auto' rule (lmBackendFor), so params.backend stays 'auto'
    const chosen = params.backend === 'auto' ? this.autoBackend.get(acoustic) : undefined;
    const chooseBackend = chosen ? async () => ({ backend: chosen, timings: [] }) : undefined;
    const readableOn = params.readable !== false;
    const { punct, spell } = this.readablePkgs;
    const attempt = (withLm: boolean, withReadable: boolean): Promise<CoreEngine> => {
      const models: EngineModels = {
        acoustic,
        lm,
        punctuation: withReadable ? punct : null,
        spelling: withReadable ? spell : null,
      };
      return this.create(models, { ...params, useLm: params.useLm && withLm }, { chooseBackend });
    };
    // recognition works without the readable-text models, and without the LM: when the engine cannot
    // be built with them, it is built without, and the UI says why
    let core: CoreEngine;
    let readableNote: string | null = null;
    let lmNote: string | null = lmLoadError
      ? `The language model could not be loaded: ${lmLoadError}`
      : lm && !params.useLm
        ? 'The language model is switched off in Settings.'
        : null;
    const withReadable = readableOn && (punct !== null || spell !== null);
    try {
      core = await attempt(true, withReadable);
    } catch (first) {
      if (!withReadable && !(lm && params.useLm)) throw first;
      try {
        core = await attempt(true, false);
        if (withReadable) readableNote = `Punctuation and spelled guesses are off: ${describeError(first)}`;
        else lmNote = `The language model could not be used: ${describeError(first)}`;
      } catch (second) {
        if (!(lm && params.useLm && withReadable)) throw second;
        core = await attempt(false, false);
        lmNote = `The language model could not be used: ${describeError(second)}`;
        readableNote = `Punctuation and spelled guesses are off while the language model is not used: ${describeError(first)}`;
      }
    }
    if (params.backend === 'auto' && !chosen) this.autoBackend.set(acoustic, core.info.backend);
    const info: EngineInfo = {
      backend: core.info.backend,
      acoustic: describePackage(acoustic),
      lm: lm ? describePackage(lm) : null,
      lmActive: core.info.lmName !== null,
      lmBackend: core.info.lmBackend,
      lmWeights: core.info.lmWeights,
      lmNote: core.info.lmName !== null ? null : lmNote,
      readable: {
        punctuation: core.info.punctuationName,
        spelling: core.info.spellingName,
        note: !readableOn ? 'Raw words (Settings).' : (readableNote ?? this.readablePkgs.note),
      },
      unknownHotwords: core.info.unknownHotwords,
      unknownWords: core.info.unknownWords,
      lexiconProblems: await this.proposePronunciations(
        userLexiconProblems(acoustic, params.userLexicon, core.info.unknownWords),
      ),
    };
    return { core, info };
  }

  /** A word typed without a pronunciation gets the letters → phonemes model's guess (with the g2p package). */
  private async proposePronunciations(problems: EngineInfo['lexiconProblems']): Promise<EngineInfo['lexiconProblems']> {
    const pkg = this.readablePkgs.g2p;
    if (!pkg || problems.length === 0) return problems;
    if (this.g2p?.pkg !== pkg) {
      void this.g2p?.speller.then((s) => s?.dispose());
      this.g2p = { pkg, speller: createSpeller(pkg, { backend: 'js' }).catch(() => null) };
    }
    const speller = await this.g2p.speller;
    if (!speller) return problems;
    const out: EngineInfo['lexiconProblems'] = [];
    for (const problem of problems) {
      const tokens = problem.text.trim().split(/\s+/);
      const proposal =
        tokens.length === 1 && /^[a-z']+$/i.test(tokens[0]) ? await speller.spell(tokens[0]).catch(() => null) : null;
      out.push(proposal ? { ...problem, proposal } : problem);
    }
    return out;
  }

  /** Makes a built engine the current one; a running stream moves over to it. */
  private commit(built: Engine, config: EngineConfig, requestId: number, slot: LoadedSlot): void {
    const previous = this.engine;
    this.engine = built;
    this.config = config;
    const active = this.active;
    if (active && !active.ending) {
      const seq = ++active.swapSeq;
      active.swap = this.swapStream(active, built).finally(() => {
        if (active.swapSeq !== seq) return; // a newer swap is queued behind this one
        active.swap = null;
        const held = active.held;
        active.held = [];
        for (const block of held) this.feed(active, block);
      });
    }
    // an engine still used by a stream is disposed when that stream is done with it
    if (previous && previous !== active?.engine) disposeEngine(previous);
    this.post({ type: 'loaded', requestId, slot, info: built.info });
  }

  /** Live swap: finish the old run (partial → final), continue on a new one at the same timeline point. */
  private async swapStream(active: ActiveStream, next: Engine): Promise<void> {
    await active.swap; // an earlier swap first
    if (active.ending || active.engine === next) return;
    const old = active.run;
    const last = await old.end(); // the queued blocks, then the flush; the old subscription is closed
    if (last) this.report(active, { ...last, partial: null });
    else if (old.error === null)
      this.post({ type: 'error', message: 'Switching models mid-stream lost the last words.' });
    active.offsetSeconds += old.seconds;
    active.idBase += old.finals;
    const oldEngine = active.engine;
    active.engine = next;
    active.run = this.newRun(active);
    if (oldEngine !== this.engine) disposeEngine(oldEngine);
  }

  // ---- streams ------------------------------------------------------------------------------

  private startStream(source: StreamSource, requestId: number | null, timeline: Timeline): ActiveStream | null {
    const engine = this.engine;
    if (!engine) {
      this.post({ type: 'error', message: 'No model is loaded.' });
      return null;
    }
    if (this.active) {
      this.post({ type: 'error', message: 'A transcription is already running.' });
      return null;
    }
    this.stats = emptyStats();
    const active: ActiveStream = {
      source,
      requestId,
      engine,
      run: null as unknown as AudioRun, // set just below: the run reports into `active`
      port: source === 'microphone' ? this.nextPort : null,
      offsetSeconds: timeline.offsetSeconds,
      idBase: timeline.firstSegmentId,
      swap: null,
      swapSeq: 0,
      held: [],
      ending: false,
      cancelled: false,
      waitingSince: null,
    };
    active.run = this.newRun(active);
    this.active = active;
    return active;
  }

  /**
   * A subscription to the engine's streaming entry for `active`'s engine. The microphone's blocks are
   * coalesced while the engine is busy (one update per pass, as fast as the engine goes); a file's are
   * sent one at a time, one update each, so its progress is exact.
   */
  private newRun(active: ActiveStream): AudioRun {
    const coalesce = active.source === 'microphone';
    const run: AudioRun = new AudioRun(
      (audio$) => active.engine.core.stream(audio$, { coalesce }),
      {
        update: (update) => {
          if (active.run === run) this.report(active, update);
        },
        error: (error) => {
          if (active.run === run) this.post({ type: 'error', message: `Recognition failed: ${describeError(error)}` });
        },
      },
      coalesce,
    );
    return run;
  }

  private accept(sampleRate: number, samples: Float32Array): void {
    const active = this.active;
    if (!active || active.ending) return;
    this.stats.samplesReceived += samples.length;
    this.stats.secondsReceived += samples.length / sampleRate;
    if (active.swap) active.held.push({ sampleRate, samples });
    else this.feed(active, { sampleRate, samples });
  }

  private feed(active: ActiveStream, block: AudioBlock): void {
    if (active.waitingSince === null) active.waitingSince = performance.now();
    active.run.push(block);
  }

  /** End of input: waits for a swap, then completes the run: queued blocks go through, the partial becomes final. */
  private async end(): Promise<void> {
    const active = this.active;
    if (!active || active.ending) return;
    while (active.swap) await active.swap;
    if (active.ending) return;
    active.ending = true;
    const run = active.run;
    const last = await run.end();
    let finals: Segment[] = [];
    if (last) {
      this.stats.featureFrames += last.features.length;
      finals = last.finals.map((s) => placeSegment(s, active.offsetSeconds, active.idBase));
    } else if (run.error === null) {
      this.post({ type: 'error', message: 'Recognition stopped before the end of the recording.' });
    }
    this.active = null;
    if (active.engine !== this.engine) disposeEngine(active.engine);
    this.post({
      type: 'stopped',
      source: active.source,
      requestId: active.requestId,
      cancelled: active.cancelled,
      finals,
      stats: { ...this.stats },
    });
  }

  /** Decodes the file, then streams it through the engine block by block, like a very fast microphone. */
  private async transcribeFile(message: Extract<UiToWorker, { type: 'transcribe-file' }>): Promise<void> {
    let audio;
    try {
      audio = decodeFileAudio(message.audio);
    } catch (error) {
      this.post({ type: 'file-failed', requestId: message.requestId, message: describeError(error) });
      return;
    }
    const active = this.startStream('file', message.requestId, message.timeline);
    if (!active) {
      this.post({
        type: 'file-failed',
        requestId: message.requestId,
        message: this.engine ? 'A transcription is already running.' : 'No model is loaded.',
      });
      return;
    }
    const { sampleRate, samples } = audio;
    const totalSeconds = samples.length / sampleRate;
    const block = Math.max(1, Math.round(sampleRate * FILE_BLOCK_SECONDS));
    for (let at = 0; at < samples.length && !active.cancelled; at += block) {
      const end = Math.min(samples.length, at + block);
      this.accept(sampleRate, samples.slice(at, end));
      // wait until this block is transcribed (through any model swap) before sending the next
      while (active.swap || !active.run.idle) {
        await active.swap;
        await active.run.whenIdle();
      }
      if (active.run.error !== null) break; // the error is reported; what was heard is kept
      this.post({
        type: 'file-progress',
        requestId: message.requestId,
        processedSeconds: end / sampleRate,
        totalSeconds,
      });
      await this.yieldToEvents();
    }
    await this.end();
  }

  private report(active: ActiveStream, update: EngineUpdate): void {
    const now = performance.now();
    if (active.waitingSince !== null) this.stats.lastDecodeMs = now - active.waitingSince;
    active.waitingSince = active.run.idle ? null : now;
    this.stats.decodePasses++;
    this.stats.featureFrames += update.features.length;
    const features = flattenFeatures(update.features);
    const place = (s: Segment): Segment => placeSegment(s, active.offsetSeconds, active.idBase);
    this.post(
      {
        type: 'update',
        finals: update.finals.map(place),
        partial: update.partial ? place(update.partial) : null,
        level: update.level,
        features,
        stats: { ...this.stats },
      },
      features ? [features.data.buffer as ArrayBuffer] : [],
    );
  }
}

function requireKind(pkg: LoadedPackage, kind: 'acoustic' | 'language'): void {
  if (pkg.json.kind !== kind) {
    throw new Error(
      `${pkg.source} is ${pkg.json.kind === 'language' ? 'a language model' : 'an acoustic model'}, not ${kind === 'language' ? 'a language model' : 'an acoustic model'}`,
    );
  }
}

function flattenFeatures(frames: Float32Array[]): FeatureBlock | null {
  if (frames.length === 0) return null;
  const dims = frames[0].length;
  const data = new Float32Array(frames.length * dims);
  frames.forEach((frame, i) => data.set(frame.subarray(0, dims), i * dims));
  return { dims, frames: frames.length, data };
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Settings → Pronunciations lines the recognizer could not use (none for a character model's unused lexicon). */
function userLexiconProblems(
  acoustic: LoadedPackage,
  userLexicon: string | undefined,
  unknownWords: readonly string[],
): EngineInfo['lexiconProblems'] {
  const output = acoustic.json.output;
  if (userLexicon === undefined || output.type !== 'ctc' || output.units !== 'phonemes') return [];
  return checkUserLexicon(userLexicon, { alphabet: output.alphabet, isKnown: (word) => !unknownWords.includes(word) });
}

/** The readable-text packages; one that fails to load is left out (recognition works without it), the note says why. */
interface ReadablePackages {
  punct: LoadedPackage | null;
  spell: LoadedPackage | null;
  g2p: LoadedPackage | null;
  note: string | null;
}

/**
 * The readable-text packages (and the letters → phonemes one); one that fails to load is left out (recognition works
 * without it), the note says why.
 */
async function loadReadablePackages(payloads: ReadablePayloads): Promise<ReadablePackages> {
  const notes: string[] = [];
  const load = async (
    payload: PackagePayload | null | undefined,
    kind: 'punctuation' | 'spelling',
    direction?: 'p2g' | 'g2p',
  ): Promise<LoadedPackage | null> => {
    if (!payload) return null;
    try {
      const pkg = await loadModelPackage(packageSource(payload));
      if (pkg.json.kind !== kind) throw new Error(`${pkg.source} is a ${pkg.json.kind} model, not a ${kind} model`);
      const output = pkg.json.output;
      if (direction && output.type === 'seq2seq' && output.direction !== direction)
        throw new Error(`${pkg.source} spells ${output.direction}, not ${direction}`);
      return pkg;
    } catch (error) {
      notes.push(
        `The ${direction === 'g2p' ? 'letters → phonemes' : kind} model could not be loaded: ${describeError(error)}`,
      );
      return null;
    }
  };
  const [punct, spell, g2p] = [
    await load(payloads.punct, 'punctuation'),
    await load(payloads.spell, 'spelling', 'p2g'),
    await load(payloads.g2p, 'spelling', 'g2p'),
  ];
  return { punct, spell, g2p, note: notes.length ? notes.join(' ') : null };
}
