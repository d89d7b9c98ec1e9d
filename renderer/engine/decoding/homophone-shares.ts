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

/**
 * Log weights from the LM's log P(word | history) of each spelling, with ties split by word count.
 * The LM gives every word outside its vocabulary the same <unk> probability, so it cannot tell
 * "mat", "matte" and "matt" apart; the spellings that share one log P share its mass (group size ×
 * P) in proportion to their corpus counts (+1), as a class-based LM would. Spellings with their
 * own LM probability keep it.
 */
export function lmWeightsSplittingTies(logProbs: readonly number[], counts: readonly number[]): number[] {
  const groups = new Map<number, number[]>();
  logProbs.forEach((lp, i) => {
    const group = groups.get(lp);
    if (group) group.push(i);
    else groups.set(lp, [i]);
  });
  const weights = [...logProbs];
  for (const [lp, members] of groups) {
    if (members.length < 2 || !Number.isFinite(lp)) continue;
    const total = members.reduce((sum, i) => sum + (counts[i] ?? 0) + 1, 0);
    for (const i of members) weights[i] = lp + Math.log(members.length) + Math.log(((counts[i] ?? 0) + 1) / total);
  }
  return weights;
}
