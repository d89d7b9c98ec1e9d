/**
 * The word RNN language model as a plain API: next-word distributions, sentence log-probabilities
 * (perplexity), and sequence generation (the seed's one-to-many: sample a word, feed it back,
 * until <eos>).
 *
 *   const lm = await createLanguageModel(pkg);                      // backend 'reference'
 *   const lp = await lm.logProbs(['i', 'want']);                    // log P(· | <eos> i want), V values
 *   lp[lm.vocabulary.id('to')]                                      // log P(to | i want)
 *   const words = await lm.sample(['the'], 0.8, seededRng);         // ['the', 'ship', ...] without <eos>
 *   const { logProb, tokens } = (await lm.sentenceLogProbs([['hello', 'there']]))[0];
 *   lm.dispose();
 *
 * All log-probabilities are natural logs. Words outside the vocabulary are read as <unk>.
 */
import type { LoadedPackage } from '../package/load-package';
import type { BackendName } from '../rnn/backend';
import { LmContextTree } from './lm-context-tree';
import type { LmVocabulary } from './lm-vocabulary';

export interface LanguageModelOptions {
  /** Where the RNN runs; default 'reference'. */
  backend?: BackendName;
  /** Computed histories kept for logProbs()/sample(); default 128. */
  maxCachedContexts?: number;
}

export interface SampleOptions {
  /** Stop after this many words even without <eos>; default 40. */
  maxWords?: number;
  /** Let <unk> be drawn (printed as "<unk>"); default false: it is excluded and the rest renormalized. */
  allowUnk?: boolean;
}

export interface SentenceScore {
  /** Σ log P(w_i | <eos> w_1 … w_{i-1}) over the words and the closing <eos>. */
  logProb: number;
  /** Words + 1 (the <eos>): the perplexity denominator. */
  tokens: number;
  /** Words read as <unk>. */
  oov: number;
}

export interface LanguageModel {
  readonly name: string;
  readonly vocabulary: LmVocabulary;
  /** log P(next word | <eos> history) for every vocabulary row. The array is the model's own: do not modify it. */
  logProbs(history: readonly string[]): Promise<Float32Array>;
  /**
   * Sequence generation: continues `prompt` word by word, each drawn from softmax(log P / temperature),
   * until <eos> (not returned) or maxWords. Returns prompt + sampled words. temperature → 0 is greedy.
   */
  sample(prompt: readonly string[], temperature: number, rng: () => number, options?: SampleOptions): Promise<string[]>;
  /** Scores whole sentences (each as <eos> w1 … wn <eos>), many at a time in batched RNN steps. */
  sentenceLogProbs(sentences: readonly (readonly string[])[], batchSize?: number): Promise<SentenceScore[]>;
  dispose(): void;
}

export async function createLanguageModel(
  pkg: LoadedPackage,
  options: LanguageModelOptions = {},
): Promise<LanguageModel> {
  const tree = await LmContextTree.create(pkg, { backend: options.backend, maxComputed: options.maxCachedContexts });
  return new RnnLanguageModel(pkg.json.name, tree);
}

class RnnLanguageModel implements LanguageModel {
  readonly vocabulary: LmVocabulary;

  constructor(
    readonly name: string,
    private readonly tree: LmContextTree,
  ) {
    this.vocabulary = tree.vocabulary;
  }

  async logProbs(history: readonly string[]): Promise<Float32Array> {
    const node = this.tree.path(history.map((w) => this.vocabulary.id(w)));
    return this.tree.withComputed([node], () => node.logProbs!);
  }

  async sample(
    prompt: readonly string[],
    temperature: number,
    rng: () => number,
    options: SampleOptions = {},
  ): Promise<string[]> {
    const maxWords = options.maxWords ?? 40;
    const { unk, eos, words } = this.vocabulary;
    const out = [...prompt];
    let node = this.tree.path(prompt.map((w) => this.vocabulary.id(w)));
    for (let n = 0; n < maxWords; n++) {
      const row = await this.tree.withComputed([node], () => node.logProbs!);
      const id = drawWord(row, temperature, rng, options.allowUnk ? -1 : unk);
      if (id === eos) break;
      out.push(words[id]);
      node = this.tree.child(node, id);
    }
    return out;
  }

  async sentenceLogProbs(sentences: readonly (readonly string[])[], batchSize = 128): Promise<SentenceScore[]> {
    const out: SentenceScore[] = [];
    for (let i = 0; i < sentences.length; i += batchSize) {
      out.push(...(await this.scoreGroup(sentences.slice(i, i + batchSize))));
    }
    return out;
  }

  /** B sentences side by side: step t feeds word t−1 of every sentence (<eos> at t = 0) in one stepBatch. */
  private async scoreGroup(group: readonly (readonly string[])[]): Promise<SentenceScore[]> {
    const { stack, embeddingSize: E } = this.tree;
    const { eos, unk, size: V } = this.vocabulary;
    const B = group.length;
    const ids = group.map((s) => s.map((w) => this.vocabulary.id(w)));
    const scores: SentenceScore[] = ids.map((s) => ({
      logProb: 0,
      tokens: s.length + 1,
      oov: s.filter((id) => id === unk).length,
    }));
    const steps = Math.max(0, ...ids.map((s) => s.length)) + 1;
    const state = stack.initialState(B);
    const x = new Float32Array(B * E);
    for (let t = 0; t < steps; t++) {
      for (let b = 0; b < B; b++) {
        const input = t === 0 ? eos : (ids[b][t - 1] ?? eos); // finished sentences idle on <eos>
        this.tree.embeddingRow(input, x, b * E);
      }
      const rows = await this.tree.exclusive(() => stack.stepBatch(x, B, state));
      for (let b = 0; b < B; b++) {
        if (t > ids[b].length) continue;
        const target = t < ids[b].length ? ids[b][t] : eos;
        scores[b].logProb += rows[b * V + target];
      }
    }
    return scores;
  }

  dispose(): void {
    this.tree.dispose();
  }
}

/**
 * Index drawn from softmax(logProbs / temperature), skipping `banned` (−1: none). temperature ≤ 0
 * (or tiny) picks the most probable word. rng() is uniform in [0, 1).
 */
export function drawWord(logProbs: Float32Array, temperature: number, rng: () => number, banned = -1): number {
  let best = -1;
  for (let i = 0; i < logProbs.length; i++) {
    if (i !== banned && (best < 0 || logProbs[i] > logProbs[best])) best = i;
  }
  if (!(temperature > 1e-6)) return best;
  // p_i ∝ exp((l_i − l_best) / T): shifted so the largest term is 1
  const top = logProbs[best];
  let total = 0;
  for (let i = 0; i < logProbs.length; i++) if (i !== banned) total += Math.exp((logProbs[i] - top) / temperature);
  let u = rng() * total;
  for (let i = 0; i < logProbs.length; i++) {
    if (i === banned) continue;
    u -= Math.exp((logProbs[i] - top) / temperature);
    if (u <= 0) return i;
  }
  return best; // rounding left a sliver: the mode is as good a draw as any
}
