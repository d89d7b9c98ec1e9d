import type { LmContext, Scorer, ScoreRequest, ScoreResponse } from '../../../../models/language/scorer';

/**
 * A bigram table posing as the LM: context id = index of the previous word in `vocab`
 * (0 = sentence start). Unlisted pairs get `otherLogProb`; words outside the vocabulary get
 * `unkLogProb` and the <unk> context. Records every score() call for the batching tests.
 */
export class FakeBigramScorer implements Scorer {
  readonly calls: ScoreRequest[][] = [];
  readonly endCalls: LmContext[][] = [];
  private readonly vocab: string[];

  constructor(
    readonly alpha: number,
    readonly beta: number,
    words: readonly string[],
    private readonly table: Record<string, number>, // 'prev word' → logP, prev '<s>' for start
    private readonly otherLogProb = -6,
    private readonly unkLogProb = -9,
    private readonly endTable: Record<string, number> = {},
  ) {
    this.vocab = ['<s>', '<unk>', ...words];
  }

  start(): LmContext {
    return { id: 0 };
  }

  async score(requests: ReadonlyArray<ScoreRequest>): Promise<ScoreResponse[]> {
    this.calls.push([...requests]);
    await Promise.resolve(); // really asynchronous, as a GPU LM would be
    return requests.map(({ context, word }) => {
      const id = this.vocab.indexOf(word);
      if (id < 0) return { logProb: this.unkLogProb, next: { id: 1 } };
      const prev = this.vocab[context.id];
      return { logProb: this.table[`${prev} ${word}`] ?? this.otherLogProb, next: { id } };
    });
  }

  async scoreEnd(contexts: ReadonlyArray<LmContext>): Promise<number[]> {
    this.endCalls.push([...contexts]);
    return contexts.map((c) => this.endTable[this.vocab[c.id]] ?? -2);
  }
}
