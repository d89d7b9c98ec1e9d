/**
 * Which models run, and switching them: the bundled default acoustic model and LM, packages the
 * user loads ("Load model…": a folder or a .zip, validated in the worker), the engine
 * configuration from settings. The model in use is remembered in settings (as 'default' or the
 * ref the host gave the package) and restored at start-up.
 *
 * Every switch builds the new recognizer first; a broken package or a failed setting shows an
 * error and leaves the current model working.
 */
import type { BundledModels, Host, OpenModelResult, Settings } from '../host/host';
import { DEFAULT_MODEL } from '../shared/settings-schema';
import type { EngineInfo, PackagePayload, ReadablePayloads } from '../worker/protocol';
import type { EngineClient, LoadResult } from './engine-client';
import { engineConfigFromSettings } from './engine-config';
import type { Banners } from './view/banners';

export type EngineState = 'loading' | 'ready' | 'failed' | 'missing';

export interface ModelManagerDeps {
  host: Host;
  engine: EngineClient;
  banners: Banners;
  settings(): Settings;
  saveSettings(patch: Partial<Settings>): Promise<Settings>;
  onChange(): void;
}

export class ModelManager {
  state: EngineState = 'loading';
  info: EngineInfo | null = null;
  /** 'default' or the host's ref of the package in each slot. */
  acousticRef = DEFAULT_MODEL;
  lmRef = DEFAULT_MODEL;
  /** A package is being validated/loaded (the dialog disables its buttons). */
  busy = false;
  /** The last "Load model…" failure, for the model manager dialog; cleared by the next success. */
  lastError: string | null = null;
  /** The last successful switch, said in the dialog too (its banner sits behind the modal). */
  lastNotice: string | null = null;
  private bundled: BundledModels | null = null;

  constructor(private readonly deps: ModelManagerDeps) {}

  get ready(): boolean {
    return this.state === 'ready';
  }

  /** Start-up: the models named in settings (falling back to the bundled ones), then the engine. */
  async loadInitial(): Promise<void> {
    this.setState('loading');
    const settings = this.deps.settings();
    try {
      this.bundled = await this.deps.host.loadBundledModels();
    } catch (error) {
      this.bundled = { acoustic: null, lm: null, punct: null, spell: null };
      this.deps.banners.show({
        id: 'bundled',
        tone: 'warning',
        title: 'The bundled models could not be read',
        detail: describe(error),
      });
    }
    const acoustic = await this.restore('acoustic', settings.acousticModel, this.bundled.acoustic);
    const lm = await this.restore('lm', settings.languageModel, this.bundled.lm);
    if (!acoustic.payload) {
      this.setState('missing');
      this.deps.banners.show({
        id: 'model',
        tone: 'warning',
        title: 'No speech model is installed',
        detail:
          'This build has no bundled acoustic model. Open Models and load a model package (a folder or a .zip) to start transcribing.',
        actions: [{ label: 'Load model…', run: () => void this.openFromPicker('folder') }],
      });
      return;
    }
    this.acousticRef = acoustic.ref;
    this.lmRef = lm.ref;
    const config = engineConfigFromSettings(settings);
    try {
      this.adopt(await this.deps.engine.load(acoustic.payload, lm.payload, config, this.readablePayloads()));
    } catch (error) {
      // a backend this machine lacks should not leave the user without recognition
      if (settings.backend !== 'auto') {
        try {
          this.adopt(
            await this.deps.engine.load(
              acoustic.payload,
              lm.payload,
              { ...config, recognizer: { ...config.recognizer, backend: 'auto' } },
              this.readablePayloads(),
            ),
          );
          this.deps.banners.show({
            id: 'backend',
            tone: 'warning',
            title: `The “${settings.backend}” backend is not available`,
            detail: `${describe(error)} Using the automatic choice; change it in Settings.`,
          });
          await this.deps.saveSettings({ backend: 'auto' });
          return;
        } catch {
          // fall through: the model itself is the problem
        }
      }
      this.setState('failed');
      this.deps.banners.show({
        id: 'model',
        tone: 'error',
        title: 'The speech model could not be loaded',
        detail: describe(error),
        actions: [
          { label: 'Retry', run: () => void this.loadInitial() },
          { label: 'Load another model…', run: () => void this.openFromPicker('folder') },
        ],
      });
    }
  }

  /** "Load model…": pick, validate in the worker, switch. A bad package changes nothing. */
  async openFromPicker(kind: 'folder' | 'zip'): Promise<void> {
    let picked: OpenModelResult;
    try {
      picked = await this.deps.host.openModel(kind);
    } catch (error) {
      picked = { status: 'failed', message: describe(error) };
    }
    if (picked.status === 'cancelled') return;
    if (picked.status === 'failed') {
      this.showLoadError('the selected package', picked.message);
      return;
    }
    await this.openPayload(toPayload(picked.model), picked.ref);
  }

  /** Validates and switches to `payload`; `ref` (when the host can reopen it) is saved in settings. */
  async openPayload(payload: PackagePayload, ref: string | null): Promise<boolean> {
    this.busy = true;
    this.lastError = null;
    this.lastNotice = null;
    this.deps.onChange();
    this.deps.banners.show({
      id: 'model-load',
      tone: 'info',
      title: 'Checking the model package…',
      detail: `Validating “${payload.name}”.`,
    });
    try {
      const result = await this.deps.engine.openPackage(payload, engineConfigFromSettings(this.deps.settings()));
      const wasReady = this.state === 'ready';
      this.adopt(result);
      const described = result.slot === 'lm' ? result.info.lm : result.info.acoustic;
      if (result.slot === 'lm') {
        this.lmRef = ref ?? this.lmRef;
        if (ref) await this.deps.saveSettings({ languageModel: ref });
      } else {
        this.acousticRef = ref ?? this.acousticRef;
        if (ref) await this.deps.saveSettings({ acousticModel: ref });
      }
      this.deps.banners.dismiss('model');
      this.lastNotice = `Now using ${described?.name ?? payload.name} as the ${result.slot === 'lm' ? 'language model' : 'acoustic model'}.`;
      this.deps.banners.show({
        id: 'model-load',
        tone: 'info',
        title: `Now using ${described?.name ?? payload.name}`,
        detail: `${result.slot === 'lm' ? 'Language model' : 'Acoustic model'} loaded${wasReady ? ' and switched live' : ''}.${ref ? '' : ' It applies until Earshot is restarted.'}`,
        timeoutMs: 6000,
      });
      return true;
    } catch (error) {
      this.showLoadError(`“${payload.name}”`, describe(error));
      return false;
    } finally {
      this.busy = false;
      this.deps.onChange();
    }
  }

  /** The bundled punctuation and spelling models (readable text), whichever acoustic model runs. */
  private readablePayloads(): ReadablePayloads {
    return { punct: this.bundled?.punct ?? null, spell: this.bundled?.spell ?? null, g2p: this.bundled?.g2p ?? null };
  }

  /** Back to the bundled acoustic model and LM. */
  async useBundled(): Promise<void> {
    const bundled = this.bundled;
    if (!bundled?.acoustic) return;
    this.busy = true;
    this.deps.onChange();
    try {
      this.adopt(
        await this.deps.engine.load(
          bundled.acoustic,
          bundled.lm,
          engineConfigFromSettings(this.deps.settings()),
          this.readablePayloads(),
        ),
      );
      this.lastError = null;
      this.lastNotice = 'Now using the bundled models.';
      this.acousticRef = this.lmRef = DEFAULT_MODEL;
      await this.deps.saveSettings({ acousticModel: DEFAULT_MODEL, languageModel: DEFAULT_MODEL });
      this.deps.banners.show({
        id: 'model-load',
        tone: 'info',
        title: 'Using the bundled models',
        detail: 'Switched back to the models that ship with Earshot.',
        timeoutMs: 5000,
      });
    } catch (error) {
      this.showLoadError('the bundled models', describe(error));
    } finally {
      this.busy = false;
      this.deps.onChange();
    }
  }

  /**
   * Applies settings that change the recognizer (hotwords, lexicon, LM, endpoint, backend). Throws the engine's
   * message.
   */
  async reconfigure(settings: Settings): Promise<EngineInfo | null> {
    if (this.state !== 'ready') return null;
    this.adopt(await this.deps.engine.configure(engineConfigFromSettings(settings)));
    return this.info;
  }

  private async restore(
    slot: 'acoustic' | 'lm',
    ref: string,
    bundled: PackagePayload | null,
  ): Promise<{ payload: PackagePayload | null; ref: string }> {
    if (ref === DEFAULT_MODEL) return { payload: bundled, ref: DEFAULT_MODEL };
    const saved = await this.deps.host
      .openSavedModel(ref)
      .catch((error: unknown): OpenModelResult => ({ status: 'failed', message: describe(error) }));
    if (saved.status === 'opened') return { payload: toPayload(saved.model), ref };
    this.deps.banners.show({
      id: `restore-${slot}`,
      tone: 'warning',
      title: `Your chosen ${slot === 'lm' ? 'language model' : 'model'} could not be opened`,
      detail: `${saved.status === 'failed' ? saved.message : 'It was not found.'} Using the bundled one instead.`,
    });
    await this.deps.saveSettings(slot === 'lm' ? { languageModel: DEFAULT_MODEL } : { acousticModel: DEFAULT_MODEL });
    return { payload: bundled, ref: DEFAULT_MODEL };
  }

  private adopt(result: LoadResult): void {
    this.info = result.info;
    this.setState('ready');
  }

  private showLoadError(what: string, message: string): void {
    const sentence = /[.!?]$/.test(message.trim()) ? message.trim() : `${message.trim()}.`;
    const detail = `${sentence}${this.state === 'ready' ? ' The current model is still in use.' : ''}`;
    this.lastError = `Could not load ${what}: ${detail}`;
    this.deps.onChange();
    this.deps.banners.dismiss('model-load');
    this.deps.banners.show({ id: 'model-load', tone: 'error', title: `Could not load ${what}`, detail });
  }

  private setState(state: EngineState): void {
    this.state = state;
    this.deps.onChange();
  }
}

export function toPayload(model: Extract<OpenModelResult, { status: 'opened' }>['model']): PackagePayload {
  return model.source === 'zip' ? { name: model.name, zip: model.zip } : { name: model.name, files: model.files };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
