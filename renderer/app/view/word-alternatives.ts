/**
 * Which alternative spellings the word popover offers, and how it writes their probability.
 *
 * The decoder lists up to three homophones of a word (same pronunciation, other spelling), each with
 * its probability among them (WordAlternative.probability: the LM's P(word | history), or word
 * frequency without an LM). Most are junk in context: "catt" and "katt" for "cat", "inn" for "in"
 * get well under 1 % there. An alternative is offered only from PLAUSIBLE_ALTERNATIVE (1 %) up: a
 * spelling the LM gives less than one chance in a hundred against the others is one a person would
 * almost never mean, and listing it hides the one or two real choices ("their" / "there"). An
 * alternative without a probability (a session saved before probabilities existed) is left out too.
 */
import type { DecodedWord, WordAlternative } from '../../worker/protocol';

/** Smallest share of the homophone set for an alternative to be offered. */
export const PLAUSIBLE_ALTERNATIVE = 0.01;

/** The alternatives worth offering, most likely first. */
export function plausibleAlternatives(word: Pick<DecodedWord, 'alternatives'>): WordAlternative[] {
  return (word.alternatives ?? [])
    .filter(
      (a) =>
        typeof a.probability === 'number' && Number.isFinite(a.probability) && a.probability >= PLAUSIBLE_ALTERNATIVE,
    )
    .sort((a, b) => b.probability - a.probability);
}

/** 0.374 → "37 %"; never "0 %" for an offered alternative (they are ≥ 1 %). */
export function formatProbability(probability: number): string {
  return `${Math.max(1, Math.round(probability * 100))} %`;
}
