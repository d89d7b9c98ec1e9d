/**
 * The language model seen by the beam decoders (shallow fusion, as DeepSpeech's Scorer):
 *
 *     hypothesis score = acoustic log P  +  Σ over words ( alpha · log P_LM(word | history) + beta )
 *
 * alpha is the LM weight and beta the word-insertion bonus, both from the LM package's model.json
 * (LmOutputSpec). The decoders gather every word request of one acoustic step and make ONE
 * `score` call, so an RNN LM can run them as a single batch on the GPU.
 */

/** Opaque LM state handle (e.g. a row in the LM's hidden-state pool). Equal ids ⇔ same state. */
export interface LmContext {
  readonly id: number;
}

export interface ScoreRequest {
  context: LmContext;
  /** Lowercased spelling. */
  word: string;
}

export interface ScoreResponse {
  /** Natural-log P(word | context). */
  logProb: number;
  /** The LM state after the word. */
  next: LmContext;
}

export interface Scorer {
  /** LM weight. */
  readonly alpha: number;
  /** Word bonus added per word (log domain). */
  readonly beta: number;
  /** The sentence-start context. */
  start(): LmContext;
  /**
   * log P(word | context) (natural log) and the context after the word, for many requests in ONE
   * batched call; responses in request order. Words outside the LM vocabulary get the <unk> score
   * (spread over unknown words), never -Infinity: an OOV word can still win on acoustics.
   */
  score(requests: ReadonlyArray<ScoreRequest>): Promise<ScoreResponse[]>;
  /** log P(<eos> | context) per context, used at finalize. Optional. */
  scoreEnd?(contexts: ReadonlyArray<LmContext>): Promise<number[]>;
}
