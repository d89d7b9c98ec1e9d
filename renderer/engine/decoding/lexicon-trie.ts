/**
 * A compact prefix tree over phoneme (CTC unit) ids, built from a pronunciation lexicon.
 *
 * Node 0 is the root (no phoneme yet). Each edge carries a unit id = index in the acoustic
 * model's alphabet, so the beam search compares unit ids directly with no string work.
 * A node where a pronunciation ends holds the list of words sharing it (homophones:
 * there / their / they're), most frequent spelling first.
 *
 * Storage (CSR, all typed arrays; CMUdict: ~134k words, ~250k nodes, ~8 MB with the spellings):
 *   childStart (nodes+1)  children of node n are childUnit/childNode[childStart[n] .. childStart[n+1]), sorted by unit
 *   childUnit  (edges)    unit id of the edge
 *   childNode  (edges)    target node
 *   wordStart  (nodes+1)  words ending at node n are wordIds[wordStart[n] .. wordStart[n+1])
 *   wordIds    (prons)    word ids (see `word(id)`)
 *   spellings             a WordTable: every spelling in one string, a hash index over the ids; a
 *                         word's string is made the first time `word(id)` asks for it
 * Build: a first-child / next-sibling tree in growable Int32Arrays, then one compaction pass. No JS
 * object is kept per word or per node, so building CMUdict's tree does not grow V8's heap by
 * 130k strings and map entries (it did: +40 MB of peak RSS for the CLI).
 */

import { forEachLexiconLine, parseWordCounts, type LexiconEntry, type LexiconProblem } from './lexicon';
import { WordTable, WordTableBuilder, type WordTableData } from './word-table';

export const TRIE_ROOT = 0;

/**
 * A LexiconTrie as plain data: structured-clonable, its typed arrays transferable, so that a worker
 * can build the tree and hand it over without a copy (the CLI's model loader does).
 */
export interface LexiconTrieData {
  spellings: WordTableData;
  wordCounts: Float64Array;
  childStart: Int32Array;
  childUnit: Int32Array;
  childNode: Int32Array;
  wordStart: Int32Array;
  wordIdList: Int32Array;
  maxDepth: number;
}

export class LexiconTrie {
  readonly root = TRIE_ROOT;

  /** @internal use LexiconTrieBuilder.build() */
  constructor(
    /** word id ↔ spelling */
    private readonly spellings: WordTable,
    /** word id → count from the word-frequency list (0 when absent) */
    readonly wordCounts: Float64Array,
    private readonly childStart: Int32Array,
    private readonly childUnit: Int32Array,
    private readonly childNode: Int32Array,
    private readonly wordStart: Int32Array,
    private readonly wordIdList: Int32Array,
    /** Longest pronunciation, in units. */
    readonly maxDepth: number,
  ) {}

  /** The tree's own arrays (not copies): transferring them to another thread empties this trie. */
  toData(): LexiconTrieData {
    return {
      spellings: this.spellings.toData(),
      wordCounts: this.wordCounts,
      childStart: this.childStart,
      childUnit: this.childUnit,
      childNode: this.childNode,
      wordStart: this.wordStart,
      wordIdList: this.wordIdList,
      maxDepth: this.maxDepth,
    };
  }

  /** A trie from toData()'s output (e.g. received from a worker); throws on inconsistent sizes. */
  static fromData(d: LexiconTrieData): LexiconTrie {
    const spellings = WordTable.fromData(d.spellings);
    const nodes = d.childStart.length - 1;
    const edges = d.childUnit.length;
    const ok =
      nodes >= 1 &&
      d.wordStart.length === nodes + 1 &&
      d.childNode.length === edges &&
      d.childStart[nodes] === edges &&
      edges === nodes - 1 &&
      d.wordStart[nodes] === d.wordIdList.length &&
      d.wordCounts.length === spellings.size;
    if (!ok) throw new Error("LexiconTrie.fromData: the arrays' sizes do not fit together");
    return new LexiconTrie(
      spellings,
      d.wordCounts,
      d.childStart,
      d.childUnit,
      d.childNode,
      d.wordStart,
      d.wordIdList,
      d.maxDepth,
    );
  }

  private endNodesByWord: Map<number, number[]> | null = null;

  get nodeCount(): number {
    return this.childStart.length - 1;
  }

  /** Number of (word, pronunciation) pairs. */
  get pronunciationCount(): number {
    return this.wordIdList.length;
  }

  /** Number of distinct spellings (word ids are 0 .. wordCount−1). */
  get wordCount(): number {
    return this.spellings.size;
  }

  /** The spelling of word `id`. */
  word(id: number): string {
    return this.spellings.word(id);
  }

  /** Approximate bytes held by the typed arrays and the spellings (strings made by word() not counted). */
  get byteSize(): number {
    return (
      this.childStart.byteLength +
      this.childUnit.byteLength +
      this.childNode.byteLength +
      this.wordStart.byteLength +
      this.wordIdList.byteLength +
      this.wordCounts.byteLength +
      this.spellings.byteSize
    );
  }

  /** Index range [begin, end) of node's children, for `childUnitAt` / `childNodeAt`. */
  childBegin(node: number): number {
    return this.childStart[node];
  }
  childEnd(node: number): number {
    return this.childStart[node + 1];
  }
  childUnitAt(edge: number): number {
    return this.childUnit[edge];
  }
  childNodeAt(edge: number): number {
    return this.childNode[edge];
  }

  /** The child of `node` along `unit`, or -1. Binary search over the sorted edges. */
  child(node: number, unit: number): number {
    let lo = this.childStart[node];
    let hi = this.childStart[node + 1] - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const u = this.childUnit[mid];
      if (u === unit) return this.childNode[mid];
      if (u < unit) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Node reached by a whole unit sequence from the root, or -1. */
  walk(units: ArrayLike<number>): number {
    let node = TRIE_ROOT;
    for (let i = 0; i < units.length && node >= 0; i++) node = this.child(node, units[i]);
    return node;
  }

  /** Word ids ending at `node`, most frequent first (empty when no word ends here). */
  wordsAt(node: number): Int32Array {
    return this.wordIdList.subarray(this.wordStart[node], this.wordStart[node + 1]);
  }

  hasWords(node: number): boolean {
    return this.wordStart[node + 1] > this.wordStart[node];
  }

  wordId(word: string): number | undefined {
    const id = this.spellings.id(word.toLowerCase());
    return id >= 0 ? id : undefined;
  }

  hasWord(word: string): boolean {
    return this.spellings.id(word.toLowerCase()) >= 0;
  }

  /**
   * Alternatives to `chosen` among the words at `node`, scored by add-one smoothed log relative
   * frequency (the no-LM homophone choice), best first.
   */
  /**
   * Unigram log-probability of each word from the word counts, add-0.5 smoothed over the whole
   * lexicon: log((count + 0.5) / (total + 0.5·V)). The decoder's word prior when no LM scorer runs,
   * so that common words beat rare lexicon entries with a similar sound ("in" over "inn", "utt").
   * Computed once, on first use.
   */
  logUnigram(): Float32Array {
    if (this.unigram === null) {
      let total = 0;
      for (let i = 0; i < this.wordCounts.length; i++) total += this.wordCounts[i];
      const denom = total + 0.5 * this.wordCounts.length;
      this.unigram = new Float32Array(this.wordCounts.length);
      for (let i = 0; i < this.wordCounts.length; i++) this.unigram[i] = Math.log((this.wordCounts[i] + 0.5) / denom);
    }
    return this.unigram;
  }

  private unigram: Float32Array | null = null;
  private unigramRange: { lowest: number; top: number } | null = null;
  private look: Float32Array | null = null;

  /** Smallest and largest logUnigram() value (+Infinity and −Infinity for an empty lexicon). Cached. */
  logUnigramRange(): { lowest: number; top: number } {
    if (this.unigramRange === null) {
      const uni = this.logUnigram();
      let lowest = Infinity;
      let top = -Infinity;
      for (let i = 0; i < uni.length; i++) {
        if (uni[i] < lowest) lowest = uni[i];
        if (uni[i] > top) top = uni[i];
      }
      this.unigramRange = { lowest, top };
    }
    return this.unigramRange;
  }

  /**
   * Unigram look-ahead per node: the best logUnigram() of any word in the node's subtree, minus the
   * best overall (so the root is 0 and every node ≤ 0). A beam search adds the change of this value
   * as a hypothesis moves down the tree, so a word's prior is paid as soon as its phonemes narrow the
   * choice, not all at once at the word end, where in-word hypotheses would otherwise win unfairly.
   */
  lookahead(): Float32Array {
    if (this.look === null) {
      const uni = this.logUnigram();
      const n = this.nodeCount;
      const look = new Float32Array(n).fill(-Infinity);
      // children have larger ids than their parents (nodes are numbered as they are created),
      // so one backward pass sees every subtree before its root
      for (let node = n - 1; node >= 0; node--) {
        let best = look[node];
        for (let i = this.wordStart[node]; i < this.wordStart[node + 1]; i++) {
          const id = this.wordIdList[i];
          if (uni[id] > best) best = uni[id];
        }
        const end = this.childEnd(node);
        for (let e = this.childBegin(node); e < end; e++) {
          const c = this.childNodeAt(e);
          if (look[c] > best) best = look[c];
        }
        look[node] = best;
      }
      const top = look[TRIE_ROOT];
      for (let i = 0; i < n; i++) look[i] = look[i] === -Infinity ? 0 : look[i] - top;
      this.look = look;
    }
    return this.look;
  }

  /**
   * The most probable word (by logUnigram()) among the words ending at `node` or below it: what a
   * partial result shows for a word still being spoken. -1 when no word is there (a trie built from
   * pronunciations always has one). Follows the look-ahead down the tree: ≤ maxDepth levels, no
   * table of its own. Ties go to the shorter word, then to the lower unit, then to the more frequent
   * spelling (wordsAt order).
   */
  bestWordUnder(node: number): number {
    const uni = this.logUnigram();
    const look = this.lookahead();
    const top = this.logUnigramRange().top;
    for (let n = node; ;) {
      let own = -1;
      for (let i = this.wordStart[n]; i < this.wordStart[n + 1]; i++) {
        const id = this.wordIdList[i];
        if (own < 0 || uni[id] > uni[own]) own = id;
      }
      let next = -1;
      const end = this.childEnd(n);
      for (let e = this.childBegin(n); e < end; e++) {
        const c = this.childNodeAt(e);
        if (next < 0 || look[c] > look[next]) next = c;
      }
      // look[] is relative to the best word overall (top), in float32
      if (next < 0 || (own >= 0 && Math.fround(uni[own] - top) >= look[next])) return own;
      n = next;
    }
  }

  frequencyAlternatives(node: number, chosen: number): Array<{ word: string; score: number; probability: number }> {
    const ids = this.wordsAt(node);
    if (ids.length < 2) return [];
    let total = 0;
    for (const id of ids) total += this.wordCounts[id] + 1;
    const out: Array<{ word: string; score: number; probability: number }> = [];
    for (const id of ids) {
      if (id === chosen) continue;
      const share = (this.wordCounts[id] + 1) / total; // the whole homophone set, the chosen word included
      out.push({ word: this.word(id), score: Math.log(share), probability: share });
    }
    return out;
  }

  /** Every spelling that shares at least one pronunciation with `word` (excluding `word`). */
  homophonesOf(word: string): string[] {
    const id = this.wordId(word);
    if (id === undefined) return [];
    const out = new Set<number>();
    for (const node of this.endNodesOf(id)) for (const other of this.wordsAt(node)) if (other !== id) out.add(other);
    return [...out].map((w) => this.word(w));
  }

  /** Nodes where the word's pronunciations end (built lazily on first use: only the character decoder needs it). */
  endNodesOf(wordId: number): readonly number[] {
    if (this.endNodesByWord === null) {
      const map = new Map<number, number[]>();
      for (let n = 0; n < this.nodeCount; n++) {
        for (let i = this.wordStart[n]; i < this.wordStart[n + 1]; i++) {
          const w = this.wordIdList[i];
          const list = map.get(w);
          if (list) list.push(n);
          else map.set(w, [n]);
        }
      }
      this.endNodesByWord = map;
    }
    return this.endNodesByWord.get(wordId) ?? [];
  }
}

export interface TrieAddProblem {
  word: string;
  reason: string;
}

/**
 * Accumulates pronunciations, then freezes them into a LexiconTrie.
 * `alphabet` is the acoustic model's unit list (may contain a blank and other non-phoneme
 * symbols); a pronunciation using a phoneme absent from it is refused and reported.
 */
export class LexiconTrieBuilder {
  private readonly unitOf = new Map<string, number>();
  private readonly words: WordTableBuilder;
  // Growable tree: first-child / next-sibling, plus a per-node linked list of words.
  private firstChild: Int32Array<ArrayBuffer>;
  private nextSibling: Int32Array<ArrayBuffer>;
  private edgeUnit: Int32Array<ArrayBuffer>;
  private wordHead: Int32Array<ArrayBuffer>; // index into wordLinkId / wordLinkNext
  private nodes = 1;
  private wordLinkId: Int32Array<ArrayBuffer>;
  private wordLinkNext: Int32Array<ArrayBuffer>;
  private links = 0;
  private maxDepth = 0;
  readonly problems: TrieAddProblem[] = [];

  /**
   * @param expectedPronunciations sizes the growable arrays up front (about 1.9 nodes per
   * pronunciation in CMUdict), so that a big lexicon is not built through a series of copies
   */
  constructor(alphabet: readonly string[], expectedPronunciations = 1 << 15) {
    alphabet.forEach((symbol, i) => this.unitOf.set(symbol.toUpperCase(), i));
    const prons = Math.max(16, Math.ceil(expectedPronunciations));
    this.words = new WordTableBuilder(prons);
    const nodes = 2 * prons;
    this.firstChild = new Int32Array(nodes).fill(-1);
    this.nextSibling = new Int32Array(nodes).fill(-1);
    this.edgeUnit = new Int32Array(nodes);
    this.wordHead = new Int32Array(nodes).fill(-1);
    this.wordLinkId = new Int32Array(prons);
    this.wordLinkNext = new Int32Array(prons);
  }

  hasWord(word: string): boolean {
    return this.words.find(word) >= 0;
  }

  /** Adds one pronunciation. Returns false (and records a problem) if a phoneme is not in the alphabet. */
  add(word: string, phonemes: readonly string[]): boolean {
    if (phonemes.length === 0) {
      this.problems.push({ word, reason: 'no pronunciation' });
      return false;
    }
    const units = new Array<number>(phonemes.length);
    for (let i = 0; i < phonemes.length; i++) {
      const u = this.unitOf.get(phonemes[i]);
      if (u === undefined) {
        this.problems.push({ word, reason: `phoneme '${phonemes[i]}' is not in the model alphabet` });
        return false;
      }
      units[i] = u;
    }
    let node = TRIE_ROOT;
    for (const u of units) node = this.childOrCreate(node, u);
    if (units.length > this.maxDepth) this.maxDepth = units.length;
    const id = this.words.intern(word);
    // true when the word is already listed at this node (a duplicate)
    for (let l = this.wordHead[node]; l >= 0; l = this.wordLinkNext[l]) if (this.wordLinkId[l] === id) return true;
    if (this.links === this.wordLinkId.length) {
      this.wordLinkId = grow(this.wordLinkId, 0);
      this.wordLinkNext = grow(this.wordLinkNext, 0);
    }
    // Append at the tail so that ties in frequency keep lexicon order.
    const link = this.links++;
    this.wordLinkId[link] = id;
    this.wordLinkNext[link] = -1;
    if (this.wordHead[node] < 0) this.wordHead[node] = link;
    else {
      let l = this.wordHead[node];
      while (this.wordLinkNext[l] >= 0) l = this.wordLinkNext[l];
      this.wordLinkNext[l] = link;
    }
    return true;
  }

  addEntries(entries: readonly LexiconEntry[]): void {
    for (const e of entries) this.add(e.word, e.phonemes);
  }

  private childOrCreate(node: number, unit: number): number {
    let prev = -1;
    for (let c = this.firstChild[node]; c >= 0; c = this.nextSibling[c]) {
      if (this.edgeUnit[c] === unit) return c;
      prev = c;
    }
    if (this.nodes === this.firstChild.length) {
      this.firstChild = grow(this.firstChild, -1);
      this.nextSibling = grow(this.nextSibling, -1);
      this.edgeUnit = grow(this.edgeUnit, 0);
      this.wordHead = grow(this.wordHead, -1);
    }
    const c = this.nodes++;
    this.edgeUnit[c] = unit;
    if (prev < 0) this.firstChild[node] = c;
    else this.nextSibling[prev] = c;
    return c;
  }

  /**
   * Freezes the tree. `wordCounts` orders homophones (most frequent first; ties keep lexicon order).
   * The builder can be reused afterwards (e.g. to add a user lexicon and build again).
   */
  build(wordCounts?: ReadonlyMap<string, number>): LexiconTrie {
    const n = this.nodes;
    const counts = new Float64Array(this.words.size);
    if (wordCounts) {
      for (const [word, count] of wordCounts) {
        const id = this.words.find(word);
        if (id >= 0) counts[id] = count;
      }
    }

    const childStart = new Int32Array(n + 1);
    for (let node = 0; node < n; node++) {
      let k = 0;
      for (let c = this.firstChild[node]; c >= 0; c = this.nextSibling[c]) k++;
      childStart[node + 1] = childStart[node] + k;
    }
    const edges = childStart[n];
    const childUnit = new Int32Array(edges);
    const childNode = new Int32Array(edges);
    for (let node = 0; node < n; node++) {
      let e = childStart[node];
      const begin = e;
      for (let c = this.firstChild[node]; c >= 0; c = this.nextSibling[c]) {
        // insertion sort by unit: fan-out is small (≤ 39)
        let j = e++;
        const u = this.edgeUnit[c];
        while (j > begin && childUnit[j - 1] > u) {
          childUnit[j] = childUnit[j - 1];
          childNode[j] = childNode[j - 1];
          j--;
        }
        childUnit[j] = u;
        childNode[j] = c;
      }
    }

    const wordStart = new Int32Array(n + 1);
    const wordIdList = new Int32Array(this.links);
    let w = 0;
    for (let node = 0; node < n; node++) {
      wordStart[node] = w;
      const begin = w;
      for (let l = this.wordHead[node]; l >= 0; l = this.wordLinkNext[l]) {
        const id = this.wordLinkId[l];
        let j = w++;
        while (j > begin && counts[wordIdList[j - 1]] < counts[id]) {
          wordIdList[j] = wordIdList[j - 1];
          j--;
        }
        wordIdList[j] = id;
      }
    }
    wordStart[n] = w;
    return new LexiconTrie(
      this.words.freeze(),
      counts,
      childStart,
      childUnit,
      childNode,
      wordStart,
      wordIdList,
      this.maxDepth,
    );
  }
}

function grow(a: Int32Array<ArrayBuffer>, fill: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}

export interface LexiconSources {
  /** The model's unit alphabet (phonemes, plus blank etc.). */
  alphabet: readonly string[];
  /** Main lexicon text (CMUdict format). */
  lexicon: string;
  /** Optional user lexicon, same format; merged over the main one. */
  userLexicon?: string;
  /** Optional `word<TAB>count` text choosing the default spelling among homophones. */
  wordCounts?: string;
}

export interface BuiltLexicon {
  trie: LexiconTrie;
  /**
   * Words listed without a pronunciation (in either lexicon) that have none anywhere:
   * they cannot be recognized by a phoneme model until the user gives one.
   */
  unknown: string[];
  /** Lines or entries that were refused, with reasons. */
  problems: Array<LexiconProblem | TrieAddProblem>;
}

/** Parses and merges the lexicon sources into one trie (CMUdict: ~0.3-0.5 s in total). */
export function buildLexiconTrie(sources: LexiconSources): BuiltLexicon {
  const builder = new LexiconTrieBuilder(
    sources.alphabet,
    countLines(sources.lexicon) + (sources.userLexicon !== undefined ? countLines(sources.userLexicon) : 0),
  );
  const problems: Array<LexiconProblem | TrieAddProblem> = [];
  const unknownCandidates = new Set<string>();
  // entries go straight into the tree as they are parsed (CMUdict: 135k of them never held at once)
  const visitor = {
    entry: (word: string, phonemes: string[]) => {
      builder.add(word, phonemes);
    },
    unknown: (word: string) => {
      unknownCandidates.add(word);
    },
    problem: (p: LexiconProblem) => {
      problems.push(p);
    },
  };
  forEachLexiconLine(sources.lexicon, visitor);
  if (sources.userLexicon !== undefined) forEachLexiconLine(sources.userLexicon, visitor, { upperCasePhonemes: true });
  problems.push(...builder.problems);
  const unknown = [...unknownCandidates].filter((w) => !builder.hasWord(w));
  const counts = sources.wordCounts !== undefined ? parseWordCounts(sources.wordCounts) : undefined;
  return { trie: builder.build(counts), unknown, problems };
}

/** Line breaks + 1: an upper bound of a lexicon text's entries. */
function countLines(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
