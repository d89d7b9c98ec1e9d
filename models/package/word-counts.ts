/**
 * A package's word-counts file (`word<TAB>count` per line: an acoustic package's output.wordCounts, an LM's
 * output.unknownWords.counts) as a map. One parser for the format, whichever model reads it.
 */

/**
 * `word<TAB>count` lines → word → count, each word passed through `normalize` (repeated words add up).
 * Blank lines, `#` comments and lines without a non-negative numeric count are skipped.
 */
export function parseWordCountLines(text: string, normalize: (word: string) => string = (w) => w): Map<string, number> {
  const counts = new Map<string, number>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.length === 0 || line.startsWith('#')) continue;
    const tokens = line.split(/\s+/);
    if (tokens.length < 2) continue;
    const count = Number(tokens[tokens.length - 1]);
    if (!Number.isFinite(count) || count < 0) continue;
    const word = normalize(tokens.slice(0, -1).join(' '));
    counts.set(word, (counts.get(word) ?? 0) + count);
  }
  return counts;
}
