/**
 * Settings: the language model (on/off, weights), hotwords, extra pronunciations, endpoint
 * silence, theme and backend. Every change applies at once (and is persisted), there is no Save
 * or Cancel: a checkbox, list or slider when it changes, a text field when typing pauses
 * (TYPING_PAUSE_MS) or when it loses focus. The status line at the top of the dialog confirms each
 * change ("Applying…", then "Applied." or what went wrong), and notes say what the engine could
 * not use (hotwords missing from the lexicon).
 */
import type { Settings } from '../../host/host';
import type { BackendSetting, ThemeSetting } from '../../shared/settings-schema';
import type { EngineInfo } from '../../worker/protocol';

export interface SettingsDialogElements {
  dialog: HTMLDialogElement;
  form: HTMLFormElement;
  useLm: HTMLInputElement;
  /** Readable text (punctuation, capitals, spelled guesses) or raw words. */
  readable?: HTMLInputElement;
  readableNote?: HTMLElement;
  lmAlpha: HTMLInputElement;
  lmBeta: HTMLInputElement;
  lmNote: HTMLElement;
  hotwords: HTMLTextAreaElement;
  hotwordsNote: HTMLElement;
  lexicon: HTMLTextAreaElement;
  /** Pronunciations proposed (letters → phonemes model) for words typed without one, each with a Use button. */
  lexiconProposals?: HTMLElement;
  endpoint: HTMLInputElement;
  endpointValue: HTMLOutputElement;
  theme: HTMLSelectElement;
  backend: HTMLSelectElement;
  status: HTMLElement;
}

/** A text field applies this long after the last keystroke (or at once when it loses focus). */
export const TYPING_PAUSE_MS = 700;

type TextSetting = 'lmAlpha' | 'lmBeta' | 'hotwords' | 'userLexicon';

export class SettingsDialog {
  /** What each text field last sent (JSON), so a pause and then a blur apply a value once. */
  private readonly sent = new Map<TextSetting, string>();
  private readonly pauses = new Map<TextSetting, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly el: SettingsDialogElements,
    private readonly change: (patch: Partial<Settings>) => void,
  ) {
    el.form.addEventListener('submit', (event) => event.preventDefault());
    el.useLm.addEventListener('change', () => change({ useLm: el.useLm.checked }));
    el.readable?.addEventListener('change', () => change({ readableText: el.readable!.checked }));
    const texts: Array<[TextSetting, HTMLInputElement | HTMLTextAreaElement, () => Partial<Settings>]> = [
      ['lmAlpha', el.lmAlpha, () => ({ lmAlpha: numberOrNull(el.lmAlpha) })],
      ['lmBeta', el.lmBeta, () => ({ lmBeta: numberOrNull(el.lmBeta) })],
      [
        'hotwords',
        el.hotwords,
        () => ({
          hotwords: el.hotwords.value
            .split('\n')
            .map((l) => l.trim())
            .filter(Boolean),
        }),
      ],
      ['userLexicon', el.lexicon, () => ({ userLexicon: el.lexicon.value })],
    ];
    for (const [key, field, patch] of texts) {
      const apply = (): void => {
        clearTimeout(this.pauses.get(key));
        this.pauses.delete(key);
        const value = patch();
        const json = JSON.stringify(value[key]);
        if (this.sent.get(key) === json) return;
        this.sent.set(key, json);
        change(value);
      };
      field.addEventListener('input', () => {
        clearTimeout(this.pauses.get(key));
        this.pauses.set(key, setTimeout(apply, TYPING_PAUSE_MS));
      });
      field.addEventListener('change', apply);
    }
    el.endpoint.addEventListener(
      'input',
      () => (el.endpointValue.value = `${(Number(el.endpoint.value) / 1000).toFixed(1)} s`),
    );
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
    if (el.readable) {
      el.readable.checked = settings.readableText;
      const r = info?.readable;
      el.readable.disabled = !r || (r.punctuation === null && r.spelling === null && settings.readableText);
      if (el.readableNote)
        el.readableNote.textContent =
          r?.note ?? (r && (r.punctuation || r.spelling) ? '' : 'This build has no punctuation or spelling model.');
    }
    setIfIdle(el.lmAlpha, settings.lmAlpha === null ? '' : String(settings.lmAlpha));
    setIfIdle(el.lmBeta, settings.lmBeta === null ? '' : String(settings.lmBeta));
    el.lmAlpha.disabled = el.lmBeta.disabled = !settings.useLm;
    el.useLm.disabled = !info?.lm;
    const weights = info?.lmWeights;
    el.lmNote.textContent = !info?.lm
      ? 'No language model is loaded.'
      : (info.lmNote ??
        `Rescoring with ${info.lm.name}${weights ? ` (alpha ${round(weights.alpha)}, beta ${round(weights.beta)})` : ''}. Leave a weight empty to use the package's tuned value.`);
    setIfIdle(el.hotwords, settings.hotwords.join('\n'));
    setIfIdle(el.lexicon, settings.userLexicon);
    // the stored values count as sent: leaving an unchanged field applies nothing
    this.sent.set('lmAlpha', JSON.stringify(settings.lmAlpha));
    this.sent.set('lmBeta', JSON.stringify(settings.lmBeta));
    this.sent.set('hotwords', JSON.stringify(settings.hotwords));
    this.sent.set('userLexicon', JSON.stringify(settings.userLexicon));
    el.endpoint.value = String(settings.endpointSilenceMs);
    el.endpointValue.value = `${(settings.endpointSilenceMs / 1000).toFixed(1)} s`;
    el.theme.value = settings.theme;
    const offered = ['auto', ...backends.filter((b) => b !== 'auto')];
    if (!offered.includes(settings.backend)) offered.push(settings.backend);
    el.backend.replaceChildren(...offered.map((b) => new Option(b === 'auto' ? 'Automatic' : b, b)));
    el.backend.value = settings.backend;
    const unknown = info?.unknownHotwords ?? [];
    el.hotwordsNote.textContent =
      unknown.length > 0
        ? `Not in the lexicon, so they cannot be recognised: ${unknown.join(', ')}. Add pronunciations below.`
        : '';
    el.hotwordsNote.hidden = unknown.length === 0;
    this.renderProposals(info);
  }

  /**
   * 'word PH PH' for each Pronunciations line that is a word alone, as the engine proposed it; Use writes it into that
   * line.
   */
  private renderProposals(info: EngineInfo | null): void {
    const box = this.el.lexiconProposals;
    if (!box) return;
    const proposals = (info?.lexiconProblems ?? []).filter((p) => p.proposal !== undefined);
    box.replaceChildren(
      ...proposals.map((p) => {
        const word = p.text.trim();
        const row = document.createElement('p');
        row.className = 'lexicon-proposal';
        const text = document.createElement('span');
        text.textContent = `Proposed: ${word} ${p.proposal}`;
        const use = document.createElement('button');
        use.type = 'button';
        use.textContent = 'Use';
        use.title = `Line ${p.line} becomes “${word} ${p.proposal}” (a guess from the spelling: check it)`;
        use.addEventListener('click', () => {
          const lines = this.el.lexicon.value.split('\n');
          if (lines[p.line - 1]?.trim() !== word) return; // edited since: the proposal no longer fits that line
          this.setStatus('', 'info'); // its "proposed …, press Use" is answered; the change then says Applying…
          lines[p.line - 1] = `${word} ${p.proposal}`;
          this.el.lexicon.value = lines.join('\n');
          this.el.lexicon.dispatchEvent(new Event('change'));
          row.remove();
        });
        row.append(text, ' ', use);
        return row;
      }),
    );
    box.hidden = proposals.length === 0;
  }

  setStatus(text: string, tone: 'info' | 'error'): void {
    const status = this.el.status;
    status.textContent = text;
    status.dataset.tone = tone;
    status.dataset.busy = String(text.endsWith('…')); // "Applying…": no check mark yet
    // restart the highlight, so a second "Applied." is seen as a new confirmation
    status.classList.remove('flash');
    void status.offsetWidth;
    status.classList.toggle('flash', text !== '');
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
