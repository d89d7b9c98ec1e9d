/**
 * Word and character error rates: Levenshtein distance between hypothesis and reference,
 * divided by the reference length. Text is normalised first (lower case, punctuation dropped
 * except apostrophes inside words), as in the evaluation sets.
 */
export function normalizeText(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9' ]+/g, ' ')
    .replace(/(^|\s)'+|'+(?=\s|$)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function editDistance<T>(a: readonly T[], b: readonly T[]): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur.push(Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = cur;
  }
  return prev[b.length];
}

export interface ErrorCounts {
  wordErrors: number;
  words: number;
  charErrors: number;
  chars: number;
}

export function countErrors(hypothesis: string, reference: string): ErrorCounts {
  const h = normalizeText(hypothesis),
    r = normalizeText(reference);
  const hw = h ? h.split(' ') : [],
    rw = r ? r.split(' ') : [];
  return {
    wordErrors: editDistance(hw, rw),
    words: rw.length,
    charErrors: editDistance([...h], [...r]),
    chars: r.length,
  };
}

export function addCounts(a: ErrorCounts, b: ErrorCounts): ErrorCounts {
  return {
    wordErrors: a.wordErrors + b.wordErrors,
    words: a.words + b.words,
    charErrors: a.charErrors + b.charErrors,
    chars: a.chars + b.chars,
  };
}

export const ZERO_COUNTS: ErrorCounts = { wordErrors: 0, words: 0, charErrors: 0, chars: 0 };
