/**
 * Endpoint detection: decides, step by step, when the utterance being decoded ends and its
 * partial becomes final (sherpa-onnx style rules, as config).
 *
 * Silence is measured from the decoder's trailing blank steps (steps since the best path's last
 * non-blank frame).
 */

export interface EndpointConfig {
  /** Silence after speech that ends the utterance. */
  trailingSilenceMs: number;
  /** Utterances with less speech than this are discarded at their silence endpoint (coughs, clicks); 0 keeps all. */
  minSpeechMs: number;
  /** Forced split: an utterance this long is finalized even mid-speech (the last word may be cut). */
  maxSegmentMs: number;
  /** With nothing decoded for this long, the utterance is dropped (keeps decoder state small in long silences). */
  maxSilenceWithoutSpeechMs: number;
}

export function defaultEndpointConfig(): EndpointConfig {
  return { trailingSilenceMs: 800, minSpeechMs: 0, maxSegmentMs: 20_000, maxSilenceWithoutSpeechMs: 2_400 };
}

/** One acoustic step's evidence. */
export interface EndpointInput {
  /** decoder.trailingBlankSteps() after this step. */
  trailingBlankSteps: number;
  /** Whether the best path has emitted any unit since the utterance began. */
  decodedAny: boolean;
}

/**
 * silence:    speech then ≥ trailingSilenceMs of silence: finalize.
 * max-length: the utterance reached maxSegmentMs: finalize.
 * too-short:  silence endpoint, but less speech than minSpeechMs: discard.
 * no-speech:  nothing decoded for maxSilenceWithoutSpeechMs: discard.
 */
export type EndpointReason = 'silence' | 'max-length' | 'too-short' | 'no-speech';

export function endpointKeepsSegment(reason: EndpointReason): boolean {
  return reason === 'silence' || reason === 'max-length';
}

export class Endpointer {
  private steps = 0;
  private firstDecodedStep = -1;

  constructor(
    private readonly config: EndpointConfig,
    /** Seconds per acoustic step. */
    private readonly secondsPerStep: number,
  ) {}

  /** Feeds one step; returns why the utterance ends here, or null to go on. Call reset() after an endpoint. */
  push(input: EndpointInput): EndpointReason | null {
    const t = this.steps++;
    const msPerStep = this.secondsPerStep * 1000;
    if (input.decodedAny && this.firstDecodedStep < 0)
      this.firstDecodedStep = t - Math.min(input.trailingBlankSteps, t);

    const silenceSteps = input.trailingBlankSteps;
    const silenceMs = silenceSteps * msPerStep;
    const utteranceMs = this.steps * msPerStep;

    if (input.decodedAny) {
      if (silenceMs >= this.config.trailingSilenceMs) {
        const speechSteps = this.steps - silenceSteps - this.firstDecodedStep;
        return speechSteps * msPerStep >= this.config.minSpeechMs ? 'silence' : 'too-short';
      }
    } else if (utteranceMs >= this.config.maxSilenceWithoutSpeechMs) {
      return 'no-speech';
    }
    if (utteranceMs >= this.config.maxSegmentMs) return input.decodedAny ? 'max-length' : 'no-speech';
    return null;
  }

  reset(): void {
    this.steps = 0;
    this.firstDecodedStep = -1;
  }
}
