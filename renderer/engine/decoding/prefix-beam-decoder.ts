/**
 * CTC prefix beam search for character models (Graves / Hannun), with optional shallow fusion.
 *
 * A hypothesis is a word history plus the characters of the word in progress, with separate
 * probabilities of ending in blank (P_b) and in a character (P_nb). Per step and per unit u
 * passing the pruning threshold:
 *   blank          → same prefix, P_b += P·P(blank)
 *   u = last unit  → same prefix, P_nb += P_nb·P(u)          (repeat, collapsed)
 *   other u        → prefix + u,  P_nb += (P_b if u = last unit else P)·P(u)
 * A word separator closes the word in progress: the Scorer (if any) adds alpha·log P_LM + beta,
 * every request of the step going out in ONE scorer.score call. With a lexicon, the spelled
 * word's homophones are candidates too (each its own hypothesis when a Scorer chooses; listed as
 * `alternatives` otherwise) and words missing from it are flagged `unknown`.
 * Hypotheses with the same (word history, word in progress, last unit) merge.
 */

import {
  checkLogProbs, EMPTY_DECODE_RESULT, joinWords, logAddExp,
  type CtcAlphabet, type CtcDecoder, type DecodeResult, type WordAlternative,
} from './decode-result';
import type { LexiconTrie } from './lexicon-trie';
import type { LmContext, Scorer, ScoreRequest, ScoreResponse } from './scorer';
import {
  EMPTY_HISTORY, historyToWords, unitsToArray, WordHistoryInterner, type UnitLink, type WordLink,
} from './word-history';

export interface PrefixBeamDecoderConfig {
  /** Seconds of audio per acoustic step. */
  secondsPerStep: number;
  /** Hypotheses kept after each step. */
  beamWidth: number;
  /** Units whose log-probability at a step is below this are not expanded (blank always is). */
  pruneLogProb: number;
  /** Hypotheses scoring below (best − beamLogProb) are dropped. */
  beamLogProb: number;
  /** Log-domain bonus (> 0) or penalty (< 0) per completed word, with or without a scorer. */
  wordBonus: number;
  /** Homophone alternatives kept per word (lexicon given). */
  maxAlternatives: number;
}

export function defaultPrefixBeamConfig(): PrefixBeamDecoderConfig {
  return { secondsPerStep: 0.03, beamWidth: 16, pruneLogProb: -8, beamLogProb: 16, wordBonus: 0, maxAlternatives: 3 };
}

interface Hyp {
  /** Characters of the word in progress. */
  pending: string;
  lastUnit: number;
  hist: WordLink | null;
  histId: number;
  pB: number;
  pNB: number;
  lm: number;
  ctx: LmContext | null;
  wordStartStep: number;
  confSum: number;
  nUnits: number;
  lastUnitPeak: number;
  lastUnitStep: number;
  units: UnitLink | null;
}

const enum Kind { Blank, Repeat, Extend, Separator, Emit, Flush }

interface Cand {
  key: string;
  pB: number;
  pNB: number;
  lm: number;
  lmKnown: boolean;
  ctx: LmContext | null;
  pending: string;
  histId: number;
  lastUnit: number;
  src: Hyp;
  srcScore: number;
  kind: Kind;
  /** Emit: the word chosen, and the spelled word it came from. */
  word: string;
  spelled: string;
  score: number;
}

type AddCand = (
  src: Hyp, kind: Kind, pending: string, histId: number, lastUnit: number, pB: number, pNB: number,
  lm: number, lmKnown: boolean, ctx: LmContext | null, word: string, spelled: string,
) => void;

const RESOLVED: Promise<void> = Promise.resolve();

export class PrefixBeamDecoder implements CtcDecoder {
  readonly isAsync: boolean;
  private readonly k: number;
  private readonly blank: number;
  private readonly separator: number;
  private readonly interner = new WordHistoryInterner();
  private readonly allowed: Uint8Array;
  private readonly row: Float32Array;
  private beam: Hyp[] = [];
  private steps = 0;
  private offsetSeconds = 0;
  private generation = 0;
  private inFlight: Promise<void> | null = null;
  private cachedPartial: DecodeResult | null = null;
  private finalResult: DecodeResult | null = null;
  private lmTerms = new Map<string, { term: number; next: LmContext }>();

  constructor(
    private readonly alphabet: CtcAlphabet,
    private readonly config: PrefixBeamDecoderConfig = defaultPrefixBeamConfig(),
    private readonly scorer: Scorer | null = null,
    private readonly lexicon: LexiconTrie | null = null,
  ) {
    this.k = alphabet.alphabet.length;
    this.blank = alphabet.blank;
    this.separator = alphabet.alphabet.indexOf(alphabet.wordSeparator ?? ' ');
    this.allowed = new Uint8Array(this.k);
    this.row = new Float32Array(this.k);
    this.isAsync = scorer !== null;
    this.reset(0);
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
    this.cachedPartial = EMPTY_DECODE_RESULT;
    this.finalResult = null;
    this.beam = [{
      pending: '', lastUnit: -1, hist: null, histId: EMPTY_HISTORY, pB: 0, pNB: -Infinity, lm: 0,
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
    if (this.scorer) throw new Error('PrefixBeamDecoder.nextSync: a scorer is set, use next()');
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

  private run(logProbs: Float32Array, s: number, steps: number, gen: number): Promise<void> {
    const k = this.k;
    for (; s < steps; s++) {
      this.finalResult = null;
      const cands = this.expand(logProbs, s * k);
      const requests = this.pendingRequests(cands);
      if (requests.length > 0) {
        const rest = logProbs.slice((s + 1) * k, steps * k);
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

  /** A merge map of candidates and its `add` (positional arguments: this runs ~K × beamWidth times per step). */
  private newMap(): { map: Map<string, Cand>; add: AddCand; floor: () => number } {
    const map = new Map<string, Cand>();
    const beamLogProb = this.config.beamLogProb;
    let best = -Infinity;
    const add: AddCand = (src, kind, pending, histId, lastUnit, pB, pNB, lm, lmKnown, ctx, word, spelled) => {
      const contribution = (pB > pNB ? pB : pNB) + lm;
      if (contribution < best - beamLogProb) return; // cannot survive the beam threshold
      if (contribution > best) best = contribution;
      const key = histId + '|' + lastUnit + '|' + pending;
      const old = map.get(key);
      if (old === undefined) {
        map.set(key, {
          key, pB, pNB, lm, lmKnown, ctx, pending, histId, lastUnit, src, srcScore: contribution, kind, word, spelled, score: 0,
        });
        return;
      }
      old.pB = logAddExp(old.pB, pB);
      old.pNB = logAddExp(old.pNB, pNB);
      if (!old.lmKnown && lmKnown) {
        old.lm = lm;
        old.ctx = ctx;
        old.lmKnown = true;
      }
      if (contribution > old.srcScore) {
        old.srcScore = contribution;
        old.src = src;
        old.kind = kind;
        old.word = word;
        old.spelled = spelled;
      }
    };
    return { map, add, floor: () => best - beamLogProb };
  }

  /** Word candidates closing h's word in progress (spelled word, plus homophones when a scorer chooses). */
  private wordChoices(spelled: string): string[] {
    if (this.scorer === null || this.lexicon === null) return [spelled];
    return [spelled, ...this.lexicon.homophonesOf(spelled)];
  }

  private expand(lp: Float32Array, row: number): Cand[] {
    const { k, blank, allowed, separator } = this;
    const prune = this.config.pruneLogProb;
    for (let u = 0; u < k; u++) allowed[u] = u !== blank && lp[row + u] >= prune ? 1 : 0;
    this.row.set(lp.subarray(row, row + k));
    const lpBlank = lp[row + blank];
    const { map, add, floor } = this.newMap();
    this.lmTerms.clear();
    const symbols = this.alphabet.alphabet;
    const noScorer = this.scorer === null;

    for (const h of this.beam) {
      const total = logAddExp(h.pB, h.pNB);
      add(h, Kind.Blank, h.pending, h.histId, h.lastUnit, total + lpBlank, -Infinity, h.lm, true, h.ctx, '', '');
      if (h.lastUnit >= 0 && allowed[h.lastUnit] && h.pNB > -Infinity) {
        add(h, Kind.Repeat, h.pending, h.histId, h.lastUnit, -Infinity, h.pNB + lp[row + h.lastUnit], h.lm, true, h.ctx, '', '');
      }
      for (let u = 0; u < k; u++) {
        if (!allowed[u]) continue;
        const from = u === h.lastUnit ? h.pB : total;
        if (from === -Infinity) continue;
        const p = from + lp[row + u];
        if (p + h.lm < floor()) continue;
        if (u !== separator) {
          add(h, Kind.Extend, h.pending + symbols[u], h.histId, u, -Infinity, p, h.lm, true, h.ctx, '', '');
        } else if (h.pending.length === 0) {
          add(h, Kind.Separator, '', h.histId, u, -Infinity, p, h.lm, true, h.ctx, '', '');
        } else {
          for (const word of this.wordChoices(h.pending)) {
            const histId = this.interner.intern(h.histId, word);
            add(h, Kind.Emit, '', histId, u, -Infinity, p, h.lm + this.config.wordBonus, noScorer, h.ctx, word, h.pending);
          }
        }
      }
    }
    const cands = [...map.values()];
    for (const c of cands) c.score = logAddExp(c.pB, c.pNB) + c.lm;
    return cands;
  }

  private pendingRequests(cands: Cand[]): ScoreRequest[] {
    if (this.scorer === null) return [];
    const known: number[] = [];
    for (const c of cands) if (c.lmKnown) known.push(c.score);
    known.sort((a, b) => b - a);
    let cutoff = (known.length > 0 ? known[0] : -Infinity) - this.config.beamLogProb;
    if (known.length >= this.config.beamWidth) cutoff = Math.max(cutoff, known[this.config.beamWidth - 1]);
    return this.requestsFor(cands, cutoff);
  }

  private requestsFor(cands: Cand[], cutoff: number): ScoreRequest[] {
    const requests: ScoreRequest[] = [];
    const seen = new Set<string>();
    const beta = this.scorer!.beta;
    for (const c of cands) {
      if (c.lmKnown) continue;
      if (c.score + beta < cutoff) {
        c.score = -Infinity;
        continue;
      }
      const key = c.src.ctx!.id + ':' + c.word;
      if (!seen.has(key)) {
        seen.add(key);
        requests.push({ context: c.src.ctx!, word: c.word });
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
      this.lmTerms.set(requests[i].context.id + ':' + requests[i].word, { term: alpha * responses[i].logProb + beta, next: responses[i].next });
    }
    for (const c of cands) {
      if (c.lmKnown || c.score === -Infinity) continue;
      const term = this.lmTerms.get(c.src.ctx!.id + ':' + c.word)!;
      c.lm += term.term;
      c.ctx = term.next;
      c.lmKnown = true;
      c.score = logAddExp(c.pB, c.pNB) + c.lm;
    }
  }

  private select(cands: Cand[]): void {
    this.beam = this.keepBest(cands);
    this.steps++;
    this.cachedPartial = null;
  }

  private keepBest(cands: Cand[]): Hyp[] {
    cands.sort((a, b) => b.score - a.score);
    const cutoff = (cands.length > 0 ? cands[0].score : -Infinity) - this.config.beamLogProb;
    const beam: Hyp[] = [];
    for (let i = 0; i < cands.length && beam.length < this.config.beamWidth; i++) {
      const c = cands[i];
      if (c.score < cutoff || c.score === -Infinity) break;
      beam.push(this.materialize(c, this.steps));
    }
    return beam;
  }

  private materialize(c: Cand, t: number): Hyp {
    const s = c.src;
    const h: Hyp = {
      pending: c.pending, lastUnit: c.lastUnit, hist: s.hist, histId: c.histId, pB: c.pB, pNB: c.pNB, lm: c.lm, ctx: c.ctx,
      wordStartStep: s.wordStartStep, confSum: s.confSum, nUnits: s.nUnits, lastUnitPeak: s.lastUnitPeak,
      lastUnitStep: s.lastUnitStep, units: s.units,
    };
    const p = c.lastUnit >= 0 ? Math.exp(this.row[c.lastUnit]) : 0;
    switch (c.kind) {
      case Kind.Blank:
        break;
      case Kind.Repeat:
        if (c.lastUnit !== this.separator) {
          if (p > s.lastUnitPeak) {
            h.confSum += p - s.lastUnitPeak;
            h.lastUnitPeak = p;
          }
          h.lastUnitStep = t;
        }
        break;
      case Kind.Extend:
        if (s.pending.length === 0) {
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
        break;
      case Kind.Separator:
        h.units = { unit: c.lastUnit, step: t, prev: s.units };
        break;
      case Kind.Emit:
        h.hist = this.wordLink(c, s);
        h.units = { unit: c.lastUnit, step: t, prev: s.units };
        h.nUnits = 0;
        h.confSum = 0;
        break;
      case Kind.Flush: // finalize: closes the word in progress, no new frame
        h.hist = this.wordLink(c, s);
        h.nUnits = 0;
        h.confSum = 0;
        break;
    }
    return h;
  }

  private wordLink(c: Cand, s: Hyp): WordLink {
    const known = this.lexicon === null || this.lexicon.hasWord(c.word);
    return {
      id: c.histId, prev: s.hist, word: c.word, startStep: s.wordStartStep, endStep: s.lastUnitStep + 1,
      confidence: s.nUnits > 0 ? s.confSum / s.nUnits : 0, unknown: !known, alternatives: this.alternatives(c, s),
    };
  }

  private alternatives(c: Cand, s: Hyp): WordAlternative[] | undefined {
    const max = this.config.maxAlternatives;
    if (this.lexicon === null || max <= 0) return undefined;
    const others = [c.spelled, ...this.lexicon.homophonesOf(c.spelled)].filter((w) => w !== c.word);
    if (others.length === 0) return undefined;
    const out: WordAlternative[] = [];
    for (const w of others) {
      if (this.scorer !== null) {
        const term = this.lmTerms.get(s.ctx!.id + ':' + w);
        if (term) out.push({ word: w, score: term.term });
      } else {
        const id = this.lexicon.wordId(w);
        const chosen = this.lexicon.wordId(c.word);
        const count = (i: number | undefined): number => (i === undefined ? 0 : this.lexicon!.wordCounts[i]) + 1;
        out.push({ word: w, score: Math.log(count(id) / count(chosen)) });
      }
    }
    return out.sort((a, b) => b.score - a.score).slice(0, max);
  }

  trailingBlankSteps(): number {
    const best = this.beam[0];
    return best === undefined ? this.steps : this.steps - 1 - best.lastUnitStep;
  }

  partial(): DecodeResult {
    if (this.finalResult !== null) return this.finalResult;
    if (this.cachedPartial === null) {
      const best = this.beam[0];
      this.cachedPartial = best === undefined ? EMPTY_DECODE_RESULT : this.resultOf(best, best.pending.length > 0 ? this.pendingLink(best) : best.hist);
    }
    return this.cachedPartial;
  }

  /** The word in progress shown as a tentative word (partial results only). */
  private pendingLink(h: Hyp): WordLink {
    return {
      id: -1, prev: h.hist, word: h.pending, startStep: h.wordStartStep, endStep: h.lastUnitStep + 1,
      confidence: h.nUnits > 0 ? h.confSum / h.nUnits : 0,
      unknown: this.lexicon !== null && !this.lexicon.hasWord(h.pending), alternatives: undefined,
    };
  }

  async finalize(): Promise<DecodeResult> {
    while (this.inFlight !== null) await this.inFlight;
    if (this.finalResult !== null) return this.finalResult;
    const gen = this.generation;
    const cands = this.flushCands();
    if (this.scorer) {
      const requests = this.requestsFor(cands, -Infinity);
      if (requests.length > 0) {
        const responses = await this.scorer.score(requests);
        if (gen !== this.generation) return EMPTY_DECODE_RESULT;
        this.applyResponses(cands, requests, responses);
      }
    }
    let finals = this.keepBest(cands);
    if (this.scorer?.scoreEnd && finals.length > 0) {
      const eos = await this.scorer.scoreEnd(finals.map((h) => h.ctx!));
      if (gen !== this.generation) return EMPTY_DECODE_RESULT;
      finals = finals.map((h, i) => ({ ...h, lm: h.lm + this.scorer!.alpha * eos[i] }));
      finals.sort((a, b) => logAddExp(b.pB, b.pNB) + b.lm - (logAddExp(a.pB, a.pNB) + a.lm));
    }
    return this.setFinal(finals);
  }

  finalizeSync(): DecodeResult {
    if (this.scorer) throw new Error('PrefixBeamDecoder.finalizeSync: a scorer is set, use finalize()');
    if (this.finalResult !== null) return this.finalResult;
    return this.setFinal(this.keepBest(this.flushCands()));
  }

  private setFinal(finals: Hyp[]): DecodeResult {
    this.finalResult = finals.length === 0 ? EMPTY_DECODE_RESULT : this.resultOf(finals[0], finals[0].hist);
    return this.finalResult;
  }

  /** Candidates with every word in progress closed (no acoustic change). */
  private flushCands(): Cand[] {
    const { map, add } = this.newMap();
    for (const h of this.beam) {
      if (h.pending.length === 0) {
        add(h, Kind.Blank, '', h.histId, h.lastUnit, h.pB, h.pNB, h.lm, true, h.ctx, '', '');
        continue;
      }
      for (const word of this.wordChoices(h.pending)) {
        const histId = this.interner.intern(h.histId, word);
        add(h, Kind.Flush, '', histId, h.lastUnit, h.pB, h.pNB, h.lm + this.config.wordBonus, this.scorer === null, h.ctx, word, h.pending);
      }
    }
    this.lmTerms.clear();
    const cands = [...map.values()];
    for (const c of cands) c.score = logAddExp(c.pB, c.pNB) + c.lm;
    return cands;
  }

  private resultOf(h: Hyp, hist: WordLink | null): DecodeResult {
    const words = historyToWords(hist, this.offsetSeconds, this.config.secondsPerStep);
    const units = unitsToArray(h.units).filter((u) => u !== this.separator);
    return { words, text: joinWords(words), units };
  }
}
