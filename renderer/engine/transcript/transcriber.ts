/**
 * Drives one stream: decoder + endpointer + transcript. Steps are fed to the decoder one at a
 * time so that the endpoint falls on the same step whatever the chunking (streaming and
 * whole-file runs give the same segments).
 *
 *     const tr = new Transcriber(decoder, defaultEndpointConfig(), 0.03);
 *     const update = await tr.push(chunk);   // { finals: [...newly final], partial }
 *     const last = await tr.flush();         // end of stream
 */

import type { CtcDecoder } from '../decoding/decode-result';
import type { LogProbChunk } from '../decoding/log-prob-chunk';
import { Endpointer, endpointKeepsSegment, type EndpointConfig, type EndpointReason } from './endpointer';
import type { Segment } from './segment';
import { Transcript, type TranscriptUpdate } from './transcript';

export class Transcriber {
  readonly transcript = new Transcript();
  private readonly endpointer: Endpointer;
  private readonly k: number;
  private offsetSeconds = 0;

  constructor(
    private readonly decoder: CtcDecoder,
    config: EndpointConfig,
    /** Seconds per acoustic step (must match the decoder's). */
    private readonly secondsPerStep: number,
    /** Alphabet size K of the log-probability rows. */
    alphabetSize: number,
  ) {
    this.endpointer = new Endpointer(config, secondsPerStep);
    this.k = alphabetSize;
    this.reset();
  }

  get isAsync(): boolean {
    return this.decoder.isAsync;
  }

  reset(): void {
    this.offsetSeconds = 0;
    this.decoder.reset(0);
    this.endpointer.reset();
    this.transcript.clear();
  }

  async push(chunk: LogProbChunk): Promise<TranscriptUpdate> {
    if (!this.decoder.isAsync) return this.pushSync(chunk);
    const finals: Segment[] = [];
    for (let s = 0; s < chunk.steps; s++) {
      await this.decoder.next(chunk.logProbs.subarray(s * this.k, (s + 1) * this.k), 1);
      const reason = this.endpoint();
      if (reason !== null)
        this.endUtterance(reason, endpointKeepsSegment(reason) ? await this.decoder.finalize() : null, finals);
    }
    return { finals, partial: this.transcript.setPartial(this.decoder.partial()) };
  }

  /** push() for decoders without a scorer; throws otherwise. */
  pushSync(chunk: LogProbChunk): TranscriptUpdate {
    const finals: Segment[] = [];
    for (let s = 0; s < chunk.steps; s++) {
      this.decoder.nextSync(chunk.logProbs.subarray(s * this.k, (s + 1) * this.k), 1);
      const reason = this.endpoint();
      if (reason !== null)
        this.endUtterance(reason, endpointKeepsSegment(reason) ? this.decoder.finalizeSync() : null, finals);
    }
    return { finals, partial: this.transcript.setPartial(this.decoder.partial()) };
  }

  /** End of stream: the partial becomes final. */
  async flush(): Promise<TranscriptUpdate> {
    if (!this.decoder.isAsync) return this.flushSync();
    const finals: Segment[] = [];
    this.endUtterance('silence', await this.decoder.finalize(), finals);
    return { finals, partial: null };
  }

  flushSync(): TranscriptUpdate {
    const finals: Segment[] = [];
    this.endUtterance('silence', this.decoder.finalizeSync(), finals);
    return { finals, partial: null };
  }

  private endpoint(): EndpointReason | null {
    const trailing = this.decoder.trailingBlankSteps();
    return this.endpointer.push({
      trailingBlankSteps: trailing,
      decodedAny: trailing < this.decoder.stepsDecoded,
    });
  }

  private endUtterance(
    reason: EndpointReason,
    result: Parameters<Transcript['commit']>[0] | null,
    finals: Segment[],
  ): void {
    if (result !== null && endpointKeepsSegment(reason)) {
      const segment = this.transcript.commit(result);
      if (segment !== null) finals.push(segment);
    } else {
      this.transcript.discardPartial();
    }
    this.offsetSeconds += this.decoder.stepsDecoded * this.secondsPerStep;
    this.decoder.reset(this.offsetSeconds);
    this.endpointer.reset();
  }
}
