/**
 * Details of one word, next to it: the word, its confidence (a bar and a percentage), its time
 * span, and the decoder's plausible alternatives (homophones: same pronunciation, other spellings),
 * each with its probability (by the LM, or by word frequency without one; word-alternatives.ts says
 * which are left out). Picking an alternative replaces the word.
 *
 * A non-modal dialog: focus moves into it, Escape or a click elsewhere closes it and focus goes
 * back to the word.
 */
import type { DecodedWord } from '../../worker/protocol';
import { formatClock } from '../format-time';
import { LOW_CONFIDENCE } from './transcript-view';
import { formatProbability, plausibleAlternatives } from './word-alternatives';
import { bareWord } from './word-label';

export interface WordPopoverRequest {
  word: DecodedWord;
  anchor: HTMLElement;
  /** Replace the word by `alternative`. */
  choose(alternative: string): void;
  /**
   * A spelled guess: the line it would add to the user's pronunciations (`spelling PH PH`, the bare word:
   * pronunciationOffer) and what adds it.
   */
  pronunciation?: { spelling: string; phonemes: string; line: string; add(): void };
}

export class WordPopover {
  private anchor: HTMLElement | null = null;

  constructor(
    private readonly element: HTMLElement,
    private readonly container: HTMLElement,
  ) {
    element.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation();
        this.close(true);
      }
    });
    document.addEventListener('pointerdown', (event) => {
      if (!this.element.hidden && !this.element.contains(event.target as Node) && event.target !== this.anchor)
        this.close(false);
    });
  }

  get isOpen(): boolean {
    return !this.element.hidden;
  }

  open(request: WordPopoverRequest): void {
    const { word, anchor } = request;
    this.anchor = anchor;
    const percent = Math.round(word.confidence * 100);

    const heading = document.createElement('p');
    heading.className = 'popover-word';
    heading.id = 'word-popover-title';
    // the word itself: the mark and quotes the readable text put around it belong to the sentence
    const wordText = document.createElement('span');
    wordText.className = 'popover-word-text';
    wordText.textContent = bareWord(word);
    heading.append(wordText);
    if (word.guess) {
      heading.classList.add('spelled-guess');
      const badge = document.createElement('span');
      badge.className = 'popover-badge';
      badge.textContent = 'spelled guess';
      heading.append(' ', badge);
    }

    const meter = document.createElement('div');
    meter.className = 'confidence';
    const bar = document.createElement('div');
    bar.className = 'confidence-bar';
    bar.setAttribute('role', 'meter');
    bar.setAttribute('aria-label', 'Confidence');
    bar.setAttribute('aria-valuemin', '0');
    bar.setAttribute('aria-valuemax', '100');
    bar.setAttribute('aria-valuenow', String(percent));
    const fill = document.createElement('div');
    fill.className = 'confidence-fill';
    fill.classList.toggle('low', word.confidence < LOW_CONFIDENCE);
    fill.style.transform = `scaleX(${word.confidence.toFixed(3)})`;
    bar.append(fill);
    const label = document.createElement('span');
    label.className = 'confidence-label';
    label.textContent = `${percent}% confidence`;
    meter.append(bar, label);

    const time = document.createElement('p');
    time.className = 'popover-time';
    time.textContent = `${formatPrecise(word.start)} – ${formatPrecise(word.end)}`;

    const parts: HTMLElement[] = [heading, meter, time];
    if (word.guess && word.phonemes) {
      const note = document.createElement('p');
      note.className = 'popover-note popover-guess';
      note.textContent = `A spelled guess: these sounds are not in the lexicon. Heard: ${word.phonemes}`;
      parts.push(note);
      const pronunciation = request.pronunciation;
      if (pronunciation && pronunciation.spelling !== '') {
        const add = document.createElement('button');
        add.type = 'button';
        add.className = 'add-pronunciation';
        add.textContent = `Add “${pronunciation.spelling}” to my pronunciations`;
        add.addEventListener('click', () => {
          this.close(false);
          pronunciation.add();
        });
        parts.push(add);
      }
    } else if (word.unknown) {
      const note = document.createElement('p');
      note.className = 'popover-note';
      note.textContent = 'Not in the lexicon: add a pronunciation in Settings to have it recognised as a word.';
      parts.push(note);
    }
    const alternatives = plausibleAlternatives(word);
    const title = document.createElement('p');
    title.className = 'popover-section';
    title.textContent =
      alternatives.length > 0
        ? 'Alternatives (same sound), with their probability here'
        : 'No alternatives: no other likely word sounds the same.';
    parts.push(title);
    if (alternatives.length > 0) {
      const list = document.createElement('ul');
      list.className = 'alternatives';
      for (const alt of alternatives) {
        const item = document.createElement('li');
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'alternative';
        const name = document.createElement('span');
        name.textContent = alt.word;
        const probability = document.createElement('span');
        probability.className = 'alternative-score';
        probability.textContent = formatProbability(alt.probability);
        probability.title = 'How likely this spelling is here, among the words that sound the same';
        button.append(name, probability);
        button.setAttribute('aria-label', `Replace with “${alt.word}” (${formatProbability(alt.probability)} likely)`);
        button.addEventListener('click', () => {
          this.close(false);
          request.choose(alt.word);
        });
        item.append(button);
        list.append(item);
      }
      parts.push(list);
    }
    this.element.replaceChildren(...parts);
    this.element.setAttribute('aria-labelledby', 'word-popover-title');
    this.element.hidden = false;
    this.position(anchor);
    this.element.focus();
  }

  close(returnFocus: boolean): void {
    if (this.element.hidden) return;
    this.element.hidden = true;
    if (returnFocus) this.anchor?.focus();
    this.anchor = null;
  }

  /** Below the word (above it when there is no room), kept inside the transcript pane. */
  private position(anchor: HTMLElement): void {
    const box = this.container.getBoundingClientRect();
    const word = anchor.getBoundingClientRect();
    const pop = this.element.getBoundingClientRect();
    let left = word.left - box.left;
    left = Math.max(8, Math.min(left, box.width - pop.width - 8));
    let top = word.bottom - box.top + 6;
    if (top + pop.height > box.height - 8) top = Math.max(8, word.top - box.top - pop.height - 6);
    this.element.style.left = `${Math.round(left)}px`;
    this.element.style.top = `${Math.round(top)}px`;
  }
}

/** 3.456 → "00:03.46" */
function formatPrecise(seconds: number): string {
  const hundredths = Math.floor((seconds % 1) * 100);
  return `${formatClock(seconds)}.${String(hundredths).padStart(2, '0')}`;
}
