/**
 * How likely each alternative spelling is, as a probability a person can read: its share of the
 * homophone set the decoder weighed (the emitted word and its alternatives), from each spelling's
 * log weight. With a language model the weight is the LM's own log P(word | history) (its term
 * alpha·log P + beta, with alpha and beta taken back out: beta is the same for every spelling and
 * alpha only sharpens); without one it is the log word count (+1) in the lexicon's corpus.
 *
 * shares: p_i = exp(w_i) / (exp(w_chosen) + Σ_j exp(w_j)), computed around the largest weight.
 */

/** Probabilities (0..1) of `others`, in order, against `chosen` and each other. */
export function sharesOfAlternatives(chosenLogWeight: number, otherLogWeights: readonly number[]): number[] {
  const top = Math.max(chosenLogWeight, ...otherLogWeights);
  if (!Number.isFinite(top)) return otherLogWeights.map(() => 0);
  const exp = otherLogWeights.map((w) => Math.exp(w - top));
  const total = Math.exp(chosenLogWeight - top) + exp.reduce((a, b) => a + b, 0);
  return exp.map((e) => e / total);
}

/** The LM's log P(word | history) from a decoder's LM term alpha·log P + beta (the term itself when alpha ≤ 0). */
export function lmLogProbOfTerm(term: number, alpha: number, beta: number): number {
  return alpha > 0 ? (term - beta) / alpha : term;
}
