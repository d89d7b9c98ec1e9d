/**
 * The app: one transcript document fed by two sources (the microphone, imported files), autosaved
 * after every final segment, and the views around it (the spectrogram and the status line under it
 * while audio is heard, the transcript with its partial and edit/search/word details, dialogs for
 * models, settings and history, export and copy).
 *
 * Data flows one way: engine worker events → TranscriptDocument → views + autosave. User actions
 * go to the controllers, never to the views directly. This file builds them and connects them:
 *
 *   app-controls.ts        buttons, export menu, shortcuts, the application menu → AppCommands
 *   live-session.ts        recording: Start/Stop, the microphone, the elapsed clock
 *   file-import.ts         an audio file streamed through the engine, progress, Cancel
 *   import-triggers.ts     "Import…" and drops (audio → file import, .zip → model package)
 *   session-controller.ts  the session a run's text goes to, autosave, New, History, recovery
 *   model-manager.ts       which models run, loading and switching them
 *   settings-controller.ts stored settings, the settings dialog, theme, engine reconfiguration
 *   device-control.ts      the input picker and the device to open
 *   word-actions.ts        a word's popover, alternatives, spelled guesses → pronunciations
 *   export/                Export and Copy
 *   app-view.ts            record button, status lines, models dialog, data attributes
 */
import type { Host, Settings } from '../host/host';
import { AppView } from './app-view';
import { wireControls } from './app-controls';
import { DeviceControl } from './device-control';
import { byId } from './dom';
import { EngineClient, type StoppedEvent, type UpdateEvent } from './engine-client';
import { TranscriptOutput } from './export/transcript-output';
import { FileImport } from './file-import';
import { ImportTriggers } from './import-triggers';
import { LiveSession, type RecordingState } from './live-session';
import { ModelManager } from './model-manager';
import { SessionController } from './session-controller';
import { SettingsController } from './settings-controller';
import { TranscriptDocument } from './session/transcript-document';
import { Banners } from './view/banners';
import { LevelMeter } from './view/level-meter';
import { SearchBar } from './view/search-bar';
import { Spectrogram } from './view/spectrogram';
import { TranscriptView } from './view/transcript-view';
import { WordPopover } from './view/word-popover';
import { WordActions } from './word-actions';

export class App {
  private readonly root = byId<HTMLElement>('app');
  private readonly banners = new Banners(byId('banners'), byId('toasts'));
  private readonly doc = new TranscriptDocument();
  private readonly spectrogram = new Spectrogram(byId<HTMLCanvasElement>('spectrogram'));
  private readonly popover = new WordPopover(byId('word-popover'), byId<HTMLElement>('transcript-pane'));
  private readonly settings: SettingsController;
  private readonly sessions: SessionController;
  private readonly engine: EngineClient;
  private readonly models: ModelManager;
  private readonly devices: DeviceControl;
  private readonly live: LiveSession;
  private readonly files: FileImport;
  private readonly imports: ImportTriggers;
  private readonly words: WordActions;
  private readonly output: TranscriptOutput;
  private readonly transcript: TranscriptView;
  private readonly search: SearchBar;
  private readonly view: AppView;

  constructor(host: Host, initialSettings: Settings) {
    this.root.dataset.host = host.kind;
    const { banners, doc } = this;
    const busy = (): boolean => this.busy;

    this.engine = new EngineClient({
      onUpdate: (event) => this.onUpdate(event),
      onStopped: (event) => this.onStopped(event),
      onFileProgress: (event) => this.files.onProgress(event),
      onFileFailed: (event) => this.files.onFailed(event),
      onError: (message) => {
        banners.show({
          id: 'engine',
          tone: 'error',
          title: 'Recognition error',
          detail: `${message} The transcript so far is kept.`,
        });
        this.live.abort();
      },
    });
    this.settings = new SettingsController(
      { host, engine: this.engine, models: () => this.models, recording: () => this.live.current === 'recording' },
      initialSettings,
    );
    this.sessions = new SessionController({
      host,
      doc,
      banners,
      spectrogram: this.spectrogram,
      popover: this.popover,
      busy,
    });
    this.view = new AppView({
      root: this.root,
      models: () => this.models,
      live: () => this.live,
      files: () => this.files,
    });

    this.models = new ModelManager({
      host,
      engine: this.engine,
      banners,
      settings: () => this.settings.current,
      saveSettings: (patch) => this.settings.save(patch),
      onChange: () => this.view.render(),
    });

    this.devices = new DeviceControl({
      banners,
      live: () => this.live,
      settings: () => this.settings.current,
      saveSettings: (patch) => this.settings.save(patch),
    });

    this.live = new LiveSession({
      engine: this.engine,
      banners,
      meter: new LevelMeter(byId('level')),
      elapsed: byId('elapsed'),
      permissionHowTo: host.microphonePermissionHowTo,
      deviceId: () => this.devices.deviceToOpen(),
      blocker: () =>
        !this.models.ready
          ? 'Load a speech model first (Models).'
          : this.files.active
            ? 'A file is being transcribed; wait for it or cancel it.'
            : null,
      beginRun: () => this.sessions.beginRun(null),
      onState: (state) => this.onRecordingState(state),
      onOpened: () => void this.devices.refresh(),
      onProblem: (kind) => (this.root.dataset.captureError = kind),
    });

    this.files = new FileImport({
      engine: this.engine,
      banners,
      el: {
        panel: byId('file-progress'),
        name: byId('file-progress-name'),
        bar: byId<HTMLProgressElement>('file-progress-bar'),
        text: byId('file-progress-text'),
        cancel: byId<HTMLButtonElement>('file-cancel'),
      },
      blocker: () =>
        !this.models.ready
          ? 'Load a speech model first (Models).'
          : this.live.current !== 'idle'
            ? 'Stop recording first.'
            : null,
      beginRun: (name) => this.sessions.beginRun(name),
      onActive: (active) => {
        this.root.dataset.import = active ? 'running' : 'idle';
        if (!active) {
          doc.setPartial(null);
          this.view.setFileProgress(null);
        }
        this.view.render();
      },
      onProgress: (file) => this.view.setFileProgress(file),
      heardWords: () => this.sessions.runHeardWords(),
    });
    this.imports = new ImportTriggers({ host, files: this.files, models: this.models, banners, busy });

    this.words = new WordActions({
      doc,
      popover: this.popover,
      view: () => this.transcript,
      banners,
      settings: () => this.settings.current,
      changeSettings: (patch) => this.settings.change(patch),
      autosave: () => this.sessions.autosave(),
    });
    this.transcript = new TranscriptView(
      doc,
      {
        scroller: byId('transcript'),
        finals: byId<HTMLOListElement>('finals'),
        partial: byId('partial'),
        emptyHint: byId('empty-hint'),
        jumpButton: byId<HTMLButtonElement>('jump-latest'),
      },
      {
        showWord: (id, index, anchor) => this.words.showWord(id, index, anchor),
        editText: (id, text) => {
          if (doc.editText(id, text)) this.sessions.autosave();
        },
      },
    );
    this.search = new SearchBar(
      {
        input: byId<HTMLInputElement>('search'),
        count: byId('search-count'),
        previous: byId<HTMLButtonElement>('search-prev'),
        next: byId<HTMLButtonElement>('search-next'),
      },
      doc,
      this.transcript,
    );
    this.output = new TranscriptOutput({ host, doc, banners, title: () => this.sessions.title });

    doc.onChange((change) => {
      if (change.kind !== 'partial') this.root.dataset.finals = String(doc.segments.length);
    });
    wireControls(host, {
      toggleRecording: () => this.live.toggle(),
      newSession: () => this.sessions.newSession(),
      importAudio: () => void this.imports.pickAudioFile(),
      openModelFolder: () => void this.models.openFromPicker('folder'),
      openModelZip: () => void this.models.openFromPicker('zip'),
      exportAs: (format) => void this.output.exportAs(format),
      copyTranscript: () => void this.output.copy(),
      find: () => this.search.focus(),
      showModels: () => this.view.openModels(),
      showHistory: () => void this.sessions.showHistory(),
      showSettings: () => void this.settings.open(),
      cycleTheme: () => this.settings.cycleTheme(),
    });
    this.imports.wireDragAndDrop();
    this.sessions.renderTitle();
    this.view.render();
  }

  async start(): Promise<void> {
    await this.devices.start();
    await Promise.all([this.models.loadInitial(), this.sessions.offerRecovery()]);
  }

  private get busy(): boolean {
    return this.live.current !== 'idle' || this.files.active;
  }

  // ---- engine events --------------------------------------------------------------------------

  private onUpdate(event: UpdateEvent): void {
    if (this.doc.appendFinals(event.finals).length > 0) this.sessions.autosave();
    this.doc.setPartial(event.partial);
    if (event.features) this.spectrogram.push(event.features);
    this.view.countUpdate(event.stats);
  }

  private onStopped(event: StoppedEvent): void {
    this.doc.appendFinals(event.finals);
    this.doc.setPartial(null);
    this.doc.addAudioSeconds(event.stats.secondsReceived);
    this.sessions.saveFinished();
    this.view.countUpdate(event.stats);
    if (event.source === 'microphone') this.live.onStopped(event);
    else this.files.onStopped(event);
  }

  private onRecordingState(state: RecordingState): void {
    this.devices.disabled = state !== 'idle';
    if (state === 'recording') this.spectrogram.clear();
    this.view.render();
  }
}
