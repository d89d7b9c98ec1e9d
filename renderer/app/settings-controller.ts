/**
 * Settings: the stored values (saved one change after another through the host), the settings
 * dialog, the theme, and rebuilding the recognizer when a setting the engine uses changed (the
 * previous configuration stays in use when the new one fails).
 */
import type { Host, Settings } from '../host/host';
import { byId } from './dom';
import type { EngineClient } from './engine-client';
import { engineSettingsDiffer } from './engine-config';
import type { ModelManager } from './model-manager';
import { appliedStatus } from './settings-status';
import { applyTheme, nextTheme } from './theme';
import { SettingsDialog } from './view/settings-dialog';

export interface SettingsControllerDeps {
  host: Host;
  engine: EngineClient;
  models(): ModelManager;
  /** Whether the microphone is recording now (the dialog says a change applies from the next words). */
  recording(): boolean;
}

export class SettingsController {
  private settings: Settings;
  private backends: string[] = [];
  private chain: Promise<unknown> = Promise.resolve();
  private readonly dialog: SettingsDialog;

  constructor(
    private readonly deps: SettingsControllerDeps,
    initial: Settings,
  ) {
    this.settings = initial;
    applyTheme(this.settings.theme, byId('theme'));
    this.dialog = new SettingsDialog(
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
        lexiconProposals: byId('set-lexicon-proposals'),
        endpoint: byId<HTMLInputElement>('set-endpoint'),
        endpointValue: byId<HTMLOutputElement>('set-endpoint-value'),
        theme: byId<HTMLSelectElement>('set-theme'),
        backend: byId<HTMLSelectElement>('set-backend'),
        status: byId('settings-status'),
      },
      (patch) => void this.change(patch),
    );
  }

  get current(): Settings {
    return this.settings;
  }

  /** Persists a patch; saves run one after another, so the last one wins. */
  save(patch: Partial<Settings>): Promise<Settings> {
    const run = this.chain.then(() => this.deps.host.settings.update(patch));
    this.chain = run.catch(() => undefined);
    return run.then((stored) => {
      this.settings = stored;
      return stored;
    });
  }

  /** A change from the settings dialog: persist, apply the theme, rebuild the recognizer if needed. */
  async change(patch: Partial<Settings>): Promise<void> {
    const models = this.deps.models();
    const before = this.settings;
    let after: Settings;
    try {
      after = await this.save(patch);
    } catch (error) {
      this.dialog.setStatus(
        `Could not save the setting: ${error instanceof Error ? error.message : String(error)}`,
        'error',
      );
      return;
    }
    if (after.theme !== before.theme) applyTheme(after.theme, byId('theme'));
    if (engineSettingsDiffer(before, after)) {
      this.dialog.setStatus('Applying…', 'info');
      try {
        await models.reconfigure(after);
        const status = appliedStatus(this.deps.recording(), models.info?.lexiconProblems);
        this.dialog.setStatus(status.text, status.tone);
      } catch (error) {
        this.dialog.setStatus(
          `Saved, but the engine could not use it: ${error instanceof Error ? error.message : String(error)} The previous configuration is still in use.`,
          'error',
        );
      }
    } else {
      this.dialog.setStatus('Saved.', 'info');
    }
    this.dialog.render(this.settings, models.info, this.backends);
  }

  /** The theme button: system → light → dark → system. */
  cycleTheme(): void {
    void this.change({ theme: nextTheme(this.settings.theme) });
  }

  async open(): Promise<void> {
    const models = this.deps.models();
    this.dialog.open(this.settings, models.info, this.backends);
    if (this.backends.length === 0 && models.ready) {
      this.backends = await this.deps.engine.probeBackends().catch(() => ['reference']);
      this.dialog.render(this.settings, models.info, this.backends);
    }
  }
}
