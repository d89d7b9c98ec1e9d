/**
 * Splits a unit (phoneme) sequence with no word boundaries into lexicon words: the fewest
 * words that cover the most units, by dynamic programming over the trie. Units no word
 * covers are grouped into unknown runs. Used by the greedy decoder for phoneme models.
 * Cost O(n · maxDepth) trie steps for n units.
 */

import type { LexiconTrie } from './lexicon-trie';

export interface UnitSpan {
  /** Index of the first unit (inclusive). */
  begin: number;
  /** Index after the last unit (exclusive). */
  end: number;
  /** Trie node whose words fit units[begin, end), or -1 for an unknown run. */
  node: number;
}

const WORD_COST = 1;
/** Per uncovered unit; > WORD_COST so that any lexicon word beats leaving its units unknown. */
const UNKNOWN_UNIT_COST = 4;

export function segmentUnits(trie: LexiconTrie, units: readonly number[]): UnitSpan[] {
  const n = units.length;
  const cost = new Float64Array(n + 1).fill(Infinity);
  const back = new Int32Array(n + 1).fill(-1); // start index of the last span
  const backNode = new Int32Array(n + 1).fill(-1);
  cost[0] = 0;
  for (let i = 0; i < n; i++) {
    if (cost[i] === Infinity) continue;
    if (cost[i] + UNKNOWN_UNIT_COST < cost[i + 1]) {
      cost[i + 1] = cost[i] + UNKNOWN_UNIT_COST;
      back[i + 1] = i;
      backNode[i + 1] = -1;
    }
    let node = trie.root;
    for (let j = i; j < n; j++) {
      node = trie.child(node, units[j]);
      if (node < 0) break;
      if (trie.hasWords(node) && cost[i] + WORD_COST < cost[j + 1]) {
        cost[j + 1] = cost[i] + WORD_COST;
        back[j + 1] = i;
        backNode[j + 1] = node;
      }
    }
  }
  const spans: UnitSpan[] = [];
  for (let end = n; end > 0; end = back[end]) {
    const begin = back[end];
    const node = backNode[end];
    const last = spans[spans.length - 1];
    if (node < 0 && last !== undefined && last.node < 0 && last.begin === end)
      last.begin = begin; // merge unknown runs
    else spans.push({ begin, end, node });
  }
  return spans.reverse();
}
