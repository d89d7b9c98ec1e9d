/**
 * The model manager: the acoustic model and the language model in use, each with its name, kind,
 * alphabet or vocabulary size, parameter count, architecture, where it came from and its training
 * provenance; buttons to load a package (folder or .zip) and to go back to the bundled models.
 */
import type { EngineInfo, PackageDescription } from '../../worker/protocol';

export interface ModelSlots {
  acoustic: { bundled: boolean };
  lm: { bundled: boolean };
}

export interface ModelsDialogElements {
  dialog: HTMLDialogElement;
  cards: HTMLElement;
  status: HTMLElement;
  loadFolder: HTMLButtonElement;
  loadZip: HTMLButtonElement;
  useBundled: HTMLButtonElement;
}

export interface ModelsDialogActions {
  loadFolder(): void;
  loadZip(): void;
  useBundled(): void;
}

export class ModelsDialog {
  constructor(
    private readonly el: ModelsDialogElements,
    actions: ModelsDialogActions,
  ) {
    el.loadFolder.addEventListener('click', () => actions.loadFolder());
    el.loadZip.addEventListener('click', () => actions.loadZip());
    el.useBundled.addEventListener('click', () => actions.useBundled());
    el.dialog.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape') event.stopPropagation();
    });
  }

  get isOpen(): boolean {
    return this.el.dialog.open;
  }

  open(): void {
    if (!this.el.dialog.open) this.el.dialog.showModal();
  }

  render(info: EngineInfo | null, slots: ModelSlots, busy: boolean): void {
    const cards: HTMLElement[] = [];
    cards.push(
      card('Acoustic model', info?.acoustic ?? null, slots.acoustic.bundled, 'No acoustic model is loaded.', null),
    );
    const weights = info?.lmWeights;
    const lmNote =
      info?.lmNote ??
      (weights
        ? `Rescoring hypotheses: alpha ${weights.alpha.toFixed(2)} (LM weight), beta ${weights.beta.toFixed(2)} (word bonus).`
        : null);
    cards.push(
      card(
        'Language model',
        info?.lm ?? null,
        slots.lm.bundled,
        'No language model is loaded. Recognition uses the lexicon only.',
        lmNote,
      ),
    );
    this.el.cards.replaceChildren(...cards);
    this.el.useBundled.hidden = slots.acoustic.bundled && slots.lm.bundled;
    this.el.loadFolder.disabled = this.el.loadZip.disabled = this.el.useBundled.disabled = busy;
  }

  setStatus(text: string, tone: 'info' | 'error' | 'busy'): void {
    this.el.status.textContent = text;
    this.el.status.dataset.tone = tone;
  }
}

function card(
  title: string,
  pkg: PackageDescription | null,
  bundled: boolean,
  emptyText: string,
  note: string | null,
): HTMLElement {
  const article = document.createElement('article');
  article.className = 'model-card';
  article.dataset.slot = title.startsWith('Acoustic') ? 'acoustic' : 'lm';
  const heading = document.createElement('h3');
  heading.textContent = title;
  article.append(heading);
  if (!pkg) {
    const empty = document.createElement('p');
    empty.className = 'model-empty';
    empty.textContent = emptyText;
    article.append(empty);
    return article;
  }
  const name = document.createElement('p');
  name.className = 'model-name';
  name.textContent = pkg.name;
  const badge = document.createElement('span');
  badge.className = bundled ? 'badge' : 'badge badge-user';
  badge.textContent = bundled ? 'bundled' : 'loaded';
  name.append(' ', badge);
  article.append(name);
  if (pkg.description) {
    const description = document.createElement('p');
    description.className = 'model-description';
    description.textContent = pkg.description;
    article.append(description);
  }
  const facts: [string, string][] = [
    ['Kind', pkg.kind === 'acoustic' ? `acoustic (CTC over ${pkg.units ?? 'units'})` : 'language model'],
  ];
  if (pkg.alphabetSize !== undefined)
    facts.push([pkg.units === 'characters' ? 'Alphabet' : 'Phoneme set', `${pkg.alphabetSize} symbols (with blank)`]);
  if (pkg.vocabularySize !== undefined) facts.push(['Vocabulary', `${pkg.vocabularySize.toLocaleString('en')} words`]);
  facts.push(['Parameters', formatCount(pkg.parameterCount)]);
  facts.push(['Layers', pkg.architecture]);
  facts.push(['Source', bundled ? 'bundled with Earshot' : pkg.source]);
  article.append(definitionList(facts));
  if (note) {
    const p = document.createElement('p');
    p.className = 'model-note';
    p.textContent = note;
    article.append(p);
  }
  const provenance = Object.entries(pkg.provenance);
  const details = document.createElement('details');
  details.className = 'provenance';
  const summary = document.createElement('summary');
  summary.textContent = provenance.length > 0 ? 'Provenance' : 'Provenance: not recorded';
  details.append(summary);
  if (provenance.length > 0) details.append(definitionList(provenance.map(([k, v]) => [k, formatValue(v)])));
  article.append(details);
  return article;
}

function definitionList(entries: [string, string][]): HTMLDListElement {
  const dl = document.createElement('dl');
  for (const [term, value] of entries) {
    const dt = document.createElement('dt');
    dt.textContent = term;
    const dd = document.createElement('dd');
    dd.textContent = value;
    dl.append(dt, dd);
  }
  return dl;
}

/** 1234567 → "1.23 M (1,234,567)" */
export function formatCount(n: number): string {
  const exact = n.toLocaleString('en');
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M (${exact})`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} k (${exact})`;
  return exact;
}

/** Provenance values are free-form JSON: strings as they are, the rest compactly. */
function formatValue(value: unknown): string {
  if (typeof value === 'string') return value;
  const text = JSON.stringify(value);
  return text.length > 400 ? `${text.slice(0, 400)}…` : text;
}
