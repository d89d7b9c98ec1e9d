import { concatMap, defer, from, Observable, of, throwError, type ObservableInput, type OperatorFunction } from 'rxjs';
import type { StageClock, StageTimes } from '../blocks';

/**
 * One pipeline stage's state for one subscription: `next` turns a block into the next stage's block,
 * `end` (optional) gives what it still holds when the input completes, `free` (optional) lets go of
 * what it holds (called on completion, error and unsubscribe alike).
 */
export interface Stage<I, O> {
  next(block: I): O;
  end?(): O | null;
  free?(): void;
}

/** An error thrown inside a stage, named after it: "acoustic model: x holds 3 values, ...". */
export function stageError(stage: string, error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  return new Error(`${stage}: ${message}`, { cause: error });
}

function timed<T>(clock: StageClock | undefined, key: keyof StageTimes, f: () => T): T {
  if (!clock) return f();
  const t0 = clock.now();
  try {
    return f();
  } finally {
    clock.times[key] += clock.now() - t0;
  }
}

/**
 * A synchronous stage as an operator: each subscription sets up its own state (`setup`), every block
 * is turned into one output block in the same tick (marble-testable), the time goes to `clock.times[key]`.
 */
export function syncStage<I, O>(
  name: string,
  setup: () => Stage<I, O>,
  clock: StageClock | undefined,
  key: keyof StageTimes,
): OperatorFunction<I, O> {
  return (source) =>
    new Observable<O>((subscriber) => {
      let stage: Stage<I, O>;
      try {
        stage = setup();
      } catch (e) {
        subscriber.error(stageError(name, e));
        return;
      }
      const subscription = source.subscribe({
        next: (block) => {
          let out: O;
          try {
            out = timed(clock, key, () => stage.next(block));
          } catch (e) {
            subscriber.error(stageError(name, e));
            return;
          }
          subscriber.next(out);
        },
        error: (e) => subscriber.error(e),
        complete: () => {
          let last: O | null;
          try {
            last = stage.end ? timed(clock, key, () => stage.end!()) : null;
          } catch (e) {
            subscriber.error(stageError(name, e));
            return;
          }
          if (last !== null) subscriber.next(last);
          subscriber.complete();
        },
      });
      return () => {
        subscription.unsubscribe();
        stage.free?.();
      };
    });
}

/**
 * A stage whose work may be asynchronous (the RNN on a GPU, an LM-scored decoder, readable text):
 * blocks are taken one after the other (concatMap), so a block that arrives while one is being worked
 * on waits in order; none is dropped. A stage that answers synchronously emits in the same tick.
 * Unsubscribing drops the queued blocks, ignores the one in flight and frees the state.
 */
export function asyncStage<I, O>(
  name: string,
  setup: () => { next(block: I): O | Promise<O>; free?(): void },
): OperatorFunction<I, O> {
  return (source) =>
    defer(() => {
      const stage = setup();
      return new Observable<O>((subscriber) => {
        const subscription = source
          .pipe(
            concatMap((block): ObservableInput<O> => {
              let out: O | Promise<O>;
              try {
                out = stage.next(block);
              } catch (e) {
                return throwError(() => stageError(name, e));
              }
              if (out instanceof Promise) return from(out.catch((e: unknown) => Promise.reject(stageError(name, e))));
              return of(out);
            }),
          )
          .subscribe(subscriber);
        return () => {
          subscription.unsubscribe();
          stage.free?.();
        };
      });
    });
}
