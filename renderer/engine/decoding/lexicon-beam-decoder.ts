/**
 * CTC prefix beam search for phoneme models, constrained by a lexicon prefix tree.
 *
 * A hypothesis sits at a trie node (the phonemes of the word in progress; the root between
 * words) with a word history. Per step, for each hypothesis and each unit u that passes the
 * pruning threshold:
 *   blank            → same state, P_b  += P(prefix)·P(blank)
 *   u = last unit    → same state, P_nb += P_nb·P(u)            (CTC repeat, collapsed)
 *   u a trie child   → child node, P_nb += (P_b if u = last unit else P)·P(u)
 * and when the child node ends words, the hypothesis may also emit a word and return to the
 * root ("emit"): with a Scorer every homophone there becomes its own hypothesis scored
 * alpha·log P_LM + beta (all requests of the step in ONE scorer.score call); without one, the
 * most frequent spelling is emitted and the others become `alternatives`.
 * Hypotheses with identical (trie node, word history, last unit) merge (log-add of their
 * acoustic probabilities; the LM part is equal since it depends on the history only).
 * The beam keeps the `beamWidth` best, and none below best − `beamLogProb`.
 *
 * Word times: start = first frame of the first phoneme, end = last frame of the last phoneme
 * (repeats after the emission extend it). Confidence: see DecodedWord.confidence.
 */

import {
  checkLogProbs, EMPTY_DECODE_RESULT, joinWords, logAddExp,
  type CtcAlphabet, type CtcDecoder, type DecodeResult, type WordAlternative,
} from './decode-result';
import { HotwordBooster, type Hotword } from './hotwords';
import { TRIE_ROOT, type LexiconTrie } from './lexicon-trie';
import type { LmContext, Scorer, ScoreRequest, ScoreResponse } from './scorer';
import {
  EMPTY_HISTORY, historyToWords, unitsToArray, WordHistoryInterner, type UnitLink, type WordLink,
} from './word-history';

export interface LexiconBeamDecoderConfig {
  /** Seconds of audio per acoustic step. */
  secondsPerStep: number;
  /** Hypotheses kept after each step. */
  beamWidth: number;
  /** Units whose log-probability at a step is below this are not expanded (blank always is). */
  pruneLogProb: number;
  /** Hypotheses scoring below (best − beamLogProb) are dropped. */
  beamLogProb: number;
  /** Log-domain bonus (> 0) or penalty (< 0) added per emitted word, with or without a scorer. */
  wordBonus: number;
  /** Words / phrases boosted when emitted. Words absent from the lexicon are listed by `unknownHotwords`. */
  hotwords: Hotword[];
  /** Homophone alternatives kept per word. */
  maxAlternatives: number;
  /**
   * At finalize, a hypothesis stopped inside a word (e.g. a forced split) competes with the
   * hypotheses between words at this log-domain penalty; if it wins, its phonemes are flushed
   * as an unknown `/PH PH/` word.
   */
  unfinishedWordPenalty: number;
  /**
   * Weight of the lexicon's unigram word prior (log relative frequency from the word counts) added
   * at each word end when no LM scorer is set; 0 turns it off (pure acoustics + lexicon). Ignored
   * with a scorer, whose LM already scores every word.
   */
  unigramWeight: number;
  /** With a scorer: weight (× alpha) of the unigram look-ahead inside words; 0 turns it off. */
  lmLookahead: number;
}

export function defaultLexiconBeamConfig(): LexiconBeamDecoderConfig {
  return {
    secondsPerStep: 0.03,
    beamWidth: 12,
    pruneLogProb: -8,
    beamLogProb: 16,
    wordBonus: 0,
    hotwords: [],
    maxAlternatives: 3,
    unfinishedWordPenalty: 4,
    unigramWeight: 0,
    lmLookahead: 0,
  };
}

interface Hyp {
  node: number;
  /** Last emitted unit (for the CTC repeat rule), -1 at start. */
  lastUnit: number;
  hist: WordLink | null;
  histId: number;
  pB: number;
  pNB: number;
  /** Σ LM terms, word bonuses and hotword bonuses so far. */
  lm: number;
  ctx: LmContext | null;
  // the word in progress (node ≠ root)
  wordStartStep: number;
  confSum: number;
  nUnits: number;
  lastUnitPeak: number;
  /** Step of the last frame of a non-separator unit, -1 when none. */
  lastUnitStep: number;
  units: UnitLink | null;
}

const enum Kind { Blank, Repeat, Extend, Emit, Separator }

/** A hypothesis of the next step, before it is materialized (only survivors are). */
interface Cand {
  key: number;
  pB: number;
  pNB: number;
  lm: number;
  lmKnown: boolean;
  ctx: LmContext | null;
  node: number;
  histId: number;
  lastUnit: number;
  // best contributor
  src: Hyp;
  srcScore: number;
  kind: Kind;
  wordId: number;
  /** Node the word was emitted from (Emit), for alternatives. */
  wordNode: number;
  score: number;
}

const RESOLVED: Promise<void> = Promise.resolve();

export class LexiconBeamDecoder implements CtcDecoder {
  readonly isAsync: boolean;
  private readonly k: number;
  private readonly blank: number;
  private readonly separator: number;
  private readonly booster: HotwordBooster;
  private readonly interner = new WordHistoryInterner();
  private readonly allowed: Uint8Array;
  /** Unigram log-prior per word id (no scorer and unigramWeight ≠ 0), else null. */
  private readonly unigram: Float32Array | null;
  /** Lowest unigram log-prior (a word with no count): what an unfinished word pays with the prior on. */
  private readonly unseenLogPrior: number;
  private readonly unigramTop: number;
  /** Per-node unigram look-ahead (≤ 0, root 0) and its weight; null when off. */
  private readonly look: Float32Array | null;
  private readonly lookWeight: number;
  /** The step being decoded, copied (K) so that materialize() after an await never reads a reused buffer. */
  private readonly row: Float32Array;
  private beam: Hyp[] = [];
  private steps = 0;
  private offsetSeconds = 0;
  private generation = 0;
  private inFlight: Promise<void> | null = null;
  private cachedPartial: DecodeResult | null = null;
  private finalResult: DecodeResult | null = null;
  /** LM terms of this step: `${ctxId}:${wordId}` → alpha·logP + beta and next context. */
  private lmTerms = new Map<string, { term: number; next: LmContext }>();

  constructor(
    private readonly alphabet: CtcAlphabet,
    private readonly trie: LexiconTrie,
    private readonly config: LexiconBeamDecoderConfig = defaultLexiconBeamConfig(),
    private readonly scorer: Scorer | null = null,
  ) {
    this.k = alphabet.alphabet.length;
    this.blank = alphabet.blank;
    this.separator = alphabet.wordSeparator !== undefined ? alphabet.alphabet.indexOf(alphabet.wordSeparator) : -1;
    this.booster = new HotwordBooster(config.hotwords);
    this.allowed = new Uint8Array(this.k);
    this.row = new Float32Array(this.k);
    this.isAsync = scorer !== null;
    this.unigram = scorer === null && config.unigramWeight !== 0 ? trie.logUnigram() : null;
    this.unseenLogPrior = this.unigram !== null ? this.unigram.reduce((m, v) => (v < m ? v : m), 0) : 0;
    this.unigramTop = this.unigram !== null ? this.unigram.reduce((m, v) => (v > m ? v : m), -Infinity) : 0;
    // Look-ahead: the unigram prior spread along the tree. Without a scorer it is the word prior
    // itself; with one it stands in for alpha·log P_LM until the word end, where the LM term replaces it.
    this.lookWeight = scorer === null ? config.unigramWeight : scorer.alpha * config.lmLookahead;
    this.look = this.lookWeight !== 0 ? trie.lookahead() : null;
    this.reset(0);
  }

  /** Hotword words that the lexicon cannot produce (they will never be boosted). */
  get unknownHotwords(): string[] {
    return this.booster.words().filter((w) => !this.trie.hasWord(w));
  }

  get stepsDecoded(): number {
    return this.steps;
  }

  reset(offsetSeconds = 0): void {
    this.generation++;
    this.inFlight = null;
    this.offsetSeconds = offsetSeconds;
    this.steps = 0;
    this.interner.clear();
    this.lmTerms.clear();
    this.cachedPartial = EMPTY_DECODE_RESULT;
    this.finalResult = null;
    this.beam = [{
      node: TRIE_ROOT, lastUnit: -1, hist: null, histId: EMPTY_HISTORY, pB: 0, pNB: -Infinity, lm: 0,
      ctx: this.scorer ? this.scorer.start() : null,
      wordStartStep: 0, confSum: 0, nUnits: 0, lastUnitPeak: 0, lastUnitStep: -1, units: null,
    }];
  }

  next(logProbs: Float32Array, steps: number): Promise<void> {
    checkLogProbs(logProbs, steps, this.k);
    if (this.inFlight !== null) {
      const copy = logProbs.slice(0, steps * this.k);
      const gen = this.generation;
      return this.track(this.inFlight.then(() => (gen === this.generation ? this.run(copy, 0, steps, gen) : undefined)));
    }
    return this.run(logProbs, 0, steps, this.generation);
  }

  nextSync(logProbs: Float32Array, steps: number): void {
    if (this.scorer) throw new Error('LexiconBeamDecoder.nextSync: a scorer is set, use next()');
    checkLogProbs(logProbs, steps, this.k);
    void this.run(logProbs, 0, steps, this.generation);
  }

  private track(p: Promise<void>): Promise<void> {
    this.inFlight = p;
    const clear = (): void => {
      if (this.inFlight === p) this.inFlight = null;
    };
    p.then(clear, clear);
    return p;
  }

  /** Runs steps [s, steps) synchronously until one needs the scorer, then continues asynchronously. */
  private run(logProbs: Float32Array, s: number, steps: number, gen: number): Promise<void> {
    const k = this.k;
    for (; s < steps; s++) {
      this.finalResult = null;
      const cands = this.expand(logProbs, s * k);
      const requests = this.pendingRequests(cands);
      if (requests.length > 0) {
        const rest = logProbs.slice((s + 1) * k, steps * k); // the caller may reuse its buffer
        const remaining = steps - s - 1;
        const p = this.scorer!.score(requests).then((responses) => {
          if (gen !== this.generation) return;
          this.applyResponses(cands, requests, responses);
          this.select(cands);
          return this.run(rest, 0, remaining, gen);
        });
        return this.inFlight === null ? this.track(p) : p;
      }
      this.select(cands);
    }
    return RESOLVED;
  }

  /** All candidate hypotheses of the next step (merged by key), from logProbs[row .. row+K). */
  private expand(lp: Float32Array, row: number): Cand[] {
    const { trie, k, blank, allowed } = this;
    const prune = this.config.pruneLogProb;
    for (let u = 0; u < k; u++) allowed[u] = u !== blank && lp[row + u] >= prune ? 1 : 0;
    const lpBlank = lp[row + blank];
    this.row.set(lp.subarray(row, row + k));
    const map = new Map<number, Cand>();
    const nodeSlots = trie.nodeCount;
    const unitSlots = k + 1;
    const t = this.steps;
    // LM terms persist across steps (contexts are immutable, so a (context, word) term never changes):
    // a word emitted again at a later step, merged into an existing hypothesis, still finds the terms
    // of its homophones for `alternatives`, and repeated requests skip the scorer. Bounded.
    if (this.lmTerms.size > 50_000) this.lmTerms.clear();
    const beamLogProb = this.config.beamLogProb;
    let best = -Infinity; // best contribution so far: candidates below best − beamLogProb cannot survive

    const add = (
      src: Hyp, kind: Kind, node: number, histId: number, lastUnit: number, pB: number, pNB: number,
      lm: number, lmKnown: boolean, ctx: LmContext | null, wordId: number, wordNode: number,
    ): void => {
      const contribution = (pB > pNB ? pB : pNB) + lm;
      if (contribution < best - beamLogProb) return;
      if (contribution > best) best = contribution;
      const key = (histId * nodeSlots + node) * unitSlots + (lastUnit + 1);
      let c = map.get(key);
      if (c === undefined) {
        c = {
          key, pB, pNB, lm, lmKnown, ctx, node, histId, lastUnit,
          src, srcScore: contribution, kind, wordId, wordNode, score: 0,
        };
        map.set(key, c);
        return;
      }
      c.pB = logAddExp(c.pB, pB);
      c.pNB = logAddExp(c.pNB, pNB);
      if (!c.lmKnown && lmKnown) {
        c.lm = lm;
        c.ctx = ctx;
        c.lmKnown = true;
      }
      if (contribution > c.srcScore) {
        c.srcScore = contribution;
        c.src = src;
        c.kind = kind;
        c.wordId = wordId;
        c.wordNode = wordNode;
      }
    };

    for (const h of this.beam) {
      const total = logAddExp(h.pB, h.pNB);
      add(h, Kind.Blank, h.node, h.histId, h.lastUnit, total + lpBlank, -Infinity, h.lm, true, h.ctx, -1, -1);
      if (h.lastUnit >= 0 && allowed[h.lastUnit] && h.pNB > -Infinity) {
        add(h, Kind.Repeat, h.node, h.histId, h.lastUnit, -Infinity, h.pNB + lp[row + h.lastUnit], h.lm, true, h.ctx, -1, -1);
      }
      if (h.node === TRIE_ROOT && this.separator >= 0 && allowed[this.separator] && h.lastUnit !== this.separator) {
        add(h, Kind.Separator, TRIE_ROOT, h.histId, this.separator, -Infinity, total + lp[row + this.separator], h.lm, true, h.ctx, -1, -1);
      }
      const look = this.look;
      const w = this.lookWeight;
      const laH = look !== null ? w * look[h.node] : 0;   // look-ahead already paid inside the current word
      const end = trie.childEnd(h.node);
      for (let e = trie.childBegin(h.node); e < end; e++) {
        const u = trie.childUnitAt(e);
        if (!allowed[u]) continue;
        const from = u === h.lastUnit ? h.pB : total;
        if (from === -Infinity) continue;
        const p = from + lp[row + u];
        if (p + h.lm < best - beamLogProb) continue;
        const child = trie.childNodeAt(e);
        add(h, Kind.Extend, child, h.histId, u, -Infinity, p, look !== null ? h.lm - laH + w * look[child] : h.lm, true, h.ctx, -1, -1);
        if (!trie.hasWords(child)) continue;
        const ids = trie.wordsAt(child);
        const n = this.scorer ? ids.length : 1; // without a scorer only the most frequent spelling
        for (let i = 0; i < n; i++) {
          const word = trie.words[ids[i]];
          const histId = this.interner.intern(h.histId, word);
          const bonus = this.config.wordBonus + (this.booster.size > 0 ? this.booster.bonus(word, historyWord(h.hist)) : 0)
            + (this.unigram !== null ? w * (this.unigram[ids[i]] - this.unigramTop) : 0);
          // the word's prior replaces the look-ahead paid on the way down (with a scorer, its LM term comes later)
          add(h, Kind.Emit, TRIE_ROOT, histId, u, -Infinity, p, h.lm - laH + bonus, this.scorer === null, h.ctx, ids[i], child);
        }
      }
    }
    const cands = [...map.values()];
    for (const c of cands) c.score = logAddExp(c.pB, c.pNB) + c.lm;
    return cands;
  }

  /**
   * LM requests for the candidates whose LM term is unknown, skipping those that could not enter
   * the beam even with log P_LM = 0 (upper bound score + beta below the known cut-off).
   */
  private pendingRequests(cands: Cand[]): ScoreRequest[] {
    if (this.scorer === null) return [];
    const known: number[] = [];
    for (const c of cands) if (c.lmKnown) known.push(c.score);
    known.sort((a, b) => b - a);
    const best = known.length > 0 ? known[0] : -Infinity;
    let cutoff = best - this.config.beamLogProb;
    if (known.length >= this.config.beamWidth) cutoff = Math.max(cutoff, known[this.config.beamWidth - 1]);
    const requests: ScoreRequest[] = [];
    const seen = new Map<string, number>();
    const beta = this.scorer.beta;
    for (const c of cands) {
      if (c.lmKnown) continue;
      if (c.score + beta < cutoff) {
        c.score = -Infinity; // cannot survive: drop without asking the LM
        continue;
      }
      const key = c.src.ctx!.id + ':' + c.wordId;
      const known = this.lmTerms.get(key);
      if (known !== undefined) {
        c.lm += known.term;
        c.ctx = known.next;
        c.lmKnown = true;
        c.score = logAddExp(c.pB, c.pNB) + c.lm;
        continue;
      }
      if (!seen.has(key)) {
        seen.set(key, requests.length);
        requests.push({ context: c.src.ctx!, word: this.trie.words[c.wordId] });
      }
    }
    return requests;
  }

  private applyResponses(cands: Cand[], requests: ScoreRequest[], responses: ScoreResponse[]): void {
    const { alpha, beta } = this.scorer!;
    if (responses.length !== requests.length) {
      throw new Error(`Scorer.score returned ${responses.length} results for ${requests.length} requests`);
    }
    for (let i = 0; i < requests.length; i++) {
      const r = requests[i];
      const wordId = this.trie.wordId(r.word)!;
      this.lmTerms.set(r.context.id + ':' + wordId, { term: alpha * responses[i].logProb + beta, next: responses[i].next });
    }
    for (const c of cands) {
      if (c.lmKnown || c.score === -Infinity) continue;
      const term = this.lmTerms.get(c.src.ctx!.id + ':' + c.wordId)!;
      c.lm += term.term;
      c.ctx = term.next;
      c.lmKnown = true;
      c.score = logAddExp(c.pB, c.pNB) + c.lm;
    }
  }

  /** Keeps the best candidates and turns them into hypotheses. */
  private select(cands: Cand[]): void {
    cands.sort((a, b) => b.score - a.score);
    const best = cands.length > 0 ? cands[0].score : -Infinity;
    const cutoff = best - this.config.beamLogProb;
    const beam: Hyp[] = [];
    for (let i = 0; i < cands.length && beam.length < this.config.beamWidth; i++) {
      const c = cands[i];
      if (c.score < cutoff || c.score === -Infinity) break;
      beam.push(this.materialize(c));
    }
    this.beam = beam;
    this.steps++;
    this.cachedPartial = null;
  }

  private materialize(c: Cand): Hyp {
    const s = c.src;
    const t = this.steps;
    const h: Hyp = {
      node: c.node, lastUnit: c.lastUnit, hist: s.hist, histId: c.histId, pB: c.pB, pNB: c.pNB, lm: c.lm, ctx: c.ctx,
      wordStartStep: s.wordStartStep, confSum: s.confSum, nUnits: s.nUnits, lastUnitPeak: s.lastUnitPeak,
      lastUnitStep: s.lastUnitStep, units: s.units,
    };
    switch (c.kind) {
      case Kind.Blank:
      case Kind.Separator:
        if (c.kind === Kind.Separator) h.units = { unit: c.lastUnit, step: t, prev: s.units };
        break;
      case Kind.Repeat: {
        const p = this.posterior(c.lastUnit);
        if (s.node !== TRIE_ROOT && p > s.lastUnitPeak) {
          h.confSum += p - s.lastUnitPeak;
          h.lastUnitPeak = p;
        }
        if (c.lastUnit !== this.separator) h.lastUnitStep = t;
        break;
      }
      case Kind.Extend:
      case Kind.Emit: {
        const p = this.posterior(c.lastUnit);
        if (s.node === TRIE_ROOT) {
          h.hist = closeLastWord(s.hist, s.lastUnitStep);
          h.wordStartStep = t;
          h.confSum = p;
          h.nUnits = 1;
        } else {
          h.confSum += p;
          h.nUnits++;
        }
        h.lastUnitPeak = p;
        h.lastUnitStep = t;
        h.units = { unit: c.lastUnit, step: t, prev: s.units };
        if (c.kind === Kind.Emit) {
          h.hist = {
            id: c.histId, prev: h.hist, word: this.trie.words[c.wordId], startStep: h.wordStartStep, endStep: t + 1,
            confidence: h.confSum / h.nUnits, unknown: false, alternatives: this.alternatives(c, s),
          };
        }
        break;
      }
    }
    return h;
  }

  /** exp of the current step's log-probability of `unit` (0..1). */
  private posterior(unit: number): number {
    return Math.exp(this.row[unit]);
  }

  private alternatives(c: Cand, src: Hyp): WordAlternative[] | undefined {
    const max = this.config.maxAlternatives;
    if (max <= 0 || this.trie.wordsAt(c.wordNode).length < 2) return undefined;
    if (this.scorer === null) return this.trie.frequencyAlternatives(c.wordNode, c.wordId).slice(0, max);
    const out: WordAlternative[] = [];
    for (const id of this.trie.wordsAt(c.wordNode)) {
      if (id === c.wordId) continue;
      const term = this.lmTerms.get(src.ctx!.id + ':' + id);
      if (term) out.push({ word: this.trie.words[id], score: term.term });
    }
    return out.sort((a, b) => b.score - a.score).slice(0, max);
  }

  trailingBlankSteps(): number {
    const best = this.bestHyp();
    return best === null ? this.steps : this.steps - 1 - best.lastUnitStep;
  }

  private bestHyp(): Hyp | null {
    // the beam is sorted by score after each step
    return this.beam.length > 0 ? this.beam[0] : null;
  }

  partial(): DecodeResult {
    if (this.finalResult !== null) return this.finalResult;
    if (this.cachedPartial === null) {
      const best = this.bestHyp();
      this.cachedPartial = best === null ? EMPTY_DECODE_RESULT : this.resultOf(best, false);
    }
    return this.cachedPartial;
  }

  async finalize(): Promise<DecodeResult> {
    while (this.inFlight !== null) await this.inFlight;
    if (this.finalResult !== null) return this.finalResult;
    const finals = this.finalCandidates();
    if (this.scorer === null || finals.length === 0) return this.pickFinal(finals, null);
    const gen = this.generation;
    const { alpha, beta } = this.scorer;
    const extra = finals.map(() => 0);
    const contexts = finals.map((h) => h.ctx!);
    // An unfinished word is scored like any word the LM does not know (<unk>), so that it
    // competes fairly with hypotheses whose last word paid its LM cost.
    const unfinished = finals.flatMap((h, i) => (h.node !== TRIE_ROOT && h.nUnits > 0 ? [i] : []));
    if (unfinished.length > 0) {
      const responses = await this.scorer.score(unfinished.map((i) => ({ context: contexts[i], word: this.unfinishedWord(finals[i]) })));
      if (gen !== this.generation) return EMPTY_DECODE_RESULT;
      unfinished.forEach((i, j) => {
        extra[i] += alpha * responses[j].logProb + beta;
        contexts[i] = responses[j].next;
      });
    }
    if (this.scorer.scoreEnd) {
      const eos = await this.scorer.scoreEnd(contexts);
      if (gen !== this.generation) return EMPTY_DECODE_RESULT;
      eos.forEach((lp, i) => (extra[i] += alpha * lp));
    }
    return this.pickFinal(finals, extra);
  }

  finalizeSync(): DecodeResult {
    if (this.scorer) throw new Error('LexiconBeamDecoder.finalizeSync: a scorer is set, use finalize()');
    if (this.finalResult !== null) return this.finalResult;
    return this.pickFinal(this.finalCandidates(), null);
  }

  /** Every hypothesis; those inside a word pay unfinishedWordPenalty (see pickFinal). */
  private finalCandidates(): Hyp[] {
    return this.beam.slice();
  }

  private pickFinal(finals: Hyp[], extra: number[] | null): DecodeResult {
    let best = -1;
    let bestScore = -Infinity;
    finals.forEach((h, i) => {
      // with the unigram prior on, an unfinished word also pays the prior of a word never seen (less the look-ahead already paid)
      const unseen = this.unigram !== null ? this.lookWeight * (this.unseenLogPrior - this.unigramTop) - (this.look !== null ? this.lookWeight * this.look[h.node] : 0) : 0;
      const unfinished = h.node === TRIE_ROOT ? 0 : this.config.unfinishedWordPenalty - unseen;
      const s = logAddExp(h.pB, h.pNB) + h.lm + (extra ? extra[i] : 0) - unfinished;
      if (s > bestScore) {
        bestScore = s;
        best = i;
      }
    });
    this.finalResult = best < 0 ? EMPTY_DECODE_RESULT : this.resultOf(finals[best], true);
    return this.finalResult;
  }

  /** The phonemes of h's word in progress, shown as `/PH PH/`. */
  private unfinishedWord(h: Hyp): string {
    const symbols: string[] = [];
    let l = h.units;
    for (let i = 0; i < h.nUnits && l !== null; l = l.prev) {
      if (l.unit === this.separator) continue;
      symbols.push(this.alphabet.alphabet[l.unit]);
      i++;
    }
    return '/' + symbols.reverse().join(' ') + '/';
  }

  private resultOf(h: Hyp, flushPartialWord: boolean): DecodeResult {
    let hist = h.node === TRIE_ROOT ? closeLastWord(h.hist, h.lastUnitStep) : h.hist;
    if (flushPartialWord && h.node !== TRIE_ROOT && h.nUnits > 0) {
      hist = {
        id: -1, prev: hist, word: this.unfinishedWord(h), startStep: h.wordStartStep,
        endStep: h.lastUnitStep + 1, confidence: h.confSum / h.nUnits, unknown: true, alternatives: undefined,
      };
    }
    const words = historyToWords(hist, this.offsetSeconds, this.config.secondsPerStep);
    const units = unitsToArray(h.units).filter((u) => u !== this.separator);
    return { words, text: joinWords(words), units };
  }
}

/** Newest-first word accessor over a history, for the hotword booster. */
function historyWord(hist: WordLink | null): (back: number) => string | undefined {
  return (back) => {
    let l = hist;
    for (let i = 0; i < back && l !== null; i++) l = l.prev;
    return l?.word;
  };
}

/** The last word's end extended to the last frame of its final unit (repeats after the emission). */
function closeLastWord(hist: WordLink | null, lastUnitStep: number): WordLink | null {
  if (hist === null || hist.endStep >= lastUnitStep + 1) return hist;
  return { ...hist, endStep: lastUnitStep + 1 };
}
