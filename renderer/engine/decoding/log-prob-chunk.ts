/** A block of acoustic model output, as it flows from the acoustic stage to the decoder. */
export interface LogProbChunk {
  /** steps × K natural-log posteriors, row-major (K = alphabet size). Not mutated after emission. */
  logProbs: Float32Array;
  /** Number of acoustic steps in this chunk (may be 0). */
  steps: number;
}
