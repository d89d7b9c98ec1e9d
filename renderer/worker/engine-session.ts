/**
 * What the engine worker does, apart from the `self.onmessage` wiring: holds the loaded packages
 * and the recognizer, runs one stream at a time (the microphone, or an imported file fed in
 * blocks), runs decode passes one at a time (audio that arrives during a pass is picked up by the
 * next one, so a slow backend delays text but never piles up passes), and reports transcript
 * updates, file progress and counters.
 *
 * Model changes (load, open-package, configure) are serialised. Each builds a complete new
 * recognizer first and only then swaps it in, so a broken package or a bad setting leaves the
 * current model working. A swap during a stream is live: the old stream is finished (its partial
 * becomes final) and a new stream continues on the same session timeline.
 */
import { createLmScorer, lmBackendFor, type LmScorer } from '../../models/language/lm-scorer';
import { createPunctuator } from '../../models/language/punctuator';
import { createSpeller } from '../../models/language/speller';
import type { BackendName } from '../../models/rnn/backend';
import { describePackage, loadModelPackage, type LoadedPackage } from '../../models/package/load-package';
import { memorySource, zipSource, type PackageSource } from '../../models/package/package-source';
import { checkUserLexicon } from '../engine/decoding/lexicon';
import { defaultRecognizerConfig, type createRecognizer, type Recognizer, type RecognizerStream, type TranscriptUpdate } from '../engine/pipeline/recognizer';
import type { ReadableModels } from '../engine/transcript/readable';
import { decodeFileAudio } from './file-audio';
import type { AudioPortMessage, EngineConfig, EngineInfo, EngineStats, FeatureBlock, LoadedSlot, PackagePayload, ReadablePayloads, Segment, StreamSource, Timeline, UiToWorker, WorkerToUi } from './protocol';
import { placeSegment } from './timeline';

export type PostToUi = (message: WorkerToUi, transfer?: ArrayBuffer[]) => void;

/** Seconds of file audio fed per decode pass: small enough for smooth progress and a quick cancel. */
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
  stream: RecognizerStream;
  offsetSeconds: number;
  idBase: number;
  pendingAudio: boolean;
  decoding: Promise<void> | null;
  /** The worklet port feeding a microphone stream; audio from any other port is ignored. */
  port: MessagePort | null;
  /** A live model swap in progress; audio that arrives meanwhile waits in `held`. */
  swap: Promise<void> | null;
  swapSeq: number;
  held: { sampleRate: number; samples: Float32Array }[];
  ending: boolean;
  cancelled: boolean;
}

/** A recognizer and the LM scorer built for it: created together, disposed together. */
interface Engine {
  recognizer: Recognizer;
  scorer: LmScorer | null;
  /** The punctuator and speller built for this recognizer (readable text), if any. */
  readable: ReadableModels | null;
  info: EngineInfo;
}

function disposeEngine(engine: Engine): void {
  engine.recognizer.dispose();
  engine.scorer?.dispose();
  engine.readable?.punctuator?.dispose();
  engine.readable?.speller?.dispose();
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
  private readablePkgs: { punct: LoadedPackage | null; spell: LoadedPackage | null; note: string | null } = { punct: null, spell: null, note: null };
  private config: EngineConfig = defaultEngineConfig();
  private engine: Engine | null = null;
  private active: ActiveStream | null = null;
  private stats = emptyStats();
  private modelJobs: Promise<void> = Promise.resolve();
  /** What 'auto' chose for an acoustic package: timing every backend again on each settings change would stall for seconds. */
  private readonly autoBackend = new WeakMap<LoadedPackage, Recognizer['info']['backend']>();
  /** The port attached for the next microphone stream. */
  private nextPort: MessagePort | null = null;
  private readonly yieldToEvents: () => Promise<void>;

  constructor(
    private readonly post: PostToUi,
    private readonly create: typeof createRecognizer,
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
        const backends = this.options.probeBackends ? await this.options.probeBackends().catch(() => ['reference']) : ['reference'];
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
        throw new Error(`${pkg.source} is a ${pkg.json.kind} model: it ships with the app (models/default), and is not opened as the acoustic model or the LM`);
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

  private async build(acoustic: LoadedPackage, lm: LoadedPackage | null, config: EngineConfig, lmLoadError: string | null): Promise<Engine> {
    const recognizerConfig = { ...defaultRecognizerConfig(), ...config.recognizer };
    const auto = recognizerConfig.backend === 'auto';
    const chosen = auto ? this.autoBackend.get(acoustic) : undefined;
    if (chosen) recognizerConfig.backend = chosen;
    // the LM's rule for 'auto' (lmBackendFor), not the acoustic model's remembered choice
    const lmBackend = lmBackendFor(auto ? 'auto' : recognizerConfig.backend);
    let scorer: LmScorer | null = null;
    let lmNote: string | null = lmLoadError ? `The language model could not be loaded: ${lmLoadError}` : null;
    if (lm && recognizerConfig.useLm) {
      try {
        scorer = await createLmScorer(lm, { backend: lmBackend, alpha: config.lmAlpha ?? undefined, beta: config.lmBeta ?? undefined });
      } catch (error) {
        // recognition still works without the LM: say why it is not used
        lmNote = `The language model could not be used: ${describeError(error)}`;
      }
    } else if (lm) {
      lmNote = 'The language model is switched off in Settings.';
    }
    const readable = recognizerConfig.readable === false ? null : await buildReadable(this.readablePkgs, lmBackend);
    let recognizer: Recognizer;
    try {
      recognizer = await this.create(acoustic, lm, recognizerConfig, { scorer, readable: readable?.models ?? null });
    } catch (error) {
      scorer?.dispose();
      readable?.models.punctuator?.dispose();
      readable?.models.speller?.dispose();
      throw error;
    }
    if (auto && !chosen) this.autoBackend.set(acoustic, recognizer.info.backend);
    const info: EngineInfo = {
      backend: recognizer.info.backend,
      acoustic: describePackage(acoustic),
      lm: lm ? describePackage(lm) : null,
      lmActive: recognizer.info.lmName !== null,
      lmBackend: scorer ? lmBackend : null,
      lmWeights: scorer ? { alpha: scorer.alpha, beta: scorer.beta } : null,
      lmNote: recognizer.info.lmName !== null ? null : lmNote,
      readable: {
        punctuation: readable?.models.punctuator?.name ?? null,
        spelling: readable?.models.speller?.name ?? null,
        note: recognizerConfig.readable === false ? 'Raw words (Settings).' : (readable?.note ?? this.readablePkgs.note),
      },
      unknownHotwords: recognizer.info.unknownHotwords,
      unknownWords: recognizer.info.unknownWords,
      lexiconProblems: userLexiconProblems(acoustic, recognizerConfig.userLexicon, recognizer.info.unknownWords),
    };
    return { recognizer, scorer, readable: readable?.models ?? null, info };
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
        for (const block of held) this.feed(active, block.sampleRate, block.samples);
      });
    }
    // an engine still used by a stream is disposed when that stream is done with it
    if (previous && previous !== active?.engine) disposeEngine(previous);
    this.post({ type: 'loaded', requestId, slot, info: built.info });
  }

  /** Live swap: finish the old stream (partial → final), continue on a new one at the same timeline point. */
  private async swapStream(active: ActiveStream, next: Engine): Promise<void> {
    await active.swap; // an earlier swap first
    await active.decoding;
    if (active.ending || active.engine === next) return;
    try {
      const last = await active.stream.finish();
      this.report(active, { ...last, partial: null });
      active.offsetSeconds += active.stream.seconds;
      active.idBase += active.stream.finals().length;
    } catch (error) {
      this.post({ type: 'error', message: `Switching models mid-stream lost the last words: ${describeError(error)}` });
    }
    const old = active.engine;
    active.engine = next;
    active.stream = next.recognizer.createStream();
    if (old !== this.engine) disposeEngine(old);
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
    this.active = {
      source,
      requestId,
      engine,
      stream: engine.recognizer.createStream(),
      port: source === 'microphone' ? this.nextPort : null,
      offsetSeconds: timeline.offsetSeconds,
      idBase: timeline.firstSegmentId,
      pendingAudio: false,
      decoding: null,
      swap: null,
      swapSeq: 0,
      held: [],
      ending: false,
      cancelled: false,
    };
    return this.active;
  }

  private accept(sampleRate: number, samples: Float32Array): void {
    const active = this.active;
    if (!active || active.ending) return;
    this.stats.samplesReceived += samples.length;
    this.stats.secondsReceived += samples.length / sampleRate;
    if (active.swap) active.held.push({ sampleRate, samples });
    else this.feed(active, sampleRate, samples);
  }

  private feed(active: ActiveStream, sampleRate: number, samples: Float32Array): void {
    active.stream.acceptWaveform(sampleRate, samples);
    active.pendingAudio = true;
    this.pump(active);
  }

  private pump(active: ActiveStream): void {
    if (active.decoding) return;
    active.decoding = (async () => {
      try {
        while (active.pendingAudio && !active.ending && !active.swap) {
          active.pendingAudio = false;
          const t0 = performance.now();
          const update = await active.stream.decode();
          this.stats.lastDecodeMs = performance.now() - t0;
          this.stats.decodePasses++;
          this.report(active, update);
        }
      } catch (error) {
        this.post({ type: 'error', message: `Recognition failed: ${describeError(error)}` });
      } finally {
        active.decoding = null;
      }
    })();
  }

  /** End of input: waits for the running pass (and swap), then flushes so the partial becomes final. */
  private async end(): Promise<void> {
    const active = this.active;
    if (!active || active.ending) return;
    while (active.swap) await active.swap;
    if (active.ending) return;
    active.ending = true;
    await active.decoding;
    let finals: Segment[] = [];
    try {
      const update = await active.stream.finish();
      this.stats.featureFrames += update.features.length;
      finals = update.finals.map((s) => placeSegment(s, active.offsetSeconds, active.idBase));
    } catch (error) {
      this.post({ type: 'error', message: `Recognition failed at the end of the recording: ${describeError(error)}` });
    }
    this.active = null;
    if (active.engine !== this.engine) disposeEngine(active.engine);
    this.post({ type: 'stopped', source: active.source, requestId: active.requestId, cancelled: active.cancelled, finals, stats: { ...this.stats } });
  }

  /** Decodes the file, then streams it through the recognizer block by block, like a very fast microphone. */
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
      this.post({ type: 'file-failed', requestId: message.requestId, message: this.engine ? 'A transcription is already running.' : 'No model is loaded.' });
      return;
    }
    const { sampleRate, samples } = audio;
    const totalSeconds = samples.length / sampleRate;
    const block = Math.max(1, Math.round(sampleRate * FILE_BLOCK_SECONDS));
    for (let at = 0; at < samples.length && !active.cancelled; at += block) {
      const end = Math.min(samples.length, at + block);
      this.accept(sampleRate, samples.slice(at, end));
      // wait until this block is decoded (through any model swap) before sending the next
      while (active.swap || active.decoding) {
        await active.swap;
        await active.decoding;
      }
      this.post({ type: 'file-progress', requestId: message.requestId, processedSeconds: end / sampleRate, totalSeconds });
      await this.yieldToEvents();
    }
    await this.end();
  }

  private report(active: ActiveStream, update: TranscriptUpdate): void {
    this.stats.featureFrames += update.features.length;
    const features = flattenFeatures(update.features);
    const place = (s: Segment): Segment => placeSegment(s, active.offsetSeconds, active.idBase);
    this.post(
      { type: 'update', finals: update.finals.map(place), partial: update.partial ? place(update.partial) : null, level: update.level, features, stats: { ...this.stats } },
      features ? [features.data.buffer as ArrayBuffer] : [],
    );
  }
}

function requireKind(pkg: LoadedPackage, kind: 'acoustic' | 'language'): void {
  if (pkg.json.kind !== kind) {
    throw new Error(`${pkg.source} is ${pkg.json.kind === 'language' ? 'a language model' : 'an acoustic model'}, not ${kind === 'language' ? 'a language model' : 'an acoustic model'}`);
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
function userLexiconProblems(acoustic: LoadedPackage, userLexicon: string | undefined, unknownWords: readonly string[]): EngineInfo['lexiconProblems'] {
  const output = acoustic.json.output;
  if (userLexicon === undefined || output.type !== 'ctc' || output.units !== 'phonemes') return [];
  return checkUserLexicon(userLexicon, { alphabet: output.alphabet, isKnown: (word) => !unknownWords.includes(word) });
}

/** The readable-text packages; one that fails to load is left out (recognition works without it), the note says why. */
async function loadReadablePackages(payloads: ReadablePayloads): Promise<{ punct: LoadedPackage | null; spell: LoadedPackage | null; note: string | null }> {
  const notes: string[] = [];
  const load = async (payload: PackagePayload | null, kind: 'punctuation' | 'spelling'): Promise<LoadedPackage | null> => {
    if (!payload) return null;
    try {
      const pkg = await loadModelPackage(packageSource(payload));
      if (pkg.json.kind !== kind) throw new Error(`${pkg.source} is a ${pkg.json.kind} model, not a ${kind} model`);
      return pkg;
    } catch (error) {
      notes.push(`The ${kind} model could not be loaded: ${describeError(error)}`);
      return null;
    }
  };
  const [punct, spell] = [await load(payloads.punct, 'punctuation'), await load(payloads.spell, 'spelling')];
  return { punct, spell, note: notes.length ? notes.join(' ') : null };
}

/** A punctuator and a speller for one recognizer (each disposed with it). */
async function buildReadable(pkgs: { punct: LoadedPackage | null; spell: LoadedPackage | null }, backend: BackendName): Promise<{ models: ReadableModels; note: string | null } | null> {
  if (!pkgs.punct && !pkgs.spell) return null;
  const models: ReadableModels = {};
  const notes: string[] = [];
  try {
    if (pkgs.punct) models.punctuator = await createPunctuator(pkgs.punct, { backend });
  } catch (error) {
    notes.push(`Punctuation is off: ${describeError(error)}`);
  }
  try {
    if (pkgs.spell) models.speller = await createSpeller(pkgs.spell, { backend });
  } catch (error) {
    notes.push(`Spelled guesses are off: ${describeError(error)}`);
  }
  return { models, note: notes.length ? notes.join(' ') : null };
}
