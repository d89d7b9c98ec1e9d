/**
 * One run of audio through the engine's streaming entry (Engine.stream): the audio blocks go into a
 * Subject (fed from the worklet's port, or block by block from an imported file), the updates come out
 * of the engine's RxJS pipeline in order. A run ends in one of three ways:
 *
 *   end()     the input completes: the blocks still queued are transcribed, then the partial is
 *             flushed as final; end() resolves with that last update (stop, the end of a file, a
 *             cancelled import, and the old run of a live model swap);
 *   abort()   unsubscribes at once: the pipeline stops and lets go of its state;
 *   an error  the pipeline failed: `error` says why, and the run takes no more audio.
 *
 * In each case the subscription is closed afterwards, so the stream's RNN state, decoder beam and
 * readable-text state are freed. Nothing is dropped on the way: a block that arrives while the engine
 * is busy waits in the pipeline's queue (Engine.stream's coalescing joins waiting blocks, it never
 * skips one).
 */
import { Subject, type Observable, type Subscription } from 'rxjs';
import type { AudioBlock, EngineUpdate } from '../engine';

export interface AudioRunHandlers {
  /** Every update but the flush that end() returns. */
  update(update: EngineUpdate): void;
  /** The pipeline failed (once per run); the run is over. */
  error(error: unknown): void;
}

export class AudioRun {
  private readonly input = new Subject<AudioBlock>();
  private readonly subscription: Subscription;
  private sent = 0;
  private answered = 0;
  private ending = false;
  private closed = false;
  /** While ending: the latest update, reported when a later one comes, returned by end() if it is the last. */
  private last: EngineUpdate | null = null;
  private readonly finished: Promise<EngineUpdate | null>;
  private finish!: (last: EngineUpdate | null) => void;
  private waiters: Array<() => void> = [];
  /** Seconds of audio sent into this run. */
  seconds = 0;
  /** Final segments this run reported (end()'s flush included once it is out). */
  finals = 0;
  /** Why the pipeline failed, or null. */
  error: unknown = null;

  /**
   * `pipeline`: the engine's streaming entry, e.g. `(audio$) => engine.stream(audio$, { coalesce })`.
   * `coalesce`: whether it answers every block waiting when it was free with one update (live audio);
   * without, one update answers one block.
   */
  constructor(
    pipeline: (audio$: Observable<AudioBlock>) => Observable<EngineUpdate>,
    private readonly handlers: AudioRunHandlers,
    private readonly coalesce = false,
  ) {
    this.finished = new Promise((resolve) => (this.finish = resolve));
    this.subscription = pipeline(this.input.asObservable()).subscribe({
      next: (update) => this.onUpdate(update),
      error: (error) => {
        this.error = error ?? new Error('the pipeline failed');
        this.close(null);
        this.handlers.error(this.error);
      },
      complete: () => this.close(this.last),
    });
  }

  /** Whether the run still takes audio. */
  get open(): boolean {
    return !this.ending && !this.closed;
  }

  /** Whether every block sent so far has had its update (exact without coalescing; with it, as far as it can tell). */
  get idle(): boolean {
    return this.closed || this.answered >= this.sent;
  }

  push(block: AudioBlock): void {
    if (!this.open) return;
    this.sent++;
    this.seconds += block.samples.length / block.sampleRate;
    this.input.next(block);
  }

  /** Resolves once every block sent so far has been answered, or the run is over. */
  whenIdle(): Promise<void> {
    return this.idle ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Completes the input; resolves with the last update (the partial flushed as final), null after error or abort. */
  end(): Promise<EngineUpdate | null> {
    if (this.open) {
      this.ending = true;
      this.input.complete();
    }
    return this.finished;
  }

  /** Unsubscribes now: the pipeline stops; what was already reported stays. */
  abort(): void {
    this.ending = true;
    this.close(null);
  }

  private onUpdate(update: EngineUpdate): void {
    this.answered = this.coalesce ? this.sent : this.answered + 1;
    if (this.ending) {
      // the last update before completion is the flush: hold each one until the next shows it is not
      if (this.last) this.report(this.last);
      this.last = update;
    } else {
      this.report(update);
    }
    this.wake();
  }

  private report(update: EngineUpdate): void {
    this.finals += update.finals.length;
    this.handlers.update(update);
  }

  private close(last: EngineUpdate | null): void {
    if (this.closed) return;
    this.closed = true;
    if (last) this.finals += last.finals.length;
    this.last = null;
    this.subscription?.unsubscribe();
    this.input.complete();
    this.finish(last);
    this.wake();
  }

  private wake(): void {
    if (!this.idle) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
