/**
 * The transcript of the open session: final segments on the session timeline (in order, by id),
 * the one partial, and the edits a person makes. Views render it; autosave and export read it.
 * Pure (no DOM): listeners are told what changed so the view can patch instead of redraw.
 */
import type { Segment, Timeline } from '../../worker/protocol';
import { editSegmentText, replaceWord } from './edit-segment';

export type DocumentChange =
  | { kind: 'finals-added'; segments: Segment[] }
  | { kind: 'segment-changed'; segment: Segment }
  | { kind: 'segment-removed'; id: number }
  | { kind: 'partial'; partial: Segment | null }
  | { kind: 'reset' };

export class TranscriptDocument {
  private finals: Segment[] = [];
  private partialSegment: Segment | null = null;
  private nextSegmentId = 0;
  /** Audio seconds the session's runs have consumed: where the next run starts on the timeline. */
  private audioSecondsTotal = 0;
  private readonly listeners = new Set<(change: DocumentChange) => void>();

  onChange(listener: (change: DocumentChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get segments(): readonly Segment[] {
    return this.finals;
  }

  get partial(): Segment | null {
    return this.partialSegment;
  }

  get audioSeconds(): number {
    return this.audioSecondsTotal;
  }

  get isEmpty(): boolean {
    return this.finals.length === 0;
  }

  find(id: number): Segment | undefined {
    return this.finals.find((s) => s.id === id);
  }

  /** Where the next stream starts: after all audio so far, with fresh segment ids. */
  nextTimeline(): Timeline {
    return { offsetSeconds: this.audioSecondsTotal, firstSegmentId: this.nextSegmentId };
  }

  /** Adds segments that became final (empty ones are dropped). Returns those kept. */
  appendFinals(segments: readonly Segment[]): Segment[] {
    const kept = segments.filter((s) => s.text.trim() !== '').map((s) => ({ ...s, final: true }));
    for (const s of segments) this.nextSegmentId = Math.max(this.nextSegmentId, s.id + 1);
    if (kept.length === 0) return kept;
    this.finals.push(...kept);
    this.emit({ kind: 'finals-added', segments: kept });
    return kept;
  }

  setPartial(partial: Segment | null): void {
    const next = partial && partial.text.trim() !== '' ? partial : null;
    if (next === null && this.partialSegment === null) return;
    // the engine reports after every decode pass (up to one per 10 ms microphone block), mostly with the
    // same partial as before (no new RNN step yet): only a change is an event, so the view does not redraw
    if (next !== null && this.partialSegment !== null && JSON.stringify(next) === JSON.stringify(this.partialSegment))
      return;
    this.partialSegment = next;
    this.emit({ kind: 'partial', partial: next });
  }

  /** A run ended after `seconds` of audio: the next run starts after it. */
  addAudioSeconds(seconds: number): void {
    if (seconds > 0) this.audioSecondsTotal += seconds;
  }

  /**
   * Corrects a final segment's text; an empty text removes the segment. Returns false for an unknown id or no change.
   */
  editText(id: number, text: string): boolean {
    if (text.trim() === '') {
      const index = this.finals.findIndex((s) => s.id === id);
      if (index < 0) return false;
      this.finals.splice(index, 1);
      this.emit({ kind: 'segment-removed', id });
      return true;
    }
    const current = this.find(id);
    if (!current || current.text === text.replace(/\s+/g, ' ').trim()) return false;
    return this.replace(id, (s) => editSegmentText(s, text)) !== null;
  }

  replaceWord(id: number, wordIndex: number, word: string): Segment | null {
    return this.replace(id, (s) => replaceWord(s, wordIndex, word));
  }

  /** Replaces the whole transcript (open a saved session, or start a new one with none). */
  load(segments: readonly Segment[], audioSeconds?: number): void {
    this.finals = segments.map((s) => ({ ...s, final: true }));
    this.partialSegment = null;
    this.nextSegmentId = segments.reduce((n, s) => Math.max(n, s.id + 1), 0);
    const lastEnd = segments.reduce((t, s) => Math.max(t, s.end), 0);
    this.audioSecondsTotal = Math.max(audioSeconds ?? 0, lastEnd);
    this.emit({ kind: 'reset' });
  }

  private replace(id: number, change: (segment: Segment) => Segment): Segment | null {
    const index = this.finals.findIndex((s) => s.id === id);
    if (index < 0) return null;
    const updated = change(this.finals[index]);
    if (updated === this.finals[index]) return null;
    this.finals[index] = updated;
    this.emit({ kind: 'segment-changed', segment: updated });
    return updated;
  }

  private emit(change: DocumentChange): void {
    for (const listener of this.listeners) listener(change);
  }
}
