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
  EMPTY_DECODE_RESULT,
  logAddExp,
  type CtcAlphabet,
  type DecodeResult,
  type WordAlternative,
} from './decode-result';
import { lmLogProbOfTerm, lmWeightsSplittingTies, sharesOfAlternatives } from './homophone-shares';
import { carriedHyp, IncrementalBeamDecoder, mergeCandidate, type BeamHyp } from './incremental-decoder';
import type { LexiconTrie } from './lexicon-trie';
import type { LmContext, Scorer } from '../../../models/language/scorer';
import { EMPTY_HISTORY, type WordLink } from './word-history';

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

interface Hyp extends BeamHyp {
  /** Characters of the word in progress. */
  pending: string;
}

const enum Kind {
  Blank,
  Repeat,
  Extend,
  Separator,
  Emit,
  Flush,
}

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
  src: Hyp,
  kind: Kind,
  pending: string,
  histId: number,
  lastUnit: number,
  pB: number,
  pNB: number,
  lm: number,
  lmKnown: boolean,
  ctx: LmContext | null,
  word: string,
  spelled: string,
) => void;

export class PrefixBeamDecoder extends IncrementalBeamDecoder<Hyp, Cand, PrefixBeamDecoderConfig> {
  constructor(
    alphabet: CtcAlphabet,
    config: PrefixBeamDecoderConfig = defaultPrefixBeamConfig(),
    scorer: Scorer | null = null,
    private readonly lexicon: LexiconTrie | null = null,
  ) {
    super('PrefixBeamDecoder', alphabet, alphabet.alphabet.indexOf(alphabet.wordSeparator ?? ' '), config, scorer);
    this.reset(0);
  }

  protected override initialHyp(): Hyp {
    return {
      pending: '',
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
    return c.word;
  }

  protected override termKey(c: Cand): string {
    return c.word;
  }

  protected override requestTermKey(word: string): string {
    return word;
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
          key,
          pB,
          pNB,
          lm,
          lmKnown,
          ctx,
          pending,
          histId,
          lastUnit,
          src,
          srcScore: contribution,
          kind,
          word,
          spelled,
          score: 0,
        });
        return;
      }
      if (mergeCandidate(old, src, kind, pB, pNB, lm, lmKnown, ctx, contribution)) {
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

  protected override expand(lp: Float32Array, row: number): Cand[] {
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
        add(
          h,
          Kind.Repeat,
          h.pending,
          h.histId,
          h.lastUnit,
          -Infinity,
          h.pNB + lp[row + h.lastUnit],
          h.lm,
          true,
          h.ctx,
          '',
          '',
        );
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
            add(
              h,
              Kind.Emit,
              '',
              histId,
              u,
              -Infinity,
              p,
              h.lm + this.config.wordBonus,
              noScorer,
              h.ctx,
              word,
              h.pending,
            );
          }
        }
      }
    }
    return this.scoreCands([...map.values()]);
  }

  protected override materialize(c: Cand): Hyp {
    const t = this.steps;
    const s = c.src;
    const h = carriedHyp<Hyp>({ pending: c.pending }, c);
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
      id: c.histId,
      prev: s.hist,
      word: c.word,
      startStep: s.wordStartStep,
      endStep: s.lastUnitStep + 1,
      confidence: s.nUnits > 0 ? s.confSum / s.nUnits : 0,
      unknown: !known,
      alternatives: this.alternatives(c, s),
    };
  }

  private alternatives(c: Cand, s: Hyp): WordAlternative[] | undefined {
    const max = this.config.maxAlternatives;
    if (this.lexicon === null || max <= 0) return undefined;
    const others = [c.spelled, ...this.lexicon.homophonesOf(c.spelled)].filter((w) => w !== c.word);
    if (others.length === 0) return undefined;
    const out: WordAlternative[] = [];
    let chosenLogWeight = 0; // without an LM the scores are log count ratios to the chosen word's
    for (const w of others) {
      if (this.scorer !== null) {
        const term = this.lmTerms.get(s.ctx!.id, w);
        if (term) out.push({ word: w, score: term.term, probability: 0 });
      } else {
        const id = this.lexicon.wordId(w);
        const chosen = this.lexicon.wordId(c.word);
        const count = (i: number | undefined): number => (i === undefined ? 0 : this.lexicon!.wordCounts[i]) + 1;
        out.push({ word: w, score: Math.log(count(id) / count(chosen)), probability: 0 });
      }
    }
    let weights = out.map((a) => a.score);
    if (this.scorer !== null) {
      const { alpha, beta } = this.scorer;
      const chosen = this.lmTerms.get(s.ctx!.id, c.word);
      const count = (w: string): number => {
        const id = this.lexicon!.wordId(w);
        return id === undefined ? 0 : this.lexicon!.wordCounts[id];
      };
      const all = lmWeightsSplittingTies(
        [
          chosen ? lmLogProbOfTerm(chosen.term, alpha, beta) : -Infinity,
          ...out.map((a) => lmLogProbOfTerm(a.score, alpha, beta)),
        ],
        [c.word, ...out.map((a) => a.word)].map(count),
      );
      chosenLogWeight = all[0];
      weights = all.slice(1);
    }
    const shares = sharesOfAlternatives(chosenLogWeight, weights);
    out.forEach((a, i) => (a.probability = shares[i]));
    return out.sort((a, b) => b.score - a.score).slice(0, max);
  }

  protected override partialResult(best: Hyp): DecodeResult {
    return this.resultOf(best.units, best.pending.length > 0 ? this.pendingLink(best) : best.hist);
  }

  /** The word in progress shown as a tentative word (partial results only). */
  private pendingLink(h: Hyp): WordLink {
    return {
      id: -1,
      prev: h.hist,
      word: h.pending,
      startStep: h.wordStartStep,
      endStep: h.lastUnitStep + 1,
      confidence: h.nUnits > 0 ? h.confSum / h.nUnits : 0,
      unknown: this.lexicon !== null && !this.lexicon.hasWord(h.pending),
      alternatives: undefined,
      tentative: true,
    };
  }

  protected override async finish(): Promise<DecodeResult> {
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

  protected override finishSync(): DecodeResult {
    return this.setFinal(this.keepBest(this.flushCands()));
  }

  private setFinal(finals: Hyp[]): DecodeResult {
    this.finalResult = finals.length === 0 ? EMPTY_DECODE_RESULT : this.resultOf(finals[0].units, finals[0].hist);
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
        add(
          h,
          Kind.Flush,
          '',
          histId,
          h.lastUnit,
          h.pB,
          h.pNB,
          h.lm + this.config.wordBonus,
          this.scorer === null,
          h.ctx,
          word,
          h.pending,
        );
      }
    }
    this.lmTerms.clear();
    return this.scoreCands([...map.values()]);
  }
}
