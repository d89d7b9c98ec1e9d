/**
 * Live dictation: Start/Stop, the microphone and the elapsed clock, as one small state machine
 * (idle → starting → recording → stopping → idle). The transcript, autosave and the spectrogram
 * are the app's (they serve file import too); this controller only runs microphone streams.
 *
 * Failures (permission denied, device unplugged, engine errors) become banners and return the
 * machine to idle; none of them clears the transcript.
 */
import { deviceLostProblem, describeCaptureError, type CaptureProblem } from '../capture/capture-errors';
import { MicrophoneCapture } from '../capture/microphone';
import type { EngineStats, Timeline } from '../worker/protocol';
import type { EngineClient, StoppedEvent } from './engine-client';
import { formatClock } from './format-time';
import type { Banners } from './view/banners';
import type { LevelMeter } from './view/level-meter';

export type RecordingState = 'idle' | 'starting' | 'recording' | 'stopping';

export interface LiveSessionDeps {
  engine: EngineClient;
  banners: Banners;
  meter: LevelMeter;
  elapsed: HTMLElement;
  permissionHowTo: string;
  /** The device to open (null = system default). */
  deviceId(): string | null;
  /** Why recording cannot start now (no model, a file import running), or null. */
  blocker(): string | null;
  /** Where the run's segments go on the session timeline; called as the run starts. */
  beginRun(): Timeline;
  /** State changes, for the record button, the picker, data attributes. */
  onState(state: RecordingState): void;
  /** The microphone actually opened (the default device resolves to a real one). */
  onOpened(label: string | null): void;
  onProblem(kind: CaptureProblem['kind']): void;
}

/** How long Stop waits for the worker's final flush before ending the stream itself. */
const STOP_TIMEOUT_MS = 4000;

export class LiveSession {
  private state: RecordingState = 'idle';
  private readonly microphone: MicrophoneCapture;
  private runStartedAt = 0;
  private clockTimer: ReturnType<typeof setInterval> | null = null;
  private stopWaiter: ((stats: EngineStats | null) => void) | null = null;
  /** The device the current run opened (its real id, and label). */
  private opened: { deviceId: string | null; label: string | null } | null = null;

  constructor(private readonly deps: LiveSessionDeps) {
    this.microphone = new MicrophoneCapture({
      onLevel: (rmsDb) => deps.meter.set(rmsDb),
      onDeviceLost: (label) => this.onDeviceLost(label),
    });
  }

  get current(): RecordingState {
    return this.state;
  }

  toggle(): void {
    if (this.state === 'idle') void this.start();
    else if (this.state === 'recording') void this.stop();
  }

  async start(): Promise<void> {
    if (this.state !== 'idle') return;
    const blocker = this.deps.blocker();
    if (blocker) {
      this.deps.banners.show({
        id: 'record',
        tone: 'warning',
        title: 'Cannot record now',
        detail: blocker,
        timeoutMs: 8000,
      });
      return;
    }
    this.setState('starting');
    this.deps.banners.dismiss('capture');
    this.deps.banners.dismiss('record');
    const channel = new MessageChannel();
    this.deps.engine.start(channel.port2, this.deps.beginRun());
    try {
      const opened = await this.microphone.start(this.deps.deviceId(), channel.port1);
      this.opened = { deviceId: opened.deviceId, label: opened.label };
      this.deps.onOpened(opened.label);
    } catch (error) {
      this.deps.engine.stop(); // end the empty stream the worker opened
      this.showProblem(describeCaptureError(error, { permissionHowTo: this.deps.permissionHowTo }));
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
      this.deps.engine.stop(); // the worklet's end marker did not arrive: end the stream from here
      setTimeout(() => this.stopWaiter?.(null), STOP_TIMEOUT_MS);
    }, STOP_TIMEOUT_MS);
    await stopped;
    clearTimeout(timeout);
    this.finishRun();
  }

  /** The worker finished the microphone stream (the app has already taken its finals). */
  onStopped(event: StoppedEvent): void {
    const waiter = this.stopWaiter;
    this.stopWaiter = null;
    if (waiter) waiter(event.stats);
    else if (this.state === 'recording') {
      // the stream ended without Stop (the worklet died): tidy up the microphone too
      void this.microphone.stop().then(() => this.finishRun());
    }
  }

  /**
   * The list of inputs changed (devicechange). Most systems also end the track ('ended', handled
   * by MicrophoneCapture), but not all: if the device in use is no longer listed, stop here too.
   */
  onDevicesChanged(deviceIds: readonly string[]): void {
    const id = this.opened?.deviceId;
    if (this.state !== 'recording' || !id || id === 'default' || id === 'communications' || deviceIds.length === 0)
      return;
    if (!deviceIds.includes(id)) this.onDeviceLost(this.opened?.label ?? null);
  }

  /** An engine error while recording: stop, keeping the text. */
  abort(): void {
    if (this.state === 'recording') void this.stop();
  }

  private finishRun(): void {
    this.opened = null;
    if (this.clockTimer) clearInterval(this.clockTimer);
    this.clockTimer = null;
    this.deps.meter.reset();
    this.setState('idle');
  }

  private onDeviceLost(label: string | null): void {
    if (this.state !== 'recording') return; // already reported and stopping
    this.showProblem(deviceLostProblem(label));
    void this.stop();
  }

  private showProblem(problem: CaptureProblem): void {
    this.deps.banners.show({
      id: 'capture',
      tone: 'error',
      title: problem.title,
      detail: problem.detail,
      actions: [{ label: 'Try again', run: () => void this.start() }],
    });
    this.deps.onProblem(problem.kind);
  }

  private setState(state: RecordingState): void {
    this.state = state;
    if (state === 'idle') this.deps.elapsed.textContent = formatClock(0);
    this.deps.onState(state);
  }

  private renderClock(): void {
    const seconds =
      this.state === 'recording' || this.state === 'stopping' ? (performance.now() - this.runStartedAt) / 1000 : 0;
    this.deps.elapsed.textContent = formatClock(seconds);
  }
}
