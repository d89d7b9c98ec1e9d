/**
 * The word RNN language model as the beam decoders' Scorer (models/language/scorer.ts).
 *
 *   const scorer = await createLmScorer(lmPackage, { backend: 'webgl2' });
 *   const decoder = new LexiconBeamDecoder(alphabet, trie, config, scorer);
 *   ...
 *   scorer.dispose();
 *
 * Contexts are nodes of an LmContextTree: the LM state after a word history, the start being the
 * state after <eos>. `score(requests)` answers log P(word | context) from the context's softmax row
 * and returns the child node (context + word) as the next context. Children are computed lazily:
 * a context's row is computed the first time a request is made FROM it, and all contexts a call
 * needs are computed together in ONE stepBatch. So each call costs at most one batched RNN step,
 * however many candidates it scores, and a child that the beam drops is never computed at all.
 * Repeated (context, word) requests return the same child and cost nothing.
 *
 * Log-probabilities are natural logs WITHOUT alpha and beta: the decoders apply
 * alpha·log P + beta themselves (exactly once), reading `alpha` and `beta` from here, which come
 * from the package (tuned on a dev set) unless overridden.
 *
 * Words outside the vocabulary (lexicon words the LM does not know, user-lexicon words, the
 * decoder's unfinished `/PH PH/` words) are never banned: they share <unk>'s probability,
 *     log P(word | context) = log P(<unk> | context) + log P(word | <unk>)
 * and lead to the context after <unk>. P(word | <unk>) is 1 / unknownWordCount for every such word,
 * unless the package carries counts of them (output.unknownWords: a class model, so that a common
 * word the vocabulary lacks, "giraffe", is not as unlikely as a rare one, "giro"):
 *     P(word | <unk>) = (count(word) + add) / (Σ counts + add · unknownWordCount)
 */
import type { LoadedPackage } from '../package/load-package';
import { parseWordCountLines } from '../package/word-counts';
import type { BackendName } from '../rnn/backend';
import { wasmSimdAvailable } from '../rnn/wasm-simd';
import type { LmContext, Scorer, ScoreRequest, ScoreResponse } from './scorer';
import { LmContextTree, LmNode, type LmTreeStats } from './lm-context-tree';

export interface LmScorerOptions {
  /** Where the RNN runs; default 'reference'. */
  backend?: BackendName;
  /**
   * How many words share <unk>'s probability mass. Default: the package's
   * provenance.lexiconWordsOutsideVocabulary (CMUdict words outside the LM vocabulary), else 100,000.
   */
  unknownWordCount?: number;
  /** Override the package's LM weight. */
  alpha?: number;
  /** Override the package's word bonus. */
  beta?: number;
  /** Computed contexts kept in memory (each ≈ 4·V bytes; 4·H in sparse mode); default 128 (1024 sparse). */
  maxCachedContexts?: number;
  /**
   * Score self-normalised packages (output.selfNormalized) sparsely: each asked word's logit less the stored
   * log Z, no softmax over the vocabulary (LmContextTreeOptions.sparse). Default true for such packages; false
   * computes the exact softmax as for any other package. Ignored for other packages.
   */
  sparse?: boolean;
}

export interface LmScorerStats extends LmTreeStats {
  /** score() and scoreEnd() calls. */
  calls: number;
  /** Requests answered. */
  requests: number;
  /** Requests whose context was already computed (no RNN work). */
  cacheHits: number;
}

export interface LmScorer extends Scorer {
  /** log P(<eos> | context) per context (always present on the RNN LM). */
  scoreEnd(contexts: ReadonlyArray<LmContext>): Promise<number[]>;
  /** How many words share <unk>'s probability. */
  readonly unknownWordCount: number;
  /** Work counters, for latency reports. */
  readonly stats: LmScorerStats;
  /** Frees the RNN's GPU resources; the scorer must not be used afterwards. */
  dispose(): void;
}

const DEFAULT_UNKNOWN_WORDS = 100_000;

/** Builds the scorer: the RNN on `backend`, and the start context computed. */
/**
 * The backend the LM runs on for a recognizer configured with `backend`. 'auto' times backends for
 * the acoustic model only; the LM then takes the fast CPU path whose step is batched over all
 * candidates of a decoder step: 'wasm-simd' where WebAssembly SIMD runs (its output layer, 10,002 ×
 * 256, is 3-5× faster; log-probs within ~1e-6 of the reference), else 'js' (bit-identical to the
 * reference).
 */
export function lmBackendFor(backend: 'auto' | BackendName): BackendName {
  if (backend !== 'auto') return backend;
  return wasmSimdAvailable() ? 'wasm-simd' : 'js';
}

export async function createLmScorer(pkg: LoadedPackage, opts: LmScorerOptions = {}): Promise<LmScorer> {
  const output = pkg.json.output;
  const sparse = output.type === 'lm' && output.selfNormalized !== undefined && opts.sparse !== false;
  const tree = await LmContextTree.create(pkg, {
    backend: opts.backend,
    maxComputed: opts.maxCachedContexts ?? (sparse ? 1024 : undefined),
    sparse,
  });
  if (output.type !== 'lm') throw new Error(`${pkg.source} is not a language model`);
  const fromPackage = Number(pkg.json.provenance?.lexiconWordsOutsideVocabulary);
  const unknown =
    opts.unknownWordCount ?? (Number.isFinite(fromPackage) && fromPackage >= 1 ? fromPackage : DEFAULT_UNKNOWN_WORDS);
  const shares = unknownWordShares(unknown, tree.vocabulary, pkg.files.unknownWordCounts, output.unknownWords?.add);
  return new RnnLmScorer(tree, opts.alpha ?? output.alpha, opts.beta ?? output.beta, unknown, shares);
}

/**
 * The share of <unk>'s probability each word outside the vocabulary gets (see the header), as a function
 * word → log P(word | <unk>): uniform, 1 / `unknownWordCount`, without counts; else add-`add` smoothed counts over
 * `unknownWordCount` words. Count lines for words the vocabulary has are ignored (the LM scores those itself).
 */
function unknownWordShares(
  unknownWordCount: number,
  vocabulary: { id(word: string): number; readonly unk: number },
  countsText?: string,
  add = 1,
): (word: string) => number {
  if (!(unknownWordCount >= 1)) throw new Error(`unknownWordCount must be at least 1, got ${unknownWordCount}`);
  if (countsText === undefined) {
    const uniform = -Math.log(unknownWordCount);
    return () => uniform;
  }
  const shares = parseWordCountLines(countsText);
  let total = 0;
  for (const [word, n] of shares) {
    if (n > 0 && vocabulary.id(word) === vocabulary.unk) total += n;
    else shares.delete(word);
  }
  const logDenominator = Math.log(total + add * Math.max(unknownWordCount, shares.size));
  for (const [word, n] of shares) shares.set(word, Math.log(n + add) - logDenominator);
  const unseen = Math.log(add) - logDenominator;
  return (word) => shares.get(word) ?? unseen;
}

class RnnLmScorer implements LmScorer {
  readonly stats: LmScorerStats;
  private readonly callStats = { calls: 0, requests: 0, cacheHits: 0 };

  constructor(
    private readonly tree: LmContextTree,
    readonly alpha: number,
    readonly beta: number,
    readonly unknownWordCount: number,
    private readonly unknownShare: (word: string) => number,
  ) {
    const calls = this.callStats;
    const treeStats = tree.stats;
    this.stats = {
      get calls() {
        return calls.calls;
      },
      get requests() {
        return calls.requests;
      },
      get cacheHits() {
        return calls.cacheHits;
      },
      get stepBatchCalls() {
        return treeStats.stepBatchCalls;
      },
      get nodesComputed() {
        return treeStats.nodesComputed;
      },
      get evictions() {
        return treeStats.evictions;
      },
      get computedNow() {
        return treeStats.computedNow;
      },
      get stepBatchMs() {
        return treeStats.stepBatchMs;
      },
    };
  }

  start(): LmContext {
    return this.tree.start;
  }

  async score(requests: ReadonlyArray<ScoreRequest>): Promise<ScoreResponse[]> {
    const contexts = requests.map((r) => this.node(r.context));
    this.count(contexts);
    const vocab = this.tree.vocabulary;
    return this.tree.withComputed(contexts, () =>
      requests.map((r, i): ScoreResponse => {
        const ctx = contexts[i];
        const id = vocab.id(r.word);
        const known = id !== vocab.unk || r.word === '<unk>';
        const logProb = this.tree.logProbOf(ctx, id) + (known ? 0 : this.unknownShare(r.word));
        return { logProb, next: this.tree.child(ctx, id) };
      }),
    );
  }

  async scoreEnd(contexts: ReadonlyArray<LmContext>): Promise<number[]> {
    const nodes = contexts.map((c) => this.node(c));
    this.count(nodes);
    const eos = this.tree.vocabulary.eos;
    return this.tree.withComputed(nodes, () => nodes.map((n) => this.tree.logProbOf(n, eos)));
  }

  dispose(): void {
    this.tree.dispose();
  }

  private count(nodes: readonly LmNode[]): void {
    this.callStats.calls++;
    this.callStats.requests += nodes.length;
    for (const n of nodes) if (n.computed) this.callStats.cacheHits++;
  }

  private node(context: LmContext): LmNode {
    if (!(context instanceof LmNode) || context.tree !== this.tree) {
      throw new Error(
        `LM context ${context.id} was not made by this scorer (use scorer.start() and the returned next contexts)`,
      );
    }
    return context;
  }
}
