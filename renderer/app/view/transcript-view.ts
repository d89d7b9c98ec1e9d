/**
 * The transcript: final segments (full contrast, a timestamp, an edit button) and the one partial
 * (grey). Words are spans: low-confidence ones are shaded, a click (or Enter on a focused word)
 * opens the word popover. Segments are edited in place (✎, double-click, F2 or Enter on the
 * segment): Enter saves, Escape cancels, leaving the field saves.
 *
 * Keyboard: Tab reaches each segment; ←/→ move between its words.
 * Auto-scroll follows new text while the user is at the bottom and stops as soon as they scroll
 * up to read; "Jump to latest" brings it back.
 */
import type { Segment } from '../../worker/protocol';
import { formatClock } from '../format-time';
import type { DocumentChange, TranscriptDocument } from '../session/transcript-document';
import type { SearchMatch } from '../session/transcript-search';
import { plausibleAlternatives } from './word-alternatives';

/** Words below this confidence are shaded so doubtful words stand out at a glance. */
export const LOW_CONFIDENCE = 0.5;
/** Distance from the bottom (px) that still counts as "at the bottom". */
const STICKY_SLACK_PX = 32;

export interface TranscriptViewElements {
  scroller: HTMLElement;
  finals: HTMLOListElement;
  partial: HTMLElement;
  emptyHint: HTMLElement;
  jumpButton: HTMLButtonElement;
}

export interface TranscriptViewActions {
  /** A word was clicked or activated: show its details next to `anchor`. */
  showWord(segmentId: number, wordIndex: number, anchor: HTMLElement): void;
  /** The user finished editing a segment's text. */
  editText(segmentId: number, text: string): void;
}

export class TranscriptView {
  private stickToBottom = true;
  private editingId: number | null = null;
  private highlighted: HTMLElement[] = [];

  constructor(
    private readonly doc: TranscriptDocument,
    private readonly el: TranscriptViewElements,
    private readonly actions: TranscriptViewActions,
  ) {
    el.scroller.addEventListener(
      'scroll',
      () => {
        this.stickToBottom =
          el.scroller.scrollHeight - el.scroller.scrollTop - el.scroller.clientHeight <= STICKY_SLACK_PX;
        el.jumpButton.hidden = this.stickToBottom;
      },
      { passive: true },
    );
    el.jumpButton.addEventListener('click', () => {
      this.stickToBottom = true;
      el.jumpButton.hidden = true;
      this.scrollToEnd();
    });
    el.finals.addEventListener('click', (event) => this.onClick(event));
    el.finals.addEventListener('dblclick', (event) => {
      const item = (event.target as HTMLElement).closest<HTMLElement>('.segment');
      if (item && !(event.target as HTMLElement).closest('textarea')) this.beginEdit(Number(item.dataset.id));
    });
    el.finals.addEventListener('keydown', (event) => this.onKeyDown(event));
    doc.onChange((change) => this.apply(change));
    this.afterChange();
  }

  /** Highlights search matches; `current` is scrolled into view and marked. */
  setHighlights(matches: readonly SearchMatch[], current: number, scroll = true): void {
    for (const word of this.highlighted) word.classList.remove('match', 'match-current');
    this.highlighted = [];
    matches.forEach((m, i) => {
      const words = this.wordsOf(m.segmentId).slice(m.firstWord, m.lastWord + 1);
      for (const word of words) {
        word.classList.add('match');
        if (i === current) word.classList.add('match-current');
        this.highlighted.push(word);
      }
      if (i === current && words[0] && scroll) {
        // reading a match is "scrolling up": stop following new text until the user comes back
        words[0].scrollIntoView({ block: 'center' });
        const { scrollHeight, scrollTop, clientHeight } = this.el.scroller;
        this.stickToBottom = scrollHeight - scrollTop - clientHeight <= STICKY_SLACK_PX;
        this.el.jumpButton.hidden = this.stickToBottom;
      }
    });
  }

  /** The word span of a segment, for anchoring the popover again after a re-render. */
  wordElement(segmentId: number, wordIndex: number): HTMLElement | null {
    return this.wordsOf(segmentId)[wordIndex] ?? null;
  }

  beginEdit(id: number): void {
    const item = this.itemOf(id);
    const segment = this.doc.find(id);
    if (!item || !segment || this.editingId !== null) return;
    this.editingId = id;
    const text = item.querySelector<HTMLElement>('.segment-text');
    const editor = document.createElement('textarea');
    editor.className = 'segment-editor';
    editor.value = segment.text;
    editor.rows = Math.max(1, Math.ceil(segment.text.length / 80));
    editor.setAttribute('aria-label', `Edit the segment at ${formatClock(segment.start)}`);
    editor.spellcheck = true;
    let done = false;
    const finish = (save: boolean): void => {
      if (done) return;
      done = true;
      this.editingId = null;
      const value = editor.value;
      editor.replaceWith(text ?? document.createElement('p'));
      item.classList.remove('editing');
      if (save && value !== segment.text) this.actions.editText(id, value);
      // focus the segment again (re-rendered if the edit changed it)
      this.itemOf(id)?.querySelector<HTMLElement>('.segment-text')?.focus();
    };
    editor.addEventListener('keydown', (event) => {
      event.stopPropagation(); // Space and shortcuts type into the field
      if (event.key === 'Enter' && !event.shiftKey) {
        event.preventDefault();
        finish(true);
      } else if (event.key === 'Escape') {
        event.preventDefault();
        finish(false);
      }
    });
    editor.addEventListener('blur', () => finish(true));
    item.classList.add('editing');
    text?.replaceWith(editor);
    editor.focus();
    editor.setSelectionRange(editor.value.length, editor.value.length);
  }

  private apply(change: DocumentChange): void {
    switch (change.kind) {
      case 'finals-added': {
        const fragment = document.createDocumentFragment();
        for (const segment of change.segments) fragment.append(this.renderFinal(segment));
        this.el.finals.append(fragment);
        break;
      }
      case 'segment-changed':
        this.itemOf(change.segment.id)?.replaceWith(this.renderFinal(change.segment));
        break;
      case 'segment-removed':
        this.itemOf(change.id)?.remove();
        break;
      case 'partial':
        this.renderPartial(change.partial);
        break;
      case 'reset':
        this.el.finals.replaceChildren(...this.doc.segments.map((s) => this.renderFinal(s)));
        this.renderPartial(null);
        this.stickToBottom = true;
        this.el.jumpButton.hidden = true;
        break;
    }
    this.afterChange();
  }

  private renderFinal(segment: Segment): HTMLLIElement {
    const item = document.createElement('li');
    item.className = 'segment';
    item.dataset.id = String(segment.id);
    const text = document.createElement('p');
    text.className = 'segment-text';
    text.tabIndex = 0;
    text.append(this.renderWords(segment, true));
    const edit = document.createElement('button');
    edit.type = 'button';
    edit.className = 'segment-edit';
    edit.setAttribute('aria-label', `Edit the segment at ${formatClock(segment.start)}`);
    edit.title = 'Edit text (F2)';
    edit.textContent = '✎';
    item.append(this.renderTime(segment), text, edit);
    return item;
  }

  private renderPartial(partial: Segment | null): void {
    if (!partial) {
      this.el.partial.replaceChildren();
      this.el.partial.hidden = true;
      return;
    }
    const words = document.createElement('span');
    words.className = 'segment-text';
    words.append(this.renderWords(partial, false));
    this.el.partial.replaceChildren(this.renderTime(partial), words);
    this.el.partial.hidden = false;
  }

  private renderTime(segment: Segment): HTMLTimeElement {
    const time = document.createElement('time');
    time.className = 'segment-time';
    time.dateTime = `PT${segment.start.toFixed(2)}S`;
    time.textContent = formatClock(segment.start);
    return time;
  }

  /** Words as spans (low confidence shaded); plain text when the engine gave no words. */
  private renderWords(segment: Segment, interactive: boolean): DocumentFragment {
    const fragment = document.createDocumentFragment();
    if (segment.words.length === 0) {
      fragment.append(segment.text);
      return fragment;
    }
    segment.words.forEach((word, i) => {
      if (i > 0) fragment.append(' ');
      const span = document.createElement('span');
      span.className = 'word';
      if (word.confidence < LOW_CONFIDENCE) span.classList.add('low-confidence');
      if (word.unknown) span.classList.add('unknown-word');
      if (word.guess) {
        span.classList.add('spelled-guess'); // the speller's spelling of sounds outside the lexicon
        span.title = `Spelled guess (${word.phonemes ?? ''})`;
      }
      if (word.tentative) span.classList.add('tentative'); // the word still being spoken: it may change
      if (plausibleAlternatives(word).length > 0) span.classList.add('has-alternatives');
      if (interactive) {
        span.dataset.index = String(i);
        span.tabIndex = -1;
      }
      span.textContent = word.word;
      fragment.append(span);
    });
    return fragment;
  }

  private onClick(event: MouseEvent): void {
    const target = event.target as HTMLElement;
    const item = target.closest<HTMLElement>('.segment');
    if (!item) return;
    const id = Number(item.dataset.id);
    if (target.closest('.segment-edit')) {
      this.beginEdit(id);
      return;
    }
    const word = target.closest<HTMLElement>('.word');
    if (word && word.dataset.index !== undefined && this.editingId === null && !window.getSelection()?.toString()) {
      this.actions.showWord(id, Number(word.dataset.index), word);
    }
  }

  private onKeyDown(event: KeyboardEvent): void {
    const target = event.target as HTMLElement;
    const item = target.closest<HTMLElement>('.segment');
    if (!item || target.tagName === 'TEXTAREA' || target.tagName === 'BUTTON') return;
    const id = Number(item.dataset.id);
    const words = [...item.querySelectorAll<HTMLElement>('.word')];
    const index = words.indexOf(target);
    if (event.key === 'F2' || (event.key === 'Enter' && index < 0)) {
      event.preventDefault();
      this.beginEdit(id);
    } else if (event.key === 'Enter' || event.key === ' ') {
      if (index >= 0) {
        event.preventDefault();
        event.stopPropagation(); // Space on a word opens it rather than toggling recording
        this.actions.showWord(id, index, target);
      }
    } else if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
      if (words.length === 0) return;
      event.preventDefault();
      const next =
        index < 0
          ? event.key === 'ArrowRight'
            ? 0
            : words.length - 1
          : Math.max(0, Math.min(words.length - 1, index + (event.key === 'ArrowRight' ? 1 : -1)));
      words[next].focus();
    } else if (event.key === 'Escape' && index >= 0) {
      item.querySelector<HTMLElement>('.segment-text')?.focus();
    }
  }

  private itemOf(id: number): HTMLElement | null {
    return this.el.finals.querySelector<HTMLElement>(`.segment[data-id="${id}"]`);
  }

  private wordsOf(id: number): HTMLElement[] {
    return [...(this.itemOf(id)?.querySelectorAll<HTMLElement>('.word') ?? [])];
  }

  private afterChange(): void {
    this.el.emptyHint.hidden = !this.doc.isEmpty || !this.el.partial.hidden;
    if (this.stickToBottom) this.scrollToEnd();
  }

  private scrollToEnd(): void {
    this.el.scroller.scrollTop = this.el.scroller.scrollHeight;
  }
}
