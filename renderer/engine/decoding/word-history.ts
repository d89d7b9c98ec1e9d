/**
 * Word histories shared between beam hypotheses: immutable linked lists, newest word first,
 * each node interned to an integer id so that equal word sequences get equal ids (used in
 * the beams' merge keys: two hypotheses with the same words since reset() merge).
 */

import type { DecodedWord, WordAlternative } from './decode-result';

export interface WordLink {
  /** Interned id of the whole sequence up to and including this word (equal ids ⇔ equal words). */
  readonly id: number;
  readonly prev: WordLink | null;
  readonly word: string;
  /** Step of the first frame of the first unit. */
  readonly startStep: number;
  /** Step after the last frame of the last unit (exclusive). */
  readonly endStep: number;
  /** 0..1, see DecodedWord.confidence. */
  readonly confidence: number;
  readonly unknown: boolean;
  readonly alternatives: WordAlternative[] | undefined;
  /** The word in progress of a partial result (never part of a hypothesis's history). */
  readonly tentative?: boolean;
}

/** Empty history id. */
export const EMPTY_HISTORY = 0;

export class WordHistoryInterner {
  /** prevId → word → id (no key string built per lookup: the decoders intern on every word end of every step). */
  private readonly ids = new Map<number, Map<string, number>>();
  private count = 0;

  /** Id of `prevId` followed by `word`. */
  intern(prevId: number, word: string): number {
    let next = this.ids.get(prevId);
    if (next === undefined) {
      next = new Map();
      this.ids.set(prevId, next);
    }
    let id = next.get(word);
    if (id === undefined) {
      id = ++this.count;
      next.set(word, id);
    }
    return id;
  }

  clear(): void {
    this.ids.clear();
    this.count = 0;
  }
}

/** Newest-first linked list → oldest-first array of DecodedWord with times in seconds. */
export function historyToWords(link: WordLink | null, offsetSeconds: number, secondsPerStep: number): DecodedWord[] {
  const out: DecodedWord[] = [];
  for (let l = link; l !== null; l = l.prev) {
    const w: DecodedWord = {
      word: l.word,
      start: offsetSeconds + l.startStep * secondsPerStep,
      end: offsetSeconds + l.endStep * secondsPerStep,
      confidence: l.confidence,
    };
    if (l.unknown) w.unknown = true;
    if (l.alternatives && l.alternatives.length > 0) w.alternatives = l.alternatives;
    if (l.tentative) w.tentative = true;
    out.push(w);
  }
  return out.reverse();
}

/** Emitted units, newest first (a cons list shared between hypotheses). */
export interface UnitLink {
  readonly unit: number;
  readonly step: number;
  readonly prev: UnitLink | null;
}

export function unitsToArray(link: UnitLink | null): number[] {
  const out: number[] = [];
  for (let l = link; l !== null; l = l.prev) out.push(l.unit);
  return out.reverse();
}
