/**
 * The app's chrome, drawn from the controllers' state: the record button, the engine status line,
 * the empty hint, the status line under the spectrogram, the models dialog, and the data attributes
 * the end-to-end tests read (state, engine, backend, counters).
 */
import type { UpdateEvent } from './engine-client';
import { byId } from './dom';
import type { FileImport } from './file-import';
import type { LiveSession } from './live-session';
import type { ModelManager } from './model-manager';
import { EmptyHint } from './view/empty-hint-view';
import { hearingStatus } from './view/hearing-status';
import { ModelsDialog } from './view/models-dialog';

export interface AppViewDeps {
  root: HTMLElement;
  models(): ModelManager;
  live(): LiveSession;
  files(): FileImport;
}

export class AppView {
  private readonly recordButton = byId<HTMLButtonElement>('record');
  private readonly caption = byId<HTMLElement>('live-caption');
  private readonly emptyHint = new EmptyHint(byId('empty-hint'));
  private readonly modelsDialog: ModelsDialog;
  /** The file being imported and how far, for the status line; null when none. */
  private fileProgress: { name: string; fraction: number | null } | null = null;
  private updates = 0;

  constructor(private readonly deps: AppViewDeps) {
    this.modelsDialog = new ModelsDialog(
      {
        dialog: byId<HTMLDialogElement>('models-dialog'),
        cards: byId('model-cards'),
        status: byId('models-status'),
        loadFolder: byId<HTMLButtonElement>('load-model-folder'),
        loadZip: byId<HTMLButtonElement>('load-model-zip'),
        useBundled: byId<HTMLButtonElement>('use-bundled'),
      },
      {
        loadFolder: () => void deps.models().openFromPicker('folder'),
        loadZip: () => void deps.models().openFromPicker('zip'),
        useBundled: () => void deps.models().useBundled(),
      },
    );
  }

  /** An engine event arrived (update or stop): count it and show its counters. */
  countUpdate(stats: UpdateEvent['stats']): void {
    this.updates++;
    const data = this.deps.root.dataset;
    data.samples = String(stats.samplesReceived);
    data.decodePasses = String(stats.decodePasses);
    data.featureFrames = String(stats.featureFrames);
    data.updates = String(this.updates);
  }

  /** The file import moved on (null: it ended). */
  setFileProgress(file: { name: string; fraction: number | null } | null): void {
    this.fileProgress = file;
    this.renderCaption();
  }

  openModels(): void {
    this.renderModels();
    this.modelsDialog.open();
  }

  render(): void {
    const { root } = this.deps;
    const live = this.deps.live();
    const files = this.deps.files();
    const models = this.deps.models();
    const state = live.current;
    const engine = models.state;
    root.dataset.state = state;
    root.dataset.engine = engine;
    const label = this.recordButton.querySelector('.record-label');
    if (label) {
      label.textContent =
        engine === 'loading'
          ? 'Loading model…'
          : state === 'starting'
            ? 'Starting…'
            : state === 'recording'
              ? 'Stop'
              : state === 'stopping'
                ? 'Finishing…'
                : 'Start';
    }
    this.recordButton.disabled = engine !== 'ready' || state === 'starting' || state === 'stopping' || files.active;
    this.recordButton.setAttribute('aria-pressed', String(state === 'recording'));
    this.recordButton.classList.toggle('recording', state === 'recording');
    this.recordButton.title = `${state === 'recording' ? 'Stop' : 'Start'} recording (Space or Ctrl/⌘+R)`;
    byId<HTMLButtonElement>('import-audio').disabled = state !== 'idle' || files.active;
    byId<HTMLButtonElement>('new-session').disabled = state !== 'idle' || files.active;

    const info = models.info;
    byId('engine-status').textContent =
      engine === 'ready' && info
        ? `Model: ${info.acoustic.name}${info.lm ? ` · LM: ${info.lm.name}${info.lmActive ? '' : ' (not rescoring)'}` : ''} · ${info.backend}`
        : engine === 'loading'
          ? 'Loading model…'
          : engine === 'missing'
            ? 'No model installed'
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
    const models = this.deps.models();
    this.modelsDialog.render(
      models.info,
      { acoustic: { bundled: models.acousticRef === 'default' }, lm: { bundled: models.lmRef === 'default' } },
      models.busy,
    );
    const { busy, lastError, lastNotice } = models;
    this.modelsDialog.setStatus(
      busy ? 'Checking the package…' : (lastError ?? lastNotice ?? ''),
      busy ? 'busy' : lastError ? 'error' : 'info',
    );
  }

  /** The status line under the spectrogram (the partial itself shows in the transcript only). */
  private renderCaption(): void {
    const files = this.deps.files();
    const text = hearingStatus({ recording: this.deps.live().current, file: files.active ? this.fileProgress : null });
    if (this.caption.textContent !== text) this.caption.textContent = text;
  }
}
