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
  EMPTY_DECODE_RESULT,
  logAddExp,
  type CtcAlphabet,
  type DecodeResult,
  type WordAlternative,
} from './decode-result';
import { HotwordBooster, type Hotword } from './hotwords';
import { lmLogProbOfTerm, lmWeightsSplittingTies, sharesOfAlternatives } from './homophone-shares';
import { carriedHyp, IncrementalBeamDecoder, mergeCandidate, type BeamHyp } from './incremental-decoder';
import { TRIE_ROOT, type LexiconTrie } from './lexicon-trie';
import type { LmContext, Scorer } from '../../../models/language/scorer';
import { EMPTY_HISTORY, type WordLink } from './word-history';

export interface LexiconBeamDecoderConfig {
  /** Seconds of audio per acoustic step. */
  secondsPerStep: number;
  /** Hypotheses kept after each step. */
  beamWidth: number;
  /** Units whose log-probability at a step is below this are not expanded (blank always is). */
  pruneLogProb: number;
  /** Hypotheses scoring below (best − beamLogProb) are dropped. */
  beamLogProb: number;
  /**
   * Blank penalty: subtracted from the blank's log-probability at every step, in the search only (pruning of
   * the other units, confidences and the acoustic model's output are untouched). A CTC model trained on few
   * hours says blank where it is unsure of the phone; the penalty (> 0) makes the search pay for each blank
   * frame, so a phone path that the posteriors under-rate is kept, i.e. fewer deleted words (too large: more
   * inserted ones). It is the blank's part of the usual "divide the posterior by the prior" correction:
   * k·log prior(blank) with the blank's prior near 1. 0 turns it off.
   */
  blankPenalty: number;
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
  /**
   * Partial results end with the word being spoken, marked `tentative`: the most frequent word
   * under the best hypothesis's prefix-tree node (LexiconTrie.bestWordUnder), so that text appears
   * while the first word is still being said and is revised as audio arrives. Final results never
   * have one. false: partials show whole words only.
   */
  tentativeWords: boolean;
  /**
   * How far (log-domain) a hypothesis that has started a word may trail the best one and still be
   * the one the partial shows (with tentativeWords). 0: only when it is the likelier; log(7/3) ≈ 0.85:
   * from about 30 % likely. The search and the final results are not affected: this moves only when
   * a tentative word first appears, which the first partial after speech onset waits for.
   */
  tentativeMargin: number;
}

export function defaultLexiconBeamConfig(): LexiconBeamDecoderConfig {
  return {
    secondsPerStep: 0.03,
    beamWidth: 12,
    pruneLogProb: -8,
    beamLogProb: 16,
    blankPenalty: 0,
    wordBonus: 0,
    hotwords: [],
    maxAlternatives: 3,
    unfinishedWordPenalty: 4,
    unigramWeight: 0,
    lmLookahead: 0,
    tentativeWords: true,
    tentativeMargin: 0,
  };
}

/** A hypothesis: its word in progress is the path to `node` (the root between words). */
interface Hyp extends BeamHyp {
  node: number;
}

const enum Kind {
  Blank,
  Repeat,
  Extend,
  Emit,
  Separator,
}

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

/** A pool slot for expand(): every field set (one object shape), each overwritten before use. */
function blankCand(src: Hyp): Cand {
  return {
    key: 0,
    pB: -Infinity,
    pNB: -Infinity,
    lm: 0,
    lmKnown: false,
    ctx: null,
    node: 0,
    histId: 0,
    lastUnit: -1,
    src,
    srcScore: -Infinity,
    kind: Kind.Blank,
    wordId: -1,
    wordNode: -1,
    score: 0,
  };
}

export class LexiconBeamDecoder extends IncrementalBeamDecoder<Hyp, Cand, LexiconBeamDecoderConfig> {
  private readonly booster: HotwordBooster;
  /** Unigram log-prior per word id (no scorer and unigramWeight ≠ 0), else null. */
  private readonly unigram: Float32Array | null;
  /** Lowest unigram log-prior (a word with no count): what an unfinished word pays with the prior on. */
  private readonly unseenLogPrior: number;
  private readonly unigramTop: number;
  /** Per-node unigram look-ahead (≤ 0, root 0) and its weight; null when off. */
  private readonly look: Float32Array | null;
  private readonly lookWeight: number;
  /**
   * expand()'s candidates, reused from step to step (a step's candidates are read only until its beam is
   * kept, and the next expand() starts after that): thousands of short-lived objects per step at wide beams
   * kept the garbage collector busy. `candMap` finds a candidate by key; `cands` lists them in creation order.
   */
  private readonly candPool: Cand[] = [];
  private readonly candMap = new Map<number, Cand>();
  private readonly cands: Cand[] = [];

  constructor(
    alphabet: CtcAlphabet,
    private readonly trie: LexiconTrie,
    config: LexiconBeamDecoderConfig = defaultLexiconBeamConfig(),
    scorer: Scorer | null = null,
  ) {
    super(
      'LexiconBeamDecoder',
      alphabet,
      alphabet.wordSeparator !== undefined ? alphabet.alphabet.indexOf(alphabet.wordSeparator) : -1,
      config,
      scorer,
    );
    this.booster = new HotwordBooster(config.hotwords);
    this.unigram = scorer === null && config.unigramWeight !== 0 ? trie.logUnigram() : null;
    // once per trie, not per stream: scanning 134k priors here boxed each one (2-4 MB of garbage per stream)
    const range = this.unigram !== null ? trie.logUnigramRange() : null;
    this.unseenLogPrior = range !== null ? Math.min(0, range.lowest) : 0;
    this.unigramTop = range !== null ? range.top : 0;
    // Look-ahead: the unigram prior spread along the tree. Without a scorer it is the word prior
    // itself; with one it stands in for alpha·log P_LM until the word end, where the LM term replaces it.
    this.lookWeight = scorer === null ? config.unigramWeight : scorer.alpha * config.lmLookahead;
    this.look = this.lookWeight !== 0 ? trie.lookahead() : null;
    this.reset(0);
  }

  protected override initialHyp(): Hyp {
    return {
      node: TRIE_ROOT,
      lastUnit: -1,
      hist: null,
      histId: EMPTY_HISTORY,
      pB: 0,
      pNB: -Infinity,
      lm: 0,
      ctx: this.scorer ? this.scorer.start() : null,
      wordStartStep: 0,
      confSum: 0,
      nUnits: 0,
      lastUnitPeak: 0,
      lastUnitStep: -1,
      units: null,
    };
  }

  protected override requestWord(c: Cand): string {
    return this.trie.word(c.wordId);
  }

  protected override termKey(c: Cand): number {
    return c.wordId;
  }

  protected override requestTermKey(word: string): number {
    return this.trie.wordId(word)!;
  }

  /** Hotword words that the lexicon cannot produce (they will never be boosted). */
  get unknownHotwords(): string[] {
    return this.booster.words().filter((w) => !this.trie.hasWord(w));
  }

  /** All candidate hypotheses of the next step (merged by key), from logProbs[row .. row+K). */
  protected override expand(lp: Float32Array, row: number): Cand[] {
    const { trie, k, blank, allowed } = this;
    const prune = this.config.pruneLogProb;
    for (let u = 0; u < k; u++) allowed[u] = u !== blank && lp[row + u] >= prune ? 1 : 0;
    const lpBlank = lp[row + blank] - this.config.blankPenalty; // see LexiconBeamDecoderConfig.blankPenalty
    this.row.set(lp.subarray(row, row + k));
    const map = this.candMap;
    const list = this.cands;
    const pool = this.candPool;
    map.clear();
    list.length = 0;
    const nodeSlots = trie.nodeCount;
    const unitSlots = k + 1;
    // LM terms persist across steps (contexts are immutable, so a (context, word) term never changes):
    // a word emitted again at a later step, merged into an existing hypothesis, still finds the terms
    // of its homophones for `alternatives`, and repeated requests skip the scorer. Bounded.
    if (this.lmTerms.size > 50_000) this.lmTerms.clear();
    const beamLogProb = this.config.beamLogProb;
    let best = -Infinity; // best contribution so far: candidates below best − beamLogProb cannot survive

    const add = (
      src: Hyp,
      kind: Kind,
      node: number,
      histId: number,
      lastUnit: number,
      pB: number,
      pNB: number,
      lm: number,
      lmKnown: boolean,
      ctx: LmContext | null,
      wordId: number,
      wordNode: number,
    ): void => {
      const contribution = (pB > pNB ? pB : pNB) + lm;
      if (contribution < best - beamLogProb) return;
      if (contribution > best) best = contribution;
      const key = (histId * nodeSlots + node) * unitSlots + (lastUnit + 1);
      let c = map.get(key);
      if (c === undefined) {
        if (list.length === pool.length) pool.push(blankCand(src));
        c = pool[list.length];
        c.key = key;
        c.pB = pB;
        c.pNB = pNB;
        c.lm = lm;
        c.lmKnown = lmKnown;
        c.ctx = ctx;
        c.node = node;
        c.histId = histId;
        c.lastUnit = lastUnit;
        c.src = src;
        c.srcScore = contribution;
        c.kind = kind;
        c.wordId = wordId;
        c.wordNode = wordNode;
        c.score = 0;
        map.set(key, c);
        list.push(c);
        return;
      }
      if (mergeCandidate(c, src, kind, pB, pNB, lm, lmKnown, ctx, contribution)) {
        c.wordId = wordId;
        c.wordNode = wordNode;
      }
    };

    for (const h of this.beam) {
      const total = logAddExp(h.pB, h.pNB);
      add(h, Kind.Blank, h.node, h.histId, h.lastUnit, total + lpBlank, -Infinity, h.lm, true, h.ctx, -1, -1);
      if (h.lastUnit >= 0 && allowed[h.lastUnit] && h.pNB > -Infinity) {
        add(
          h,
          Kind.Repeat,
          h.node,
          h.histId,
          h.lastUnit,
          -Infinity,
          h.pNB + lp[row + h.lastUnit],
          h.lm,
          true,
          h.ctx,
          -1,
          -1,
        );
      }
      if (h.node === TRIE_ROOT && this.separator >= 0 && allowed[this.separator] && h.lastUnit !== this.separator) {
        add(
          h,
          Kind.Separator,
          TRIE_ROOT,
          h.histId,
          this.separator,
          -Infinity,
          total + lp[row + this.separator],
          h.lm,
          true,
          h.ctx,
          -1,
          -1,
        );
      }
      const look = this.look;
      const w = this.lookWeight;
      const laH = look !== null ? w * look[h.node] : 0; // look-ahead already paid inside the current word
      const end = trie.childEnd(h.node);
      for (let e = trie.childBegin(h.node); e < end; e++) {
        const u = trie.childUnitAt(e);
        if (!allowed[u]) continue;
        const from = u === h.lastUnit ? h.pB : total;
        if (from === -Infinity) continue;
        const p = from + lp[row + u];
        if (p + h.lm < best - beamLogProb) continue;
        const child = trie.childNodeAt(e);
        add(
          h,
          Kind.Extend,
          child,
          h.histId,
          u,
          -Infinity,
          p,
          look !== null ? h.lm - laH + w * look[child] : h.lm,
          true,
          h.ctx,
          -1,
          -1,
        );
        if (!trie.hasWords(child)) continue;
        const ids = trie.wordsAt(child);
        const n = this.scorer ? ids.length : 1; // without a scorer only the most frequent spelling
        for (let i = 0; i < n; i++) {
          const word = trie.word(ids[i]);
          const bonus =
            this.config.wordBonus +
            (this.booster.size > 0 ? this.booster.bonus(word, historyWord(h.hist)) : 0) +
            (this.unigram !== null ? w * (this.unigram[ids[i]] - this.unigramTop) : 0);
          if (p + h.lm - laH + bonus < best - beamLogProb) continue; // add() would drop it: skip the interning too
          const histId = this.interner.intern(h.histId, word);
          // the word's prior replaces the look-ahead paid on the way down (with a scorer, its LM term comes later)
          add(
            h,
            Kind.Emit,
            TRIE_ROOT,
            histId,
            u,
            -Infinity,
            p,
            h.lm - laH + bonus,
            this.scorer === null,
            h.ctx,
            ids[i],
            child,
          );
        }
      }
    }
    return this.scoreCands(list);
  }

  protected override materialize(c: Cand): Hyp {
    const s = c.src;
    const t = this.steps;
    const h = carriedHyp<Hyp>({ node: c.node }, c);
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
            id: c.histId,
            prev: h.hist,
            word: this.trie.word(c.wordId),
            startStep: h.wordStartStep,
            endStep: t + 1,
            confidence: h.confSum / h.nUnits,
            unknown: false,
            alternatives: this.alternatives(c, s),
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
    const ids: number[] = [];
    for (const id of this.trie.wordsAt(c.wordNode)) {
      if (id === c.wordId) continue;
      const term = this.lmTerms.get(src.ctx!.id, id);
      if (term) {
        out.push({ word: this.trie.word(id), score: term.term, probability: 0 });
        ids.push(id);
      }
    }
    const chosen = this.lmTerms.get(src.ctx!.id, c.wordId);
    const { alpha, beta } = this.scorer;
    const weights = lmWeightsSplittingTies(
      [
        chosen ? lmLogProbOfTerm(chosen.term, alpha, beta) : -Infinity,
        ...out.map((a) => lmLogProbOfTerm(a.score, alpha, beta)),
      ],
      [c.wordId, ...ids].map((id) => this.trie.wordCounts[id]),
    );
    const shares = sharesOfAlternatives(weights[0], weights.slice(1));
    out.forEach((a, i) => (a.probability = shares[i]));
    return out.sort((a, b) => b.score - a.score).slice(0, max);
  }

  protected override partialResult(best: Hyp): DecodeResult {
    if (!this.config.tentativeWords) return this.resultOfHyp(best, false);
    const shown = best.node === TRIE_ROOT ? (this.startedWord(best) ?? best) : best;
    if (shown.node === TRIE_ROOT || shown.nUnits === 0) return this.resultOfHyp(shown, false);
    const id = this.trie.bestWordUnder(shown.node);
    if (id < 0) return this.resultOfHyp(shown, false);
    const tentative: WordLink = {
      id: -1,
      prev: shown.hist,
      word: this.trie.word(id),
      startStep: shown.wordStartStep,
      endStep: shown.lastUnitStep + 1,
      confidence: shown.confSum / shown.nUnits,
      unknown: false,
      alternatives: undefined,
      tentative: true,
    };
    return this.resultOf(shown.units, tentative);
  }

  /**
   * For the partial only: when the best hypothesis sits between words, the best continuation of the
   * same words that has started a new word, if the sounds favour it. The beam charges a word's
   * prior (the look-ahead) from its first phoneme, which keeps a hypothesis that has heard nothing
   * new ahead for a step or three after a word has clearly begun (the search needs that; the
   * display does not: whether a word has started is the acoustics' call, which word it is the
   * prior's, through bestWordUnder). Null when no such hypothesis beats the best one.
   */
  private startedWord(best: Hyp): Hyp | null {
    const look = this.look;
    const w = this.lookWeight;
    let shown: Hyp | null = null;
    let shownScore = logAddExp(best.pB, best.pNB) + best.lm - this.config.tentativeMargin;
    for (const h of this.beam) {
      if (h.node === TRIE_ROOT || h.histId !== best.histId) continue;
      const score = logAddExp(h.pB, h.pNB) + h.lm - (look !== null ? w * look[h.node] : 0);
      if (score > shownScore) {
        shown = h;
        shownScore = score;
      }
    }
    return shown;
  }

  protected override async finish(): Promise<DecodeResult> {
    const finals = this.finalCandidates();
    if (this.scorer === null || finals.length === 0) return this.pickFinal(finals, null);
    const gen = this.generation;
    const { alpha, beta } = this.scorer;
    const extra = finals.map(() => 0);
    const closing = finals.map(() => -1);
    const closingAlternatives = new Map<number, WordAlternative[]>();
    const contexts = finals.map((h) => h.ctx!);
    // The end of the input is a word boundary. A hypothesis stopped on a node where words end
    // finishes with the best of those words (each spelling scored by the LM), as if it had emitted
    // it at its last phoneme. Elsewhere the unfinished word is flushed as an unknown /PH PH/ word,
    // scored like any word the LM does not know (<unk>), so that it competes fairly with
    // hypotheses whose last word paid its LM cost.
    const unfinished = finals.flatMap((h, i) => (h.node !== TRIE_ROOT && h.nUnits > 0 ? [i] : []));
    const requests: Array<{ i: number; wordId: number; word: string }> = [];
    for (const i of unfinished) {
      const node = finals[i].node;
      if (this.trie.hasWords(node))
        for (const id of this.trie.wordsAt(node)) requests.push({ i, wordId: id, word: this.trie.word(id) });
      else requests.push({ i, wordId: -1, word: this.unfinishedWord(finals[i]) });
    }
    if (requests.length > 0) {
      const responses = await this.scorer.score(requests.map((r) => ({ context: contexts[r.i], word: r.word })));
      if (gen !== this.generation) return EMPTY_DECODE_RESULT;
      const lmTerm = (k: number) => alpha * responses[k].logProb + beta;
      const terms = requests.map((r, k) => lmTerm(k) + (r.wordId >= 0 ? this.closingBonus(finals[r.i], r.word) : 0));
      const best = new Map<number, number>();
      terms.forEach((t, k) => {
        const b = best.get(requests[k].i);
        if (b === undefined || t > terms[b]) best.set(requests[k].i, k);
      });
      const max = this.config.maxAlternatives;
      for (const [i, j] of best) {
        extra[i] += terms[j];
        contexts[i] = responses[j].next;
        closing[i] = requests[j].wordId;
        // the spellings it beat, with their LM terms (alpha·log P + beta), as an emitted word carries them
        const others = requests.flatMap((o, k) => (o.i === i && k !== j && o.wordId >= 0 ? [k] : []));
        const beaten = others.map((k) => ({ word: requests[k].word, score: lmTerm(k), probability: 0 }));
        const weights = lmWeightsSplittingTies(
          [j, ...others].map((k) => responses[k].logProb),
          [j, ...others].map((k) => (requests[k].wordId >= 0 ? this.trie.wordCounts[requests[k].wordId] : 0)),
        );
        const shares = sharesOfAlternatives(weights[0], weights.slice(1));
        beaten.forEach((b, k) => (b.probability = shares[k]));
        if (closing[i] >= 0 && max > 0 && beaten.length > 0)
          closingAlternatives.set(i, beaten.sort((a, b) => b.score - a.score).slice(0, max));
      }
    }
    if (this.scorer.scoreEnd) {
      const eos = await this.scorer.scoreEnd(contexts);
      if (gen !== this.generation) return EMPTY_DECODE_RESULT;
      eos.forEach((lp, i) => (extra[i] += alpha * lp));
    }
    return this.pickFinal(finals, extra, closing, closingAlternatives);
  }

  /**
   * What closing h's word as `word` at the end of the input adds besides its LM term: the word bonus and any hotword
   * bonus, less the look-ahead paid inside the word.
   */
  private closingBonus(h: Hyp, word: string): number {
    return (
      this.config.wordBonus +
      (this.booster.size > 0 ? this.booster.bonus(word, historyWord(h.hist)) : 0) -
      (this.look !== null ? this.lookWeight * this.look[h.node] : 0)
    );
  }

  protected override finishSync(): DecodeResult {
    return this.pickFinal(this.finalCandidates(), null);
  }

  /** Every hypothesis; those inside a word pay unfinishedWordPenalty (see pickFinal). */
  private finalCandidates(): Hyp[] {
    return this.beam.slice();
  }

  /**
   * `closing[i]` ≥ 0: hypothesis i ends with that word (finish() closed it), not with an unknown one;
   * `closingAlternatives` holds the homophones such a word beat (by index into finals).
   */
  private pickFinal(
    finals: Hyp[],
    extra: number[] | null,
    closing: number[] | null = null,
    closingAlternatives?: Map<number, WordAlternative[]>,
  ): DecodeResult {
    let best = -1;
    let bestScore = -Infinity;
    finals.forEach((h, i) => {
      // with the unigram prior on, an unfinished word also pays the prior of a word never seen (less the look-ahead
      // already paid)
      const unseen =
        this.unigram !== null
          ? this.lookWeight * (this.unseenLogPrior - this.unigramTop) -
            (this.look !== null ? this.lookWeight * this.look[h.node] : 0)
          : 0;
      const unfinished =
        h.node === TRIE_ROOT || (closing !== null && closing[i] >= 0) ? 0 : this.config.unfinishedWordPenalty - unseen;
      const s = logAddExp(h.pB, h.pNB) + h.lm + (extra ? extra[i] : 0) - unfinished;
      if (s > bestScore) {
        bestScore = s;
        best = i;
      }
    });
    this.finalResult =
      best < 0
        ? EMPTY_DECODE_RESULT
        : this.resultOfHyp(finals[best], true, closing !== null ? closing[best] : -1, closingAlternatives?.get(best));
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

  private resultOfHyp(
    h: Hyp,
    flushPartialWord: boolean,
    closingWordId = -1,
    closingAlternatives?: WordAlternative[],
  ): DecodeResult {
    let hist = h.node === TRIE_ROOT ? closeLastWord(h.hist, h.lastUnitStep) : h.hist;
    if (flushPartialWord && h.node !== TRIE_ROOT && h.nUnits > 0) {
      const closed = closingWordId >= 0;
      hist = {
        id: -1,
        prev: hist,
        word: closed ? this.trie.word(closingWordId) : this.unfinishedWord(h),
        startStep: h.wordStartStep,
        endStep: h.lastUnitStep + 1,
        confidence: h.confSum / h.nUnits,
        unknown: !closed,
        alternatives: closed ? closingAlternatives : undefined,
      };
    }
    return this.resultOf(h.units, hist);
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
