/**
 * The live view's controller: Start/Stop, the microphone, the engine worker, the transcript and
 * autosave, as one small state machine (idle → starting → recording → stopping → idle).
 *
 * Failures (permission denied, device unplugged, model errors, engine errors) become banners and
 * return the machine to idle; none of them clears the transcript.
 */
import { deviceLostProblem, describeCaptureError, type CaptureProblem } from '../capture/capture-errors';
import { MicrophoneCapture } from '../capture/microphone';
import type { Host, SessionRecord } from '../host/host';
import type { EngineInfo, EngineStats, Segment, WorkerToUi } from '../worker/protocol';
import { EngineClient } from './engine-client';
import { formatClock } from './format-time';
import type { Banners } from './view/banners';
import type { LevelMeter } from './view/level-meter';
import type { PlacedSegment, TranscriptView } from './view/transcript-view';

export type RecordingState = 'idle' | 'starting' | 'recording' | 'stopping';
export type EngineState = 'loading' | 'ready' | 'failed' | 'missing';

export interface LiveSessionView {
  root: HTMLElement;
  recordButton: HTMLButtonElement;
  elapsed: HTMLElement;
  engineStatus: HTMLElement;
  transcript: TranscriptView;
  meter: LevelMeter;
  banners: Banners;
  /** Called when recording starts/stops, so e.g. the device picker can lock. */
  onRecordingChanged(recording: boolean): void;
}

/** How long Stop waits for the worker's final flush before ending the stream itself. */
const STOP_TIMEOUT_MS = 4000;

export class LiveSession {
  private state: RecordingState = 'idle';
  private engineState: EngineState = 'loading';
  private engineInfo: EngineInfo | null = null;
  private readonly engine: EngineClient;
  private readonly microphone: MicrophoneCapture;
  private runIndex = 0;
  /** Timeline offset of the current run: total audio seconds of earlier runs. */
  private runOffsetSeconds = 0;
  private runStartedAt = 0;
  private clockTimer: ReturnType<typeof setInterval> | null = null;
  private updates = 0;
  private stopWaiter: ((stats: EngineStats | null) => void) | null = null;
  private readonly record: SessionRecord;
  private autosaveChain: Promise<void> = Promise.resolve();

  constructor(
    private readonly host: Host,
    private readonly view: LiveSessionView,
    private readonly deviceId: () => string | null,
  ) {
    this.engine = new EngineClient({
      onUpdate: (event) => this.onUpdate(event),
      onStopped: (event) => this.onStopped(event),
      onError: (message) => this.onEngineError(message),
    });
    this.microphone = new MicrophoneCapture({
      onLevel: (rmsDb) => this.view.meter.set(rmsDb),
      onDeviceLost: (label) => this.onDeviceLost(label),
    });
    const now = new Date().toISOString();
    this.record = { id: `s${Date.now().toString(36)}`, startedAt: now, updatedAt: now, finished: false, title: `Session ${now.slice(0, 16).replace('T', ' ')}`, segments: [] };
    view.recordButton.addEventListener('click', () => this.toggle());
    this.render();
  }

  /** Loads the bundled default model (and LM). Missing or broken packages become a banner. */
  async loadDefaultModel(): Promise<void> {
    this.setEngine('loading');
    try {
      const [models, settings] = await Promise.all([this.host.loadBundledModels(), this.host.settings.load()]);
      if (!models.acoustic) {
        this.setEngine('missing');
        this.view.banners.show({
          id: 'model',
          tone: 'warning',
          title: 'No speech model is installed',
          detail: 'This build has no bundled acoustic model. Open a model package (File → Open Model Folder…) to start transcribing.',
        });
        return;
      }
      const info = await this.engine.load(models.acoustic, models.lm, {
        useLm: settings.useLm && models.lm !== null,
        hotwords: settings.hotwords,
        endpoint: { trailingSilenceMs: settings.endpointSilenceMs },
      });
      this.engineInfo = info;
      this.setEngine('ready');
      this.view.banners.dismiss('model');
    } catch (error) {
      this.setEngine('failed');
      this.view.banners.show({
        id: 'model',
        tone: 'error',
        title: 'The speech model could not be loaded',
        detail: error instanceof Error ? error.message : String(error),
        action: { label: 'Retry', run: () => void this.loadDefaultModel() },
      });
    }
  }

  toggle(): void {
    if (this.state === 'idle') void this.start();
    else if (this.state === 'recording') void this.stop();
  }

  clearTranscript(): void {
    this.view.transcript.clear();
    this.runOffsetSeconds = 0;
    this.record.segments = [];
    this.setData('finals', '0');
  }

  async start(): Promise<void> {
    if (this.state !== 'idle') return;
    if (this.engineState !== 'ready') {
      this.view.banners.show({ id: 'model', tone: 'warning', title: 'No model loaded', detail: 'Load a speech model before recording.' });
      return;
    }
    this.setState('starting');
    this.view.banners.dismiss('capture');
    const channel = new MessageChannel();
    this.runIndex++;
    this.engine.start(channel.port2);
    try {
      await this.microphone.start(this.deviceId(), channel.port1);
    } catch (error) {
      this.engine.stop(); // end the empty stream the worker opened
      this.showCaptureProblem(describeCaptureError(error, { permissionHowTo: this.host.microphonePermissionHowTo }));
      this.setState('idle');
      return;
    }
    this.runStartedAt = performance.now();
    this.clockTimer = setInterval(() => this.renderClock(), 250);
    this.setState('recording');
  }

  async stop(): Promise<void> {
    if (this.state !== 'recording') return;
    this.setState('stopping');
    const stopped = new Promise<EngineStats | null>((resolve) => (this.stopWaiter = resolve));
    await this.microphone.stop(); // flush: the worklet sends its last samples and the end marker
    const timeout = setTimeout(() => {
      this.engine.stop(); // the worklet's end marker did not arrive: end the stream from here
      setTimeout(() => this.stopWaiter?.(null), STOP_TIMEOUT_MS);
    }, STOP_TIMEOUT_MS);
    await stopped;
    clearTimeout(timeout);
    this.finishRun();
  }

  private finishRun(): void {
    if (this.clockTimer) clearInterval(this.clockTimer);
    this.clockTimer = null;
    this.view.meter.reset();
    this.view.transcript.setPartial(null);
    this.setState('idle');
  }

  private onUpdate(event: Extract<WorkerToUi, { type: 'update' }>): void {
    this.updates++;
    this.appendFinals(event.finals);
    this.view.transcript.setPartial(event.partial ? this.place(event.partial) : null);
    this.setStats(event.stats);
  }

  private onStopped(event: Extract<WorkerToUi, { type: 'stopped' }>): void {
    this.updates++;
    this.appendFinals(event.finals);
    this.view.transcript.setPartial(null);
    this.setStats(event.stats);
    this.runOffsetSeconds += event.stats.secondsReceived;
    this.record.finished = true;
    // a run that produced nothing (e.g. the microphone was refused) leaves no session behind
    if (this.record.segments.length > 0) this.autosave();
    const waiter = this.stopWaiter;
    this.stopWaiter = null;
    waiter?.(event.stats);
  }

  private appendFinals(finals: Segment[]): void {
    if (finals.length === 0) return;
    const placed = finals.map((segment) => this.place(segment));
    this.view.transcript.appendFinals(placed);
    this.record.segments.push(...placed.map((p) => ({ ...p.segment, start: p.offsetSeconds + p.segment.start, end: p.offsetSeconds + p.segment.end })));
    this.record.finished = false;
    this.setData('finals', String(this.view.transcript.count));
    this.autosave();
  }

  private place(segment: Segment): PlacedSegment {
    return { key: `${this.runIndex}:${segment.id}`, offsetSeconds: this.runOffsetSeconds, segment };
  }

  /** Every final segment is written at once; writes are chained so they land in order. */
  private autosave(): void {
    this.record.updatedAt = new Date().toISOString();
    const snapshot = structuredClone(this.record);
    this.autosaveChain = this.autosaveChain
      .then(() => this.host.sessions.write(snapshot))
      .then(
        () => this.view.banners.dismiss('autosave'),
        (error: unknown) =>
          this.view.banners.show({ id: 'autosave', tone: 'warning', title: 'Autosave failed', detail: `${error instanceof Error ? error.message : String(error)}. The transcript is still here; export it to keep a copy.` }),
      );
  }

  private onDeviceLost(label: string | null): void {
    this.showCaptureProblem(deviceLostProblem(label));
    void this.stop();
  }

  private onEngineError(message: string): void {
    this.view.banners.show({ id: 'engine', tone: 'error', title: 'Recognition error', detail: `${message} The transcript so far is kept.` });
    if (this.state === 'recording') void this.stop();
  }

  private showCaptureProblem(problem: CaptureProblem): void {
    this.view.banners.show({ id: 'capture', tone: 'error', title: problem.title, detail: problem.detail, action: { label: 'Try again', run: () => void this.start() } });
    this.setData('captureError', problem.kind);
  }

  private setState(state: RecordingState): void {
    this.state = state;
    this.view.onRecordingChanged(state !== 'idle');
    this.render();
  }

  private setEngine(state: EngineState): void {
    this.engineState = state;
    this.render();
  }

  private setStats(stats: EngineStats): void {
    this.setData('samples', String(stats.samplesReceived));
    this.setData('decodePasses', String(stats.decodePasses));
    this.setData('featureFrames', String(stats.featureFrames));
    this.setData('updates', String(this.updates));
  }

  private setData(key: string, value: string): void {
    this.view.root.dataset[key] = value;
  }

  private renderClock(): void {
    const seconds = this.state === 'recording' || this.state === 'stopping' ? (performance.now() - this.runStartedAt) / 1000 : 0;
    this.view.elapsed.textContent = formatClock(seconds);
  }

  private render(): void {
    const { recordButton, engineStatus, root } = this.view;
    root.dataset.state = this.state;
    root.dataset.engine = this.engineState;
    const label = recordButton.querySelector('.record-label');
    const text =
      this.engineState === 'loading' ? 'Loading model…'
      : this.state === 'starting' ? 'Starting…'
      : this.state === 'recording' ? 'Stop'
      : this.state === 'stopping' ? 'Finishing…'
      : 'Start';
    if (label) label.textContent = text;
    recordButton.disabled = this.engineState !== 'ready' || this.state === 'starting' || this.state === 'stopping';
    recordButton.setAttribute('aria-pressed', String(this.state === 'recording'));
    recordButton.classList.toggle('recording', this.state === 'recording');
    recordButton.title = `${this.state === 'recording' ? 'Stop' : 'Start'} recording (Space or Ctrl/⌘+R)`;
    if (this.state === 'idle') this.view.elapsed.textContent = formatClock(0);
    engineStatus.textContent =
      this.engineState === 'ready' && this.engineInfo
        ? `Model: ${this.engineInfo.acousticName}${this.engineInfo.lmName ? ` + ${this.engineInfo.lmName}` : ''} · ${this.engineInfo.backend}`
        : this.engineState === 'loading' ? 'Loading model…'
        : this.engineState === 'missing' ? 'No model installed'
        : 'Model failed to load';
    if (this.engineInfo) root.dataset.backend = this.engineInfo.backend;
  }
}
