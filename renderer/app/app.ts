/**
 * The app: one transcript document fed by two sources (the microphone, imported files), autosaved
 * after every final segment, and the views around it (spectrogram and live caption, transcript
 * with edit/search/word details, dialogs for models, settings and history, export and copy).
 *
 * Data flows one way: engine worker events → TranscriptDocument → views + autosave. User actions
 * go to the controllers (LiveSession, FileImport, ModelManager), never to the views directly.
 */
import { listInputDevices, onInputDevicesChanged, type InputDevice } from '../capture/input-devices';
import type { Host, MenuCommand, Settings } from '../host/host';
import { toTxt } from '../engine/export/txt';
import type { Timeline } from '../worker/protocol';
import { EngineClient, type StoppedEvent, type UpdateEvent } from './engine-client';
import { engineSettingsDiffer } from './engine-config';
import { EXPORT_FORMATS, runExport, type ExportFormat } from './export/export-transcript';
import { bytesSource, FileImport, fileSource } from './file-import';
import { installShortcuts } from './keyboard-shortcuts';
import { LiveSession, type RecordingState } from './live-session';
import { ModelManager, toPayload } from './model-manager';
import { newSessionRecord, parseStoredSegments, pickRecoverable, SessionKeeper, type StoredSession } from './session/session-keeper';
import { TranscriptDocument } from './session/transcript-document';
import { applyTheme, nextTheme } from './theme';
import { Banners } from './view/banners';
import { DevicePicker } from './view/device-picker';
import { EmptyHint } from './view/empty-hint-view';
import { hearingStatus } from './view/hearing-status';
import { HistoryDialog } from './view/history-dialog';
import { LevelMeter } from './view/level-meter';
import { ModelsDialog } from './view/models-dialog';
import { SearchBar } from './view/search-bar';
import { SettingsDialog } from './view/settings-dialog';
import { Spectrogram } from './view/spectrogram';
import { TranscriptView } from './view/transcript-view';
import { WordPopover } from './view/word-popover';
import { appliedStatus } from './settings-status';

function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`index.html lacks #${id}`);
  return element as T;
}

export class App {
  private settings: Settings;
  private readonly root = byId<HTMLElement>('app');
  private readonly banners = new Banners(byId('banners'), byId('toasts'));
  private readonly doc = new TranscriptDocument();
  private readonly keeper: SessionKeeper;
  private readonly engine: EngineClient;
  private readonly models: ModelManager;
  private readonly live: LiveSession;
  private readonly files: FileImport;
  private readonly picker = new DevicePicker(byId<HTMLSelectElement>('device'));
  private readonly spectrogram = new Spectrogram(byId<HTMLCanvasElement>('spectrogram'));
  private readonly view: TranscriptView;
  private readonly popover: WordPopover;
  private readonly search: SearchBar;
  private readonly modelsDialog: ModelsDialog;
  private readonly settingsDialog: SettingsDialog;
  private readonly historyDialog: HistoryDialog;
  private readonly recordButton = byId<HTMLButtonElement>('record');
  private readonly caption = byId<HTMLElement>('live-caption');
  private readonly emptyHint = new EmptyHint(byId('empty-hint'));
  /** The file being imported and how far, for the status line; null when none. */
  private fileProgress: { name: string; fraction: number | null } | null = null;
  /** First segment id of the current run: segments from it on are the run's words. */
  private runFirstSegmentId = 0;
  private backends: string[] = [];
  private devices: InputDevice[] = [];
  private updates = 0;
  private settingsChain: Promise<unknown> = Promise.resolve();

  constructor(private readonly host: Host, initialSettings: Settings) {
    this.settings = initialSettings;
    this.root.dataset.host = host.kind;
    applyTheme(this.settings.theme, byId('theme'));

    this.keeper = new SessionKeeper(host.sessions, newSessionRecord(new Date()), (error) => {
      if (error) this.banners.show({ id: 'autosave', tone: 'warning', title: 'Autosave failed', detail: `${error.message}. The transcript is still here; export it to keep a copy.` });
      else this.banners.dismiss('autosave');
    });

    this.engine = new EngineClient({
      onUpdate: (event) => this.onUpdate(event),
      onStopped: (event) => this.onStopped(event),
      onFileProgress: (event) => this.files.onProgress(event),
      onFileFailed: (event) => this.files.onFailed(event),
      onError: (message) => {
        this.banners.show({ id: 'engine', tone: 'error', title: 'Recognition error', detail: `${message} The transcript so far is kept.` });
        this.live.abort();
      },
    });

    this.models = new ModelManager({
      host,
      engine: this.engine,
      banners: this.banners,
      settings: () => this.settings,
      saveSettings: (patch) => this.saveSettings(patch),
      onChange: () => this.render(),
    });

    this.live = new LiveSession({
      engine: this.engine,
      banners: this.banners,
      meter: new LevelMeter(byId('level')),
      elapsed: byId('elapsed'),
      permissionHowTo: host.microphonePermissionHowTo,
      deviceId: () => this.deviceToOpen(),
      blocker: () => (!this.models.ready ? 'Load a speech model first (Models).' : this.files.active ? 'A file is being transcribed; wait for it or cancel it.' : null),
      beginRun: () => this.beginRun(null),
      onState: (state) => this.onRecordingState(state),
      onOpened: () => void this.refreshDevices(),
      onProblem: (kind) => (this.root.dataset.captureError = kind),
    });

    this.files = new FileImport({
      engine: this.engine,
      banners: this.banners,
      el: { panel: byId('file-progress'), name: byId('file-progress-name'), bar: byId<HTMLProgressElement>('file-progress-bar'), text: byId('file-progress-text'), cancel: byId<HTMLButtonElement>('file-cancel') },
      blocker: () => (!this.models.ready ? 'Load a speech model first (Models).' : this.live.current !== 'idle' ? 'Stop recording first.' : null),
      beginRun: (name) => this.beginRun(name),
      onActive: (active) => {
        this.root.dataset.import = active ? 'running' : 'idle';
        if (!active) {
          this.doc.setPartial(null);
          this.fileProgress = null;
        }
        this.render();
      },
      onProgress: (file) => {
        this.fileProgress = file;
        this.renderCaption();
      },
      heardWords: () => this.doc.segments.some((s) => s.id >= this.runFirstSegmentId),
    });

    const pane = byId<HTMLElement>('transcript-pane');
    this.popover = new WordPopover(byId('word-popover'), pane);
    this.view = new TranscriptView(
      this.doc,
      { scroller: byId('transcript'), finals: byId<HTMLOListElement>('finals'), partial: byId('partial'), emptyHint: byId('empty-hint'), jumpButton: byId<HTMLButtonElement>('jump-latest') },
      {
        showWord: (id, index, anchor) => this.showWord(id, index, anchor),
        editText: (id, text) => {
          if (this.doc.editText(id, text)) this.autosave();
        },
      },
    );
    this.search = new SearchBar({ input: byId<HTMLInputElement>('search'), count: byId('search-count'), previous: byId<HTMLButtonElement>('search-prev'), next: byId<HTMLButtonElement>('search-next') }, this.doc, this.view);

    this.modelsDialog = new ModelsDialog(
      { dialog: byId<HTMLDialogElement>('models-dialog'), cards: byId('model-cards'), status: byId('models-status'), loadFolder: byId<HTMLButtonElement>('load-model-folder'), loadZip: byId<HTMLButtonElement>('load-model-zip'), useBundled: byId<HTMLButtonElement>('use-bundled') },
      { loadFolder: () => void this.models.openFromPicker('folder'), loadZip: () => void this.models.openFromPicker('zip'), useBundled: () => void this.models.useBundled() },
    );
    this.settingsDialog = new SettingsDialog(
      {
        dialog: byId<HTMLDialogElement>('settings-dialog'),
        form: byId<HTMLFormElement>('settings-form'),
        useLm: byId<HTMLInputElement>('set-use-lm'),
        readable: byId<HTMLInputElement>('set-readable'),
        readableNote: byId('set-readable-note'),
        lmAlpha: byId<HTMLInputElement>('set-lm-alpha'),
        lmBeta: byId<HTMLInputElement>('set-lm-beta'),
        lmNote: byId('set-lm-note'),
        hotwords: byId<HTMLTextAreaElement>('set-hotwords'),
        hotwordsNote: byId('set-hotwords-note'),
        lexicon: byId<HTMLTextAreaElement>('set-lexicon'),
        endpoint: byId<HTMLInputElement>('set-endpoint'),
        endpointValue: byId<HTMLOutputElement>('set-endpoint-value'),
        theme: byId<HTMLSelectElement>('set-theme'),
        backend: byId<HTMLSelectElement>('set-backend'),
        status: byId('settings-status'),
      },
      (patch) => void this.changeSettings(patch),
    );
    this.historyDialog = new HistoryDialog(byId<HTMLDialogElement>('history-dialog'), byId('history-list'), {
      open: (id) => void this.openSession(id),
      remove: (id) => this.deleteSession(id),
      rename: (id, title) => this.renameSession(id, title),
    });

    this.doc.onChange((change) => {
      if (change.kind !== 'partial') this.root.dataset.finals = String(this.doc.segments.length);
    });
    this.wireControls();
    this.renderTitle();
    this.render();
  }

  async start(): Promise<void> {
    this.picker.onChange((deviceId) => void this.saveSettings({ deviceId }));
    onInputDevicesChanged(() => void this.refreshDevices());
    await this.refreshDevices();
    await Promise.all([this.models.loadInitial(), this.offerRecovery()]);
  }

  // ---- engine events --------------------------------------------------------------------------

  private onUpdate(event: UpdateEvent): void {
    this.updates++;
    if (this.doc.appendFinals(event.finals).length > 0) this.autosave();
    this.doc.setPartial(event.partial);
    if (event.features) this.spectrogram.push(event.features);
    this.setStats(event.stats);
  }

  private onStopped(event: StoppedEvent): void {
    this.updates++;
    this.doc.appendFinals(event.finals);
    this.doc.setPartial(null);
    this.doc.addAudioSeconds(event.stats.secondsReceived);
    void this.keeper.save(this.doc.segments, this.doc.audioSeconds, { finished: true });
    this.setStats(event.stats);
    if (event.source === 'microphone') this.live.onStopped(event);
    else this.files.onStopped(event);
  }

  private setStats(stats: UpdateEvent['stats']): void {
    const data = this.root.dataset;
    data.samples = String(stats.samplesReceived);
    data.decodePasses = String(stats.decodePasses);
    data.featureFrames = String(stats.featureFrames);
    data.updates = String(this.updates);
  }

  // ---- sessions -------------------------------------------------------------------------------

  /** A run (microphone or file) begins: mark the session in progress, say where the run's text goes. */
  private beginRun(fileName: string | null): Timeline {
    if (fileName !== null) {
      // an imported file gets its own session, named after it (the current one stays in History)
      if (!this.doc.isEmpty) this.openNewSession(fileName);
      else {
        // an empty session (a silent import, a recording without speech) is reused, but not its
        // clock: the file's words are timed from 00:00, as in a session of its own
        this.doc.load([]);
        this.keeper.rename(fileName);
      }
      this.renderTitle();
    }
    this.spectrogram.clear();
    this.popover.close(false);
    void this.keeper.save(this.doc.segments, this.doc.audioSeconds, { finished: false });
    const timeline = this.doc.nextTimeline();
    this.runFirstSegmentId = timeline.firstSegmentId;
    return timeline;
  }

  private autosave(): void {
    void this.keeper.save(this.doc.segments, this.doc.audioSeconds);
  }

  /** "New": only between runs. */
  private newSession(): void {
    if (!this.busy) this.openNewSession();
  }

  private openNewSession(title?: string): void {
    this.keeper.open(newSessionRecord(new Date(), title));
    this.doc.load([]);
    this.spectrogram.clear();
    this.popover.close(false);
    this.renderTitle();
  }

  private async offerRecovery(): Promise<void> {
    const sessions = await this.host.sessions.list().catch(() => []);
    const candidate = pickRecoverable(sessions);
    if (!candidate) return;
    this.banners.show({
      id: 'recover',
      tone: 'warning',
      title: 'Recover your last session?',
      detail: `Earshot stopped while “${candidate.title}” was being transcribed. ${candidate.segmentCount} segment${candidate.segmentCount === 1 ? ' was' : 's were'} saved.`,
      actions: [
        { label: 'Recover', run: () => void this.openSession(candidate.id) },
        {
          label: 'Not now',
          run: () =>
            void this.host.sessions.read(candidate.id).then((record) => (record ? this.host.sessions.write({ ...record, finished: true }) : undefined)).catch(() => undefined),
        },
      ],
    });
  }

  private async openSession(id: string): Promise<void> {
    if (this.busy) return;
    const record = (await this.host.sessions.read(id).catch(() => null)) as StoredSession | null;
    if (!record) {
      this.banners.show({ id: 'history', tone: 'error', title: 'That session could not be opened', detail: 'It may have been deleted or damaged.' });
      return;
    }
    const segments = parseStoredSegments(record.segments);
    this.keeper.open({ ...record, finished: true });
    this.keeper.markWritten();
    this.doc.load(segments, typeof record.audioSeconds === 'number' ? record.audioSeconds : undefined);
    this.spectrogram.clear();
    this.renderTitle();
    this.banners.dismiss('recover');
    this.historyDialog.close();
    void this.keeper.save(this.doc.segments, this.doc.audioSeconds, { finished: true });
    this.banners.show({ id: 'history', tone: 'info', title: `Opened “${record.title}”`, detail: `${segments.length} segment${segments.length === 1 ? '' : 's'}. New recordings continue this session.`, timeoutMs: 5000 });
  }

  private async deleteSession(id: string): Promise<void> {
    try {
      await this.host.sessions.remove(id);
    } catch (error) {
      this.banners.show({ id: 'history', tone: 'error', title: 'Could not delete the session', detail: error instanceof Error ? error.message : String(error) });
    }
    if (id === this.keeper.current.id) this.newSession();
    await this.showHistory();
  }

  /** Renames a session from History (the open one too: its title above the transcript follows). */
  private async renameSession(id: string, title: string): Promise<void> {
    const clean = title.replace(/\s+/g, ' ').trim().slice(0, 200);
    if (clean !== '') {
      try {
        if (id === this.keeper.current.id) {
          this.keeper.rename(clean);
          this.renderTitle();
          await this.keeper.save(this.doc.segments, this.doc.audioSeconds);
        } else {
          const record = await this.host.sessions.read(id);
          if (!record) throw new Error('It may have been deleted.');
          await this.host.sessions.write({ ...record, title: clean });
        }
      } catch (error) {
        this.banners.show({ id: 'history', tone: 'error', title: 'Could not rename the session', detail: error instanceof Error ? error.message : String(error) });
      }
    }
    await this.showHistory();
  }

  private async showHistory(): Promise<void> {
    const sessions = await this.host.sessions.list().catch(() => []);
    this.historyDialog.show(sessions, this.keeper.current.id, !this.busy);
  }

  // ---- transcript actions ---------------------------------------------------------------------

  private showWord(id: number, index: number, anchor: HTMLElement): void {
    const word = this.doc.find(id)?.words[index];
    if (!word) return;
    this.popover.open({
      word,
      anchor,
      choose: (alternative) => {
        if (this.doc.replaceWord(id, index, alternative)) this.autosave();
        this.view.wordElement(id, index)?.focus();
      },
      addPronunciation: (spelling, phonemes) => void this.addPronunciation(spelling, phonemes),
    });
  }

  /** One click on a spelled guess: `spelling PH PH` becomes a line of Settings → Pronunciations (the recognizer is rebuilt with it). */
  private async addPronunciation(spelling: string, phonemes: string): Promise<void> {
    const line = `${spelling} ${phonemes}`;
    const current = this.settings.userLexicon;
    if (current.split(/\r?\n/).some((l) => l.trim().replace(/\s+/g, ' ') === line)) {
      this.banners.show({ id: 'pronunciation', tone: 'info', title: `“${spelling}” is already in your pronunciations`, detail: line, timeoutMs: 4000 });
      return;
    }
    await this.changeSettings({ userLexicon: current.trimEnd() === '' ? `${line}\n` : `${current.trimEnd()}\n${line}\n` });
    this.banners.show({ id: 'pronunciation', tone: 'info', title: `Added “${spelling}” to your pronunciations`, detail: `Settings → Pronunciations: ${line}`, timeoutMs: 5000 });
  }

  private async exportAs(format: ExportFormat): Promise<void> {
    const outcome = await runExport((request) => this.host.saveFile(request), this.doc.segments, format, this.keeper.current.title);
    if (outcome) this.banners.show({ id: 'export', ...outcome, timeoutMs: outcome.tone === 'info' ? 5000 : undefined });
  }

  private async copyTranscript(): Promise<void> {
    const text = toTxt(this.doc.segments);
    if (text === '') {
      this.banners.show({ id: 'copy', tone: 'info', title: 'Nothing to copy yet', detail: 'Record or import some audio first.', timeoutMs: 4000 });
      return;
    }
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // clipboard API refused (no focus, no permission): fall back to a selection copy
      const area = document.createElement('textarea');
      area.value = text;
      area.className = 'visually-hidden';
      document.body.append(area);
      area.select();
      const ok = document.execCommand('copy');
      area.remove();
      if (!ok) {
        this.banners.show({ id: 'copy', tone: 'error', title: 'Could not copy', detail: 'The system refused clipboard access. Select the text and press Ctrl/⌘+C instead.' });
        return;
      }
    }
    this.banners.show({ id: 'copy', tone: 'info', title: 'Copied', detail: `${this.doc.segments.length} segment${this.doc.segments.length === 1 ? '' : 's'} copied as text.`, timeoutMs: 3000 });
  }

  // ---- settings -------------------------------------------------------------------------------

  private saveSettings(patch: Partial<Settings>): Promise<Settings> {
    const run = this.settingsChain.then(() => this.host.settings.update(patch));
    this.settingsChain = run.catch(() => undefined);
    return run.then((stored) => {
      this.settings = stored;
      return stored;
    });
  }

  /** A change from the settings dialog: persist, apply the theme, rebuild the recognizer if needed. */
  private async changeSettings(patch: Partial<Settings>): Promise<void> {
    const before = this.settings;
    let after: Settings;
    try {
      after = await this.saveSettings(patch);
    } catch (error) {
      this.settingsDialog.setStatus(`Could not save the setting: ${error instanceof Error ? error.message : String(error)}`, 'error');
      return;
    }
    if (after.theme !== before.theme) applyTheme(after.theme, byId('theme'));
    if (engineSettingsDiffer(before, after)) {
      this.settingsDialog.setStatus('Applying…', 'info');
      try {
        await this.models.reconfigure(after);
        const status = appliedStatus(this.live.current === 'recording', this.models.info?.lexiconProblems);
        this.settingsDialog.setStatus(status.text, status.tone);
      } catch (error) {
        this.settingsDialog.setStatus(`Saved, but the engine could not use it: ${error instanceof Error ? error.message : String(error)} The previous configuration is still in use.`, 'error');
      }
    } else {
      this.settingsDialog.setStatus('Saved.', 'info');
    }
    this.settingsDialog.render(this.settings, this.models.info, this.backends);
  }

  private async openSettings(): Promise<void> {
    this.settingsDialog.open(this.settings, this.models.info, this.backends);
    if (this.backends.length === 0 && this.models.ready) {
      this.backends = await this.engine.probeBackends().catch(() => ['reference']);
      this.settingsDialog.render(this.settings, this.models.info, this.backends);
    }
  }

  // ---- devices --------------------------------------------------------------------------------

  private async refreshDevices(): Promise<void> {
    const previous = this.devices;
    this.devices = await listInputDevices().catch(() => []);
    this.live.onDevicesChanged(this.devices.map((d) => d.deviceId));
    const saved = this.settings.deviceId;
    this.picker.render(this.devices, saved);
    // the chosen input went away while idle (recording has its own 'ended' handling)
    const wasThere = previous.find((d) => d.deviceId === saved);
    if (saved && wasThere && !this.devices.some((d) => d.deviceId === saved) && this.live.current === 'idle') {
      this.banners.show({ id: 'device', tone: 'warning', title: 'Input disconnected', detail: `“${wasThere.label}” is no longer connected. Recording will use the system default until it is back, or choose another input.` });
    } else if (saved && this.devices.some((d) => d.deviceId === saved)) {
      this.banners.dismiss('device');
    }
  }

  /** The saved device if it is connected; otherwise the system default (with permission, ids are known). */
  private deviceToOpen(): string | null {
    const saved = this.picker.value;
    if (!saved) return null;
    if (this.devices.length > 0 && !this.devices.some((d) => d.deviceId === saved)) return null;
    return saved;
  }

  // ---- wiring and rendering -------------------------------------------------------------------

  private get busy(): boolean {
    return this.live.current !== 'idle' || this.files.active;
  }

  private wireControls(): void {
    this.recordButton.addEventListener('click', () => this.live.toggle());
    const themeButton = byId<HTMLButtonElement>('theme');
    themeButton.addEventListener('click', () => void this.changeSettings({ theme: nextTheme(this.settings.theme) }));

    byId('import-audio').addEventListener('click', () => void this.pickAudioFile());
    byId('open-history').addEventListener('click', () => void this.showHistory());
    byId('open-models').addEventListener('click', () => this.openModels());
    byId('open-settings').addEventListener('click', () => void this.openSettings());
    byId('new-session').addEventListener('click', () => this.newSession());
    byId('copy-transcript').addEventListener('click', () => void this.copyTranscript());
    for (const close of document.querySelectorAll<HTMLButtonElement>('dialog [data-close]')) {
      close.addEventListener('click', () => close.closest('dialog')?.close());
    }
    this.wireExportMenu();
    this.wireDragAndDrop();

    installShortcuts(window, {
      toggleRecording: () => {
        if (!document.querySelector('dialog[open]')) this.live.toggle();
      },
      find: () => this.search.focus(),
    });
    this.host.onCommand((command) => this.runCommand(command));
  }

  private runCommand(command: MenuCommand): void {
    switch (command) {
      case 'toggle-recording':
        return this.live.toggle();
      case 'new-session':
        return this.newSession();
      case 'import-audio':
        return void this.pickAudioFile();
      case 'open-model-folder':
        return void this.models.openFromPicker('folder');
      case 'open-model-zip':
        return void this.models.openFromPicker('zip');
      case 'export-txt':
      case 'export-srt':
      case 'export-vtt':
      case 'export-json':
        return void this.exportAs(command.slice('export-'.length) as ExportFormat);
      case 'copy-transcript':
        return void this.copyTranscript();
      case 'find':
        return this.search.focus();
      case 'show-models':
        return this.openModels();
      case 'show-history':
        return void this.showHistory();
      case 'show-settings':
        return void this.openSettings();
    }
  }

  private openModels(): void {
    this.renderModels();
    this.modelsDialog.open();
  }

  private wireExportMenu(): void {
    const button = byId<HTMLButtonElement>('export-button');
    const menu = byId<HTMLElement>('export-menu');
    const items = [...menu.querySelectorAll<HTMLButtonElement>('[data-format]')];
    const setOpen = (open: boolean, focusFirst = false): void => {
      menu.hidden = !open;
      button.setAttribute('aria-expanded', String(open));
      if (open && focusFirst) items[0]?.focus();
    };
    button.addEventListener('click', () => setOpen(menu.hidden !== false, true));
    for (const item of items) {
      item.addEventListener('click', () => {
        setOpen(false);
        button.focus();
        const format = item.dataset.format as ExportFormat;
        if ((EXPORT_FORMATS as readonly string[]).includes(format)) void this.exportAs(format);
      });
    }
    menu.addEventListener('keydown', (event) => {
      const index = items.indexOf(document.activeElement as HTMLButtonElement);
      if (event.key === 'Escape') {
        event.stopPropagation();
        setOpen(false);
        button.focus();
      } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        items[(index + (event.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus();
      }
    });
    document.addEventListener('pointerdown', (event) => {
      if (!menu.hidden && !menu.contains(event.target as Node) && event.target !== button) setOpen(false);
    });
  }

  private wireDragAndDrop(): void {
    const overlay = byId<HTMLElement>('drop-overlay');
    let depth = 0;
    const hasFiles = (event: DragEvent): boolean => [...(event.dataTransfer?.types ?? [])].includes('Files');
    window.addEventListener('dragenter', (event) => {
      if (!hasFiles(event)) return;
      depth++;
      overlay.hidden = false;
    });
    window.addEventListener('dragleave', () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) overlay.hidden = true;
    });
    window.addEventListener('dragover', (event) => {
      if (!hasFiles(event)) return;
      event.preventDefault(); // allow the drop (and never navigate to the file)
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    });
    window.addEventListener('drop', (event) => {
      event.preventDefault();
      depth = 0;
      overlay.hidden = true;
      const file = event.dataTransfer?.files[0];
      if (!file) return;
      if (/\.zip$/i.test(file.name)) void this.dropModel(file);
      else void this.files.importFile(fileSource(file));
    });
  }

  private async pickAudioFile(): Promise<void> {
    if (this.busy) return;
    const picked = await this.host.openAudioFile().catch((error: unknown) => ({ status: 'failed' as const, message: error instanceof Error ? error.message : String(error) }));
    if (picked.status === 'opened') await this.files.importFile(bytesSource(picked.name, picked.data));
    else if (picked.status === 'failed') this.banners.show({ id: 'import', tone: 'error', title: 'Could not open the file', detail: picked.message });
  }

  /** A dropped .zip is a model package (valid for this run; "Load model…" remembers it across restarts). */
  private async dropModel(file: File): Promise<void> {
    const zip = new Uint8Array(await file.arrayBuffer());
    await this.models.openPayload(toPayload({ source: 'zip', name: file.name.replace(/\.zip$/i, ''), zip }), null);
  }

  private onRecordingState(state: RecordingState): void {
    this.picker.disabled = state !== 'idle';
    if (state === 'recording') this.spectrogram.clear();
    this.render();
  }

  private render(): void {
    const state = this.live.current;
    const engine = this.models.state;
    const root = this.root;
    root.dataset.state = state;
    root.dataset.engine = engine;
    const label = this.recordButton.querySelector('.record-label');
    if (label) {
      label.textContent =
        engine === 'loading' ? 'Loading model…'
        : state === 'starting' ? 'Starting…'
        : state === 'recording' ? 'Stop'
        : state === 'stopping' ? 'Finishing…'
        : 'Start';
    }
    this.recordButton.disabled = engine !== 'ready' || state === 'starting' || state === 'stopping' || this.files.active;
    this.recordButton.setAttribute('aria-pressed', String(state === 'recording'));
    this.recordButton.classList.toggle('recording', state === 'recording');
    this.recordButton.title = `${state === 'recording' ? 'Stop' : 'Start'} recording (Space or Ctrl/⌘+R)`;
    byId<HTMLButtonElement>('import-audio').disabled = state !== 'idle' || this.files.active;
    byId<HTMLButtonElement>('new-session').disabled = this.busy;

    const info = this.models.info;
    byId('engine-status').textContent =
      engine === 'ready' && info
        ? `Model: ${info.acoustic.name}${info.lm ? ` · LM: ${info.lm.name}${info.lmActive ? '' : ' (not rescoring)'}` : ''} · ${info.backend}`
        : engine === 'loading' ? 'Loading model…'
        : engine === 'missing' ? 'No model installed'
        : 'Model failed to load';
    if (info) {
      root.dataset.backend = info.backend;
      root.dataset.lmBackend = info.lmBackend ?? 'none';
    }
    this.emptyHint.render(engine);
    this.renderCaption();
    if (this.modelsDialog.isOpen) this.renderModels();
  }

  private renderModels(): void {
    this.modelsDialog.render(this.models.info, { acoustic: { bundled: this.models.acousticRef === 'default' }, lm: { bundled: this.models.lmRef === 'default' } }, this.models.busy);
    const { busy, lastError, lastNotice } = this.models;
    this.modelsDialog.setStatus(busy ? 'Checking the package…' : (lastError ?? lastNotice ?? ''), busy ? 'busy' : lastError ? 'error' : 'info');
  }

  /** The status line under the spectrogram (the partial itself shows in the transcript only). */
  private renderCaption(): void {
    const text = hearingStatus({ recording: this.live.current, file: this.files.active ? this.fileProgress : null });
    if (this.caption.textContent !== text) this.caption.textContent = text;
  }

  private renderTitle(): void {
    byId('session-title').textContent = this.keeper.current.title;
  }
}
