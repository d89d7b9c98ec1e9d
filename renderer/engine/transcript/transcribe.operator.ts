import { concat, concatMap, defer, from, Observable, type OperatorFunction } from 'rxjs';
import type { CtcDecoder } from '../decoding/decode-result';
import type { LogProbChunk } from '../decoding/log-prob-chunk';
import { defaultEndpointConfig, type EndpointConfig } from './endpointer';
import { Transcriber } from './transcriber';
import type { TranscriptUpdate } from './transcript';

export interface TranscribeOptions {
  /** Seconds per acoustic step (must match the decoder's config). */
  secondsPerStep: number;
  /** Alphabet size K of the log-probability rows. */
  alphabetSize: number;
  endpoint?: EndpointConfig;
}

/**
 * Turns acoustic log-probability chunks into transcript updates: after every chunk, the
 * segments that became final (endpointing) and the current partial; when the source completes,
 * the last partial is flushed as final.
 *
 * @example
 * ```ts
 * posteriors$.pipe(transcribe(decoder, { secondsPerStep: 0.03, alphabetSize: 40 }))
 *   .subscribe(({ finals, partial }) => view.update(finals, partial));
 * ```
 */
export function transcribe(decoder: CtcDecoder, options: TranscribeOptions): OperatorFunction<LogProbChunk, TranscriptUpdate> {
  return (source) =>
    new Observable<TranscriptUpdate>((subscriber) => {
      const tr = new Transcriber(decoder, options.endpoint ?? defaultEndpointConfig(), options.secondsPerStep, options.alphabetSize);
      const subscription = decoder.isAsync
        ? concat(source.pipe(concatMap((chunk) => from(tr.push(chunk)))), defer(() => from(tr.flush()))).subscribe(subscriber)
        : source.subscribe({
            next: (chunk) => {
              let update: TranscriptUpdate;
              try {
                update = tr.pushSync(chunk);
              } catch (err) {
                subscriber.error(err);
                return;
              }
              subscriber.next(update);
            },
            error: (err) => subscriber.error(err),
            complete: () => {
              subscriber.next(tr.flushSync());
              subscriber.complete();
            },
          });
      return () => {
        subscription.unsubscribe();
        decoder.reset();
      };
    });
}
