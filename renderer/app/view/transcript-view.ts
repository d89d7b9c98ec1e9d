/**
 * The transcript: final segments (full contrast, with a timestamp) and the one partial (grey).
 * Auto-scroll follows new text while the user is at the bottom and stops as soon as they scroll
 * up to read; "Jump to latest" brings it back.
 */
import type { Segment } from '../../worker/protocol';
import { formatClock } from '../format-time';

/** A segment placed on the session's timeline (runs after the first are offset by earlier runs). */
export interface PlacedSegment {
  key: string;
  offsetSeconds: number;
  segment: Segment;
}

/** Words below this confidence are shaded so doubtful words stand out at a glance. */
const LOW_CONFIDENCE = 0.5;
/** Distance from the bottom (px) that still counts as "at the bottom". */
const STICKY_SLACK_PX = 32;

export class TranscriptView {
  private stickToBottom = true;
  private finalCount = 0;

  constructor(
    private readonly scroller: HTMLElement,
    private readonly finals: HTMLOListElement,
    private readonly partial: HTMLElement,
    private readonly emptyHint: HTMLElement,
    private readonly jumpButton: HTMLButtonElement,
  ) {
    scroller.addEventListener('scroll', () => {
      this.stickToBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight <= STICKY_SLACK_PX;
      this.jumpButton.hidden = this.stickToBottom;
    }, { passive: true });
    jumpButton.addEventListener('click', () => {
      this.stickToBottom = true;
      this.jumpButton.hidden = true;
      this.scrollToEnd();
    });
  }

  get count(): number {
    return this.finalCount;
  }

  appendFinals(segments: PlacedSegment[]): void {
    if (segments.length === 0) return;
    const fragment = document.createDocumentFragment();
    for (const placed of segments) {
      if (placed.segment.text.trim() === '') continue;
      fragment.append(this.renderFinal(placed));
      this.finalCount++;
    }
    this.finals.append(fragment);
    this.afterChange();
  }

  setPartial(placed: PlacedSegment | null): void {
    const text = placed?.segment.text.trim() ?? '';
    if (text === '') {
      this.partial.replaceChildren();
      this.partial.hidden = true;
    } else {
      this.partial.hidden = false;
      const words = document.createElement('span');
      words.className = 'segment-text';
      words.append(this.renderWords(placed!.segment));
      this.partial.replaceChildren(this.renderTime(placed!), words);
    }
    this.afterChange();
  }

  clear(): void {
    this.finals.replaceChildren();
    this.setPartial(null);
    this.finalCount = 0;
    this.afterChange();
  }

  private renderFinal(placed: PlacedSegment): HTMLLIElement {
    const item = document.createElement('li');
    item.className = 'segment';
    item.dataset.key = placed.key;
    const text = document.createElement('p');
    text.className = 'segment-text';
    text.append(this.renderWords(placed.segment));
    item.append(this.renderTime(placed), text);
    return item;
  }

  private renderTime(placed: PlacedSegment): HTMLTimeElement {
    const time = document.createElement('time');
    time.className = 'segment-time';
    const start = placed.offsetSeconds + placed.segment.start;
    time.dateTime = `PT${start.toFixed(2)}S`;
    time.textContent = formatClock(start);
    return time;
  }

  /** Words as spans (confidence in a tooltip, low ones shaded); plain text when the engine gave no words. */
  private renderWords(segment: Segment): DocumentFragment {
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
      span.title = `confidence ${(word.confidence * 100).toFixed(0)}%`;
      span.textContent = word.word;
      fragment.append(span);
    });
    return fragment;
  }

  private afterChange(): void {
    this.emptyHint.hidden = this.finalCount > 0 || !this.partial.hidden;
    if (this.stickToBottom) this.scrollToEnd();
  }

  private scrollToEnd(): void {
    this.scroller.scrollTop = this.scroller.scrollHeight;
  }
}
