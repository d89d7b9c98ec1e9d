import { concat, concatMap, defer, from, map, Observable, type OperatorFunction } from 'rxjs';
import type { CtcDecoder } from '../decoding/decode-result';
import type { LogProbChunk } from '../decoding/log-prob-chunk';
import type { StageClock } from '../pipeline/blocks';
import { defaultEndpointConfig, type EndpointConfig } from './endpointer';
import { Transcriber } from './transcriber';
import type { TranscriptUpdate } from './transcript';

export interface TranscribeOptions {
  /** Seconds per acoustic step (must match the decoder's config). */
  secondsPerStep: number;
  /** Alphabet size K of the log-probability rows. */
  alphabetSize: number;
  endpoint?: EndpointConfig;
  /** Adds the decoding time to clock.times.decoderMs. */
  clock?: StageClock;
}

/** A transcript update and the chunk it came from (null for the end-of-input flush). */
export type TranscribedChunk<T extends LogProbChunk> = TranscriptUpdate & { chunk: T | null };

/**
 * Turns acoustic log-probability chunks into transcript updates: after every chunk, the
 * segments that became final (endpointing) and the current partial; when the source completes,
 * the last partial is flushed as final. The decoder feeds on one step (one row) at a time, so the
 * endpoints do not depend on the chunk sizes. With an LM scorer the chunks are decoded one after the
 * other (a chunk that arrives meanwhile waits; none is dropped); without one, in the same tick.
 * Unsubscribing resets the decoder (its beam is freed).
 *
 * @example
 * ```ts
 * posteriors$.pipe(transcribe(decoder, { secondsPerStep: 0.03, alphabetSize: 40 }))
 *   .subscribe(({ finals, partial }) => view.update(finals, partial));
 * ```
 */
export function transcribe<T extends LogProbChunk>(
  decoder: CtcDecoder,
  options: TranscribeOptions,
): OperatorFunction<T, TranscribedChunk<T>> {
  const clock = options.clock;
  const timed = <R>(f: () => R): R => {
    if (!clock) return f();
    const t0 = clock.now();
    try {
      return f();
    } finally {
      clock.times.decoderMs += clock.now() - t0;
    }
  };
  const timedAsync = async <R>(f: () => Promise<R>): Promise<R> => {
    const t0 = clock?.now() ?? 0;
    try {
      return await f();
    } finally {
      if (clock) clock.times.decoderMs += clock.now() - t0;
    }
  };
  return (source) =>
    new Observable<TranscribedChunk<T>>((subscriber) => {
      const tr = new Transcriber(
        decoder,
        options.endpoint ?? defaultEndpointConfig(),
        options.secondsPerStep,
        options.alphabetSize,
      );
      const subscription = decoder.isAsync
        ? concat(
            source.pipe(
              concatMap((chunk) => from(timedAsync(() => tr.push(chunk))).pipe(map((u) => ({ ...u, chunk })))),
            ),
            defer(() => from(timedAsync(() => tr.flush()))).pipe(map((u) => ({ ...u, chunk: null }))),
          ).subscribe(subscriber)
        : source.subscribe({
            next: (chunk) => {
              let update: TranscriptUpdate;
              try {
                update = timed(() => tr.pushSync(chunk));
              } catch (err) {
                subscriber.error(err);
                return;
              }
              subscriber.next({ ...update, chunk });
            },
            error: (err) => subscriber.error(err),
            complete: () => {
              let update: TranscriptUpdate;
              try {
                update = timed(() => tr.flushSync());
              } catch (err) {
                subscriber.error(err);
                return;
              }
              subscriber.next({ ...update, chunk: null });
              subscriber.complete();
            },
          });
      return () => {
        subscription.unsubscribe();
        decoder.reset();
      };
    });
}
