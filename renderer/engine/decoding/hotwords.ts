/**
 * Hotword boosting: words or phrases that get a log-domain bonus when the decoder emits them
 * (contextual biasing for names and jargon). A phrase earns its bonus once, when its last word
 * is emitted right after its other words.
 */

export interface Hotword {
  /** A word or a phrase of space-separated words (case-insensitive). */
  phrase: string;
  /** Log-domain bonus added to the hypothesis score when the phrase completes, e.g. 3. */
  bonus: number;
}

export class HotwordBooster {
  /** last word → phrases ending with it (words oldest-first) */
  private readonly byLastWord = new Map<string, Array<{ words: string[]; bonus: number }>>();
  readonly size: number;

  constructor(hotwords: readonly Hotword[]) {
    let n = 0;
    for (const h of hotwords) {
      const words = h.phrase
        .toLowerCase()
        .split(/\s+/)
        .filter((w) => w.length > 0);
      if (words.length === 0 || !Number.isFinite(h.bonus)) continue;
      const last = words[words.length - 1];
      const list = this.byLastWord.get(last) ?? [];
      list.push({ words, bonus: h.bonus });
      this.byLastWord.set(last, list);
      n++;
    }
    this.size = n;
  }

  /** All distinct words mentioned by the hotwords (to check them against a lexicon). */
  words(): string[] {
    const out = new Set<string>();
    for (const list of this.byLastWord.values()) for (const p of list) for (const w of p.words) out.add(w);
    return [...out];
  }

  /**
   * Bonus for emitting `word` after `history` (newest-first accessor: history(0) is the previous word,
   * undefined past the start). Sums over every phrase completed by this word.
   */
  bonus(word: string, history: (back: number) => string | undefined): number {
    const list = this.byLastWord.get(word);
    if (list === undefined) return 0;
    let total = 0;
    for (const p of list) {
      let ok = true;
      for (let i = p.words.length - 2, back = 0; i >= 0 && ok; i--, back++) ok = history(back) === p.words[i];
      if (ok) total += p.bonus;
    }
    return total;
  }
}
