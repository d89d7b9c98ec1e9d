import { concat, concatMap, defer, from, Observable, type OperatorFunction } from 'rxjs';
import type { CtcDecoder, DecodeResult } from './decode-result';
import type { LogProbChunk } from './log-prob-chunk';

export interface CtcDecodeOptions {
  /** Seconds of the first step (passed to decoder.reset). Default 0. */
  offsetSeconds?: number;
}

/**
 * Decodes a stream of acoustic log-probability chunks with one incremental CTC decoder:
 * emits the decoder's partial result after every chunk, then the finalized result when the
 * source completes. The decoder is reset on subscribe and on unsubscribe (freeing its beam),
 * so one decoder serves one subscription at a time.
 *
 * Decoders without a scorer run synchronously (emissions happen in the same tick as the chunk:
 * marble-testable); with a scorer, chunks are decoded in order, one after the other.
 *
 * @example
 * ```ts
 * const decoder = new LexiconBeamDecoder(spec.output, trie, { ...defaultLexiconBeamConfig(), secondsPerStep: 0.03 });
 * posteriors$.pipe(ctcDecode(decoder)).subscribe((r) => console.log(r.text));
 * ```
 */
export function ctcDecode(decoder: CtcDecoder, options: CtcDecodeOptions = {}): OperatorFunction<LogProbChunk, DecodeResult> {
  return (source) =>
    new Observable<DecodeResult>((subscriber) => {
      decoder.reset(options.offsetSeconds ?? 0);
      let subscription;
      if (!decoder.isAsync) {
        subscription = source.subscribe({
          next: (chunk) => {
            try {
              decoder.nextSync(chunk.logProbs, chunk.steps);
            } catch (err) {
              subscriber.error(err);
              return;
            }
            subscriber.next(decoder.partial());
          },
          error: (err) => subscriber.error(err),
          complete: () => {
            let final: DecodeResult;
            try {
              final = decoder.finalizeSync();
            } catch (err) {
              subscriber.error(err);
              return;
            }
            subscriber.next(final);
            subscriber.complete();
          },
        });
      } else {
        subscription = concat(
          source.pipe(concatMap((chunk) => from(decoder.next(chunk.logProbs, chunk.steps).then(() => decoder.partial())))),
          defer(() => from(decoder.finalize())),
        ).subscribe(subscriber);
      }
      return () => {
        subscription.unsubscribe();
        decoder.reset();
      };
    });
}
