/**
 * The machinery shared by the CTC beam decoders (PrefixBeamDecoder, LexiconBeamDecoder): the
 * serialized incremental `next` queue, steps that pause on the Scorer and resume, the LM request /
 * response bookkeeping, beam selection, partial/final result caching and the CtcDecoder contract.
 *
 * A subclass supplies the search itself: the initial hypothesis, `expand` (the candidates of one
 * step), `materialize` (a surviving candidate as a hypothesis), and how an utterance is finished.
 */

import {
  checkLogProbs,
  EMPTY_DECODE_RESULT,
  joinWords,
  logAddExp,
  type CtcAlphabet,
  type CtcDecoder,
  type DecodeResult,
} from './decode-result';
import type { LmContext, Scorer, ScoreRequest, ScoreResponse } from '../../../models/language/scorer';
import { historyToWords, unitsToArray, WordHistoryInterner, type UnitLink, type WordLink } from './word-history';

/** The configuration every beam decoder has. */
export interface BeamDecoderConfig {
  /** Seconds of audio per acoustic step. */
  secondsPerStep: number;
  /** Hypotheses kept after each step. */
  beamWidth: number;
  /** Hypotheses scoring below (best − beamLogProb) are dropped. */
  beamLogProb: number;
}

/** A hypothesis: a word history, the word in progress (in the subclass's terms) and its probabilities. */
export interface BeamHyp {
  /** Last emitted unit (for the CTC repeat rule), -1 at start. */
  lastUnit: number;
  hist: WordLink | null;
  histId: number;
  pB: number;
  pNB: number;
  /** Σ LM terms, word bonuses (and hotword bonuses) so far. */
  lm: number;
  ctx: LmContext | null;
  // the word in progress
  wordStartStep: number;
  confSum: number;
  nUnits: number;
  lastUnitPeak: number;
  /** Step of the last frame of a non-separator unit, -1 when none. */
  lastUnitStep: number;
  units: UnitLink | null;
}

/** What the shared machinery reads of a candidate (a hypothesis of the next step, before it is materialized). */
export interface BeamCand<H extends BeamHyp> {
  pB: number;
  pNB: number;
  lm: number;
  lmKnown: boolean;
  ctx: LmContext | null;
  /** Best contributor, and its contribution. */
  src: H;
  srcScore: number;
  kind: number;
  score: number;
}

/** What materialize() reads of a candidate besides BeamCand: the next hypothesis's history id and last unit. */
export interface CarriedCand<H extends BeamHyp> extends BeamCand<H> {
  histId: number;
  lastUnit: number;
}

/**
 * The hypothesis a surviving candidate becomes before its kind's changes (each decoder's materialize()): the
 * candidate's probabilities, LM state, history id and last unit, and the word in progress (history, start step,
 * confidence sum, unit count, last unit's peak and step, units) of its best source. `own` holds the decoder's own
 * fields (its word in progress).
 *
 * Built as one literal and `own` assigned onto it: an object spread (`{ ...own, ... }`) here took V8's slow
 * path and was 60 % of the decoder's time (bench: decoder RTF with the LM 0.020 → 0.008, the same hypotheses).
 */
export function carriedHyp<H extends BeamHyp>(own: Omit<H, keyof BeamHyp>, c: CarriedCand<H>): H {
  const s = c.src;
  const h = {
    lastUnit: c.lastUnit,
    hist: s.hist,
    histId: c.histId,
    pB: c.pB,
    pNB: c.pNB,
    lm: c.lm,
    ctx: c.ctx,
    wordStartStep: s.wordStartStep,
    confSum: s.confSum,
    nUnits: s.nUnits,
    lastUnitPeak: s.lastUnitPeak,
    lastUnitStep: s.lastUnitStep,
    units: s.units,
  };
  return Object.assign(h, own) as H;
}

/** An LM term: alpha·logP + beta, and the context after the word. */
export interface LmTerm {
  term: number;
  next: LmContext;
}

/**
 * LM terms by (context id, word key): one Map per context rather than a `${ctx}:${word}` string per
 * lookup, since the decoder looks terms up for every candidate of every step (string keys were a
 * steady source of garbage).
 */
export class LmTermTable {
  private readonly byContext = new Map<number, Map<string | number, LmTerm>>();
  private count = 0;

  get(ctxId: number, key: string | number): LmTerm | undefined {
    return this.byContext.get(ctxId)?.get(key);
  }

  set(ctxId: number, key: string | number, term: LmTerm): void {
    let terms = this.byContext.get(ctxId);
    if (terms === undefined) {
      terms = new Map();
      this.byContext.set(ctxId, terms);
    }
    if (!terms.has(key)) this.count++;
    terms.set(key, term);
  }

  /** Terms held. */
  get size(): number {
    return this.count;
  }

  clear(): void {
    this.byContext.clear();
    this.count = 0;
  }
}

/**
 * The n-th largest of `values` (n from 1; n ≤ values.length), by quickselect: what a full sort's
 * element n − 1 would be, in linear expected time. Reorders `values` (pass a scratch copy).
 */
export function nthLargest(values: Float64Array, n: number): number {
  const a = values;
  let lo = 0,
    hi = a.length - 1;
  const target = n - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1];
    let i = lo,
      j = hi;
    while (i <= j) {
      while (a[i] > pivot) i++;
      while (a[j] < pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return a[target];
  }
  return a[target];
}

const RESOLVED: Promise<void> = Promise.resolve();

/**
 * Merges a contribution into an existing candidate (log-add of the acoustic probabilities; the LM
 * part is taken from the first contribution that knows it). Returns true when the contribution
 * becomes the candidate's best source: the caller then copies its own per-source fields.
 */
export function mergeCandidate<H extends BeamHyp, C extends BeamCand<H>>(
  c: C,
  src: H,
  kind: C['kind'],
  pB: number,
  pNB: number,
  lm: number,
  lmKnown: boolean,
  ctx: LmContext | null,
  contribution: number,
): boolean {
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
    return true;
  }
  return false;
}

export abstract class IncrementalBeamDecoder<
  H extends BeamHyp,
  C extends BeamCand<H>,
  Cfg extends BeamDecoderConfig,
> implements CtcDecoder {
  readonly isAsync: boolean;
  protected readonly k: number;
  protected readonly blank: number;
  protected readonly interner = new WordHistoryInterner();
  /** Per unit: 1 when it passes the pruning threshold at the step being expanded. */
  protected readonly allowed: Uint8Array;
  /** The step being decoded, copied (K) so that materialize() after an await never reads a reused buffer. */
  protected readonly row: Float32Array;
  protected beam: H[] = [];
  protected steps = 0;
  protected offsetSeconds = 0;
  protected generation = 0;
  private inFlight: Promise<void> | null = null;
  private cachedPartial: DecodeResult | null = null;
  protected finalResult: DecodeResult | null = null;
  /** LM terms: (context id, termKey) → alpha·logP + beta and next context. */
  protected readonly lmTerms = new LmTermTable();

  protected constructor(
    /** Class name, for error messages. */
    private readonly name: string,
    protected readonly alphabet: CtcAlphabet,
    /** Row of the word separator, -1 when none. */
    protected readonly separator: number,
    protected readonly config: Cfg,
    protected readonly scorer: Scorer | null,
  ) {
    this.k = alphabet.alphabet.length;
    this.blank = alphabet.blank;
    this.allowed = new Uint8Array(this.k);
    this.row = new Float32Array(this.k);
    this.isAsync = scorer !== null;
  }

  /** The hypothesis an utterance starts from. */
  protected abstract initialHyp(): H;
  /** All candidate hypotheses of the next step (merged), from logProbs[row .. row+K). */
  protected abstract expand(lp: Float32Array, row: number): C[];
  /** A surviving candidate as a hypothesis of step `this.steps`. */
  protected abstract materialize(c: C): H;
  /** The word a candidate asks the Scorer about. */
  protected abstract requestWord(c: C): string;
  /** Key of a candidate's word in lmTerms (with its source context id). */
  protected abstract termKey(c: C): string | number;
  /** Key in lmTerms of a requested word. */
  protected abstract requestTermKey(word: string): string | number;
  /** The partial result of the best hypothesis. */
  protected abstract partialResult(best: H): DecodeResult;
  /** Ends the utterance (no request in flight, not finalized yet). */
  protected abstract finish(): Promise<DecodeResult> | DecodeResult;
  /** Same as `finish` without a Promise (no scorer). */
  protected abstract finishSync(): DecodeResult;

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
    this.beam = [this.initialHyp()];
  }

  next(logProbs: Float32Array, steps: number): Promise<void> {
    checkLogProbs(logProbs, steps, this.k);
    if (this.inFlight !== null) {
      const copy = logProbs.slice(0, steps * this.k);
      const gen = this.generation;
      return this.track(
        this.inFlight.then(() => (gen === this.generation ? this.run(copy, 0, steps, gen) : undefined)),
      );
    }
    return this.run(logProbs, 0, steps, this.generation);
  }

  nextSync(logProbs: Float32Array, steps: number): void {
    if (this.scorer) throw new Error(`${this.name}.nextSync: a scorer is set, use next()`);
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

  /** Sets each candidate's score: acoustic log P + LM part. */
  protected scoreCands(cands: C[]): C[] {
    for (const c of cands) c.score = logAddExp(c.pB, c.pNB) + c.lm;
    return cands;
  }

  /**
   * LM requests for the candidates whose LM term is unknown, skipping those that could not enter
   * the beam even with log P_LM = 0 (upper bound score + beta below the known cut-off).
   */
  private pendingRequests(cands: C[]): ScoreRequest[] {
    if (this.scorer === null) return [];
    return this.requestsFor(cands, this.beamFloor(cands, true));
  }

  private scoreBuffer = new Float64Array(1024);

  /**
   * The lowest score that can still enter the beam, judged by the candidates' scores (those whose LM term is
   * known only, when `knownOnly`): best − beamLogProb, raised to the beamWidth-th best when there are more.
   * -Infinity − beamLogProb when none counts.
   */
  private beamFloor(cands: C[], knownOnly: boolean): number {
    if (this.scoreBuffer.length < cands.length) {
      this.scoreBuffer = new Float64Array(Math.max(cands.length, 2 * this.scoreBuffer.length));
    }
    const scores = this.scoreBuffer;
    let n = 0,
      best = -Infinity;
    for (const c of cands) {
      if (knownOnly && !c.lmKnown) continue;
      scores[n++] = c.score;
      if (c.score > best) best = c.score;
    }
    const floor = best - this.config.beamLogProb;
    const width = this.config.beamWidth;
    return n >= width ? Math.max(floor, nthLargest(scores.subarray(0, n), width)) : floor;
  }

  /** LM requests of the candidates scoring (with beta) at least `cutoff`; terms already known are applied. */
  protected requestsFor(cands: C[], cutoff: number): ScoreRequest[] {
    const requests: ScoreRequest[] = [];
    const seen = new Map<number, Set<string | number>>();
    const beta = this.scorer!.beta;
    for (const c of cands) {
      if (c.lmKnown) continue;
      if (c.score + beta < cutoff) {
        c.score = -Infinity; // cannot survive: drop without asking the LM
        continue;
      }
      const ctxId = c.src.ctx!.id;
      const termKey = this.termKey(c);
      const known = this.lmTerms.get(ctxId, termKey);
      if (known !== undefined) {
        c.lm += known.term;
        c.ctx = known.next;
        c.lmKnown = true;
        c.score = logAddExp(c.pB, c.pNB) + c.lm;
        continue;
      }
      let asked = seen.get(ctxId);
      if (asked === undefined) {
        asked = new Set();
        seen.set(ctxId, asked);
      }
      if (!asked.has(termKey)) {
        asked.add(termKey);
        requests.push({ context: c.src.ctx!, word: this.requestWord(c) });
      }
    }
    return requests;
  }

  protected applyResponses(cands: C[], requests: ScoreRequest[], responses: ScoreResponse[]): void {
    const { alpha, beta } = this.scorer!;
    if (responses.length !== requests.length) {
      throw new Error(`Scorer.score returned ${responses.length} results for ${requests.length} requests`);
    }
    for (let i = 0; i < requests.length; i++) {
      const r = requests[i];
      this.lmTerms.set(r.context.id, this.requestTermKey(r.word), {
        term: alpha * responses[i].logProb + beta,
        next: responses[i].next,
      });
    }
    for (const c of cands) {
      if (c.lmKnown || c.score === -Infinity) continue;
      const term = this.lmTerms.get(c.src.ctx!.id, this.termKey(c))!;
      c.lm += term.term;
      c.ctx = term.next;
      c.lmKnown = true;
      c.score = logAddExp(c.pB, c.pNB) + c.lm;
    }
  }

  /** Keeps the best candidates as the new beam: one step done. */
  private select(cands: C[]): void {
    this.beam = this.keepBest(cands);
    this.steps++;
    this.cachedPartial = null;
  }

  /** The `beamWidth` best candidates, none below best − beamLogProb, as hypotheses (best first). */
  protected keepBest(cands: C[]): H[] {
    // What sorting every candidate and taking the first beamWidth above the cut-off gives (ties in
    // their given order, as the stable sort keeps them), sorting only those that can get in: the
    // candidates at or above both the cut-off and the beamWidth-th best score.
    const width = this.config.beamWidth;
    const floor = this.beamFloor(cands, false);
    const top: C[] = [];
    for (const c of cands) if (c.score >= floor && c.score !== -Infinity) top.push(c);
    top.sort((a, b) => b.score - a.score);
    const beam: H[] = [];
    for (let i = 0; i < top.length && beam.length < width; i++) beam.push(this.materialize(top[i]));
    return beam;
  }

  trailingBlankSteps(): number {
    // the beam is sorted by score after each step
    const best = this.beam[0];
    return best === undefined ? this.steps : this.steps - 1 - best.lastUnitStep;
  }

  partial(): DecodeResult {
    if (this.finalResult !== null) return this.finalResult;
    if (this.cachedPartial === null) {
      const best = this.beam[0];
      this.cachedPartial = best === undefined ? EMPTY_DECODE_RESULT : this.partialResult(best);
    }
    return this.cachedPartial;
  }

  async finalize(): Promise<DecodeResult> {
    while (this.inFlight !== null) await this.inFlight;
    if (this.finalResult !== null) return this.finalResult;
    return this.finish();
  }

  finalizeSync(): DecodeResult {
    if (this.scorer) throw new Error(`${this.name}.finalizeSync: a scorer is set, use finalize()`);
    if (this.finalResult !== null) return this.finalResult;
    return this.finishSync();
  }

  /** The result of a path: its words (history) and its units, separators left out. */
  protected resultOf(units: UnitLink | null, hist: WordLink | null): DecodeResult {
    const words = historyToWords(hist, this.offsetSeconds, this.config.secondsPerStep);
    const ids = unitsToArray(units).filter((u) => u !== this.separator);
    return { words, text: joinWords(words), units: ids };
  }
}
