/**
 * Hand-built CTC posteriors for tests. Each frame names the winning symbol ('_' = blank) and,
 * optionally, its probability; the rest of the mass is spread evenly over the other units.
 * Returns steps × K natural-log probabilities.
 */
export type Frame = string | { [symbol: string]: number };

export function logProbsFrom(
  alphabet: readonly string[],
  frames: readonly Frame[],
  peak = 0.9,
  blankSymbol = '_',
): Float32Array {
  const k = alphabet.length;
  const out = new Float32Array(frames.length * k);
  const index = (sym: string): number => {
    const i = sym === blankSymbol ? 0 : alphabet.indexOf(sym);
    if (i < 0) throw new Error(`unknown symbol ${sym}`);
    return i;
  };
  frames.forEach((frame, t) => {
    const probs = new Float64Array(k);
    const spec: Record<string, number> = typeof frame === 'string' ? { [frame]: peak } : frame;
    let used = 0;
    for (const [sym, p] of Object.entries(spec)) {
      probs[index(sym)] += p;
      used += p;
    }
    const free = k - Object.keys(spec).length;
    for (let u = 0; u < k; u++) if (probs[u] === 0) probs[u] = (1 - used) / free;
    for (let u = 0; u < k; u++) out[t * k + u] = Math.log(probs[u]);
  });
  return out;
}

/** A deterministic pseudo-random generator (LCG), 0 ≤ x < 1. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/**
 * "Random-ish" posteriors: softmax of noisy logits where half of the steps favour blank and the
 * others one random unit (CTC-like spikes on a noisy floor).
 */
export function randomLogProbs(k: number, steps: number, seed = 1, blank = 0): Float32Array {
  const rnd = seededRandom(seed);
  const out = new Float32Array(steps * k);
  const logits = new Float64Array(k);
  for (let t = 0; t < steps; t++) {
    for (let u = 0; u < k; u++) logits[u] = (rnd() + rnd() + rnd() - 1.5) * 3;
    if (rnd() < 0.5) logits[blank] += 4;
    else logits[(blank + 1 + Math.floor(rnd() * (k - 1))) % k] += 4;
    let max = -Infinity;
    for (const x of logits) max = Math.max(max, x);
    let z = 0;
    for (const x of logits) z += Math.exp(x - max);
    for (let u = 0; u < k; u++) out[t * k + u] = logits[u] - max - Math.log(z);
  }
  return out;
}

/** Splits steps × K rows into chunks of the given sizes (cycled). */
export function chunked(
  logProbs: Float32Array,
  k: number,
  sizes: readonly number[],
): Array<{ logProbs: Float32Array; steps: number }> {
  const steps = logProbs.length / k;
  const out: Array<{ logProbs: Float32Array; steps: number }> = [];
  for (let t = 0, i = 0; t < steps; i++) {
    const n = Math.min(sizes[i % sizes.length], steps - t);
    out.push({ logProbs: logProbs.slice(t * k, (t + n) * k), steps: n });
    t += n;
  }
  return out;
}
