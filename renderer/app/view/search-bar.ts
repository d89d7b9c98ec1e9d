/**
 * Search in the transcript: type to highlight every match, Enter / ↓ for the next, Shift+Enter / ↑
 * for the previous, Escape to clear. Re-runs when the transcript changes, keeping the position.
 */
import type { TranscriptDocument } from '../session/transcript-document';
import { findMatches, type SearchMatch } from '../session/transcript-search';
import type { TranscriptView } from './transcript-view';

export interface SearchBarElements {
  input: HTMLInputElement;
  count: HTMLElement;
  previous: HTMLButtonElement;
  next: HTMLButtonElement;
}

export class SearchBar {
  private matches: SearchMatch[] = [];
  private current = -1;
  private rerun: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly el: SearchBarElements,
    private readonly doc: TranscriptDocument,
    private readonly view: TranscriptView,
  ) {
    el.input.addEventListener('input', () => this.run(0));
    el.input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') {
        event.preventDefault();
        this.step(event.shiftKey ? -1 : 1);
      } else if (event.key === 'Escape' && el.input.value !== '') {
        event.preventDefault();
        event.stopPropagation();
        el.input.value = '';
        this.run(0);
      }
    });
    el.previous.addEventListener('click', () => this.step(-1));
    el.next.addEventListener('click', () => this.step(1));
    // the transcript changes while recording: refresh highlights, at most a few times a second
    doc.onChange((change) => {
      if (change.kind === 'partial' || this.el.input.value.trim() === '' || this.rerun) return;
      this.rerun = setTimeout(() => {
        this.rerun = null;
        this.run(Math.max(0, this.current), false);
      }, 150);
    });
    this.render(false);
  }

  focus(): void {
    this.el.input.focus();
    this.el.input.select();
  }

  private run(start: number, scroll = true): void {
    this.matches = findMatches(this.doc.segments, this.el.input.value);
    this.current = this.matches.length > 0 ? Math.min(start, this.matches.length - 1) : -1;
    this.render(scroll);
  }

  private step(delta: number): void {
    if (this.matches.length === 0) return;
    this.current = (this.current + delta + this.matches.length) % this.matches.length;
    this.render(true);
  }

  private render(scroll: boolean): void {
    const query = this.el.input.value.trim();
    this.view.setHighlights(this.matches, this.current, scroll);
    this.el.count.textContent =
      query === '' ? '' : this.matches.length === 0 ? 'No matches' : `${this.current + 1} of ${this.matches.length}`;
    this.el.previous.disabled = this.el.next.disabled = this.matches.length === 0;
  }
}
