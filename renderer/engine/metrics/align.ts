/**
 * Word alignment of a hypothesis to a reference (Levenshtein with backtrace): for each reference
 * position, the hypothesis word aligned to it (substitution or match), or null (deletion).
 */
export function alignToReference(ref: readonly string[], hyp: readonly string[]): Array<string | null> {
  const n = ref.length,
    m = hyp.length;
  const d: number[][] = Array.from({ length: n + 1 }, (_, i) =>
    Array.from({ length: m + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (ref[i - 1] === hyp[j - 1] ? 0 : 1));
    }
  }
  const out = new Array<string | null>(n).fill(null);
  let i = n,
    j = m;
  while (i > 0 && j > 0) {
    if (d[i][j] === d[i - 1][j - 1] + (ref[i - 1] === hyp[j - 1] ? 0 : 1)) {
      out[i - 1] = hyp[j - 1];
      i--;
      j--;
    } else if (d[i][j] === d[i - 1][j] + 1) {
      i--;
    } else {
      j--;
    }
  }
  return out;
}
