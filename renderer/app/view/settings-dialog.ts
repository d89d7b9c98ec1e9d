/**
 * Settings: the language model (on/off, weights), hotwords, extra pronunciations, endpoint
 * silence, theme and backend. Every change is applied (and persisted) as soon as the field
 * commits (a change event); the dialog shows whether the engine accepted it, and what it could not
 * use (hotwords missing from the lexicon).
 */
import type { Settings } from '../../host/host';
import type { BackendSetting, ThemeSetting } from '../../../main/store/settings-schema';
import type { EngineInfo } from '../../worker/protocol';

export interface SettingsDialogElements {
  dialog: HTMLDialogElement;
  form: HTMLFormElement;
  useLm: HTMLInputElement;
  lmAlpha: HTMLInputElement;
  lmBeta: HTMLInputElement;
  lmNote: HTMLElement;
  hotwords: HTMLTextAreaElement;
  hotwordsNote: HTMLElement;
  lexicon: HTMLTextAreaElement;
  endpoint: HTMLInputElement;
  endpointValue: HTMLOutputElement;
  theme: HTMLSelectElement;
  backend: HTMLSelectElement;
  status: HTMLElement;
}

export class SettingsDialog {
  constructor(
    private readonly el: SettingsDialogElements,
    private readonly change: (patch: Partial<Settings>) => void,
  ) {
    el.form.addEventListener('submit', (event) => event.preventDefault());
    el.useLm.addEventListener('change', () => change({ useLm: el.useLm.checked }));
    el.lmAlpha.addEventListener('change', () => change({ lmAlpha: numberOrNull(el.lmAlpha) }));
    el.lmBeta.addEventListener('change', () => change({ lmBeta: numberOrNull(el.lmBeta) }));
    el.hotwords.addEventListener('change', () => change({ hotwords: el.hotwords.value.split('\n').map((l) => l.trim()).filter(Boolean) }));
    el.lexicon.addEventListener('change', () => change({ userLexicon: el.lexicon.value }));
    el.endpoint.addEventListener('input', () => (el.endpointValue.value = `${(Number(el.endpoint.value) / 1000).toFixed(1)} s`));
    el.endpoint.addEventListener('change', () => change({ endpointSilenceMs: Number(el.endpoint.value) }));
    el.theme.addEventListener('change', () => change({ theme: el.theme.value as ThemeSetting }));
    el.backend.addEventListener('change', () => change({ backend: el.backend.value as BackendSetting }));
    // Space and Ctrl+R inside the dialog belong to its fields, not to Start/Stop
    el.dialog.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape') event.stopPropagation();
    });
  }

  get isOpen(): boolean {
    return this.el.dialog.open;
  }

  open(settings: Settings, info: EngineInfo | null, backends: readonly string[]): void {
    this.render(settings, info, backends);
    this.setStatus('', 'info');
    if (!this.el.dialog.open) this.el.dialog.showModal();
  }

  /** Shows the current values (after a change was stored, or when the engine reports). */
  render(settings: Settings, info: EngineInfo | null, backends: readonly string[]): void {
    const el = this.el;
    el.useLm.checked = settings.useLm;
    setIfIdle(el.lmAlpha, settings.lmAlpha === null ? '' : String(settings.lmAlpha));
    setIfIdle(el.lmBeta, settings.lmBeta === null ? '' : String(settings.lmBeta));
    el.lmAlpha.disabled = el.lmBeta.disabled = !settings.useLm;
    el.useLm.disabled = !info?.lm;
    const weights = info?.lmWeights;
    el.lmNote.textContent = !info?.lm
      ? 'No language model is loaded.'
      : (info.lmNote ?? `Rescoring with ${info.lm.name}${weights ? ` (alpha ${round(weights.alpha)}, beta ${round(weights.beta)})` : ''}. Leave a weight empty to use the package's tuned value.`);
    setIfIdle(el.hotwords, settings.hotwords.join('\n'));
    setIfIdle(el.lexicon, settings.userLexicon);
    el.endpoint.value = String(settings.endpointSilenceMs);
    el.endpointValue.value = `${(settings.endpointSilenceMs / 1000).toFixed(1)} s`;
    el.theme.value = settings.theme;
    const offered = ['auto', ...backends.filter((b) => b !== 'auto')];
    if (!offered.includes(settings.backend)) offered.push(settings.backend);
    el.backend.replaceChildren(...offered.map((b) => new Option(b === 'auto' ? 'Automatic' : b, b)));
    el.backend.value = settings.backend;
    const unknown = info?.unknownHotwords ?? [];
    el.hotwordsNote.textContent = unknown.length > 0 ? `Not in the lexicon, so they cannot be recognised: ${unknown.join(', ')}. Add pronunciations below.` : '';
    el.hotwordsNote.hidden = unknown.length === 0;
  }

  setStatus(text: string, tone: 'info' | 'error'): void {
    this.el.status.textContent = text;
    this.el.status.dataset.tone = tone;
  }
}

function round(value: number): string {
  return String(Math.round(value * 100) / 100);
}

function numberOrNull(input: HTMLInputElement): number | null {
  return input.value.trim() === '' || !Number.isFinite(input.valueAsNumber) ? null : input.valueAsNumber;
}

/** Leaves a field alone while the user is typing in it. */
function setIfIdle(field: HTMLInputElement | HTMLTextAreaElement, value: string): void {
  if (document.activeElement !== field) field.value = value;
}
