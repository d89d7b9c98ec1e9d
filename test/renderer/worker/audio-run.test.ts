import { concatMap, delay, finalize, map, Observable, of, type OperatorFunction } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { AudioBlock, EngineUpdate } from '../../../renderer/engine';
import { AudioRun } from '../../../renderer/worker/audio-run';

/** A stand-in for Engine.stream: one update per block (its sample count as `steps`), then a flush on completion. */
function fakeEngine(opts: { slowMs?: number; failAt?: number } = {}) {
  const log = { subscribed: 0, finalized: 0, blocks: 0 };
  const toUpdate: OperatorFunction<AudioBlock, EngineUpdate> = (audio$) =>
    audio$.pipe(
      concatMap((block) => of(block).pipe(delay(opts.slowMs ?? 0))),
      map((block): EngineUpdate => {
        log.blocks++;
        if (opts.failAt !== undefined && log.blocks === opts.failAt) throw new Error('the RNN step failed');
        return { finals: [], partial: null, features: [], level: -20, steps: block.samples.length };
      }),
    );
  const stream = (audio$: Observable<AudioBlock>): Observable<EngineUpdate> =>
    new Observable<EngineUpdate>((subscriber) => {
      log.subscribed++;
      const inner = toUpdate(audio$).subscribe({
        next: (u) => subscriber.next(u),
        error: (e) => subscriber.error(e),
        complete: () => {
          subscriber.next({
            finals: [{ id: 0, start: 0, end: 1, text: 'flushed', final: true, words: [] }],
            partial: null,
            features: [],
            level: -Infinity,
            steps: 0,
          });
          subscriber.complete();
        },
      });
      return () => inner.unsubscribe();
    }).pipe(finalize(() => log.finalized++));
  return { stream, log };
}

const block = (n: number): AudioBlock => ({ sampleRate: 16000, samples: new Float32Array(n) });

describe('AudioRun', () => {
  it('drops nothing when the engine is slower than the audio: every block is answered, in order, then the flush', async () => {
    const { stream, log } = fakeEngine({ slowMs: 2 });
    const steps: number[] = [];
    const run = new AudioRun(stream, { update: (u) => steps.push(u.steps), error: () => expect.unreachable() });
    for (let i = 1; i <= 40; i++) run.push(block(i)); // all at once: the engine is still on the first
    const last = await run.end();
    expect(steps).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(last?.finals.map((s) => s.text)).toEqual(['flushed']);
    expect(run.finals).toBe(1);
    expect(run.seconds).toBeCloseTo((40 * 41) / 2 / 16000, 9);
    expect(log).toEqual({ subscribed: 1, finalized: 1, blocks: 40 });
  });

  it('end() closes the subscription; audio after it is not taken', async () => {
    const { stream, log } = fakeEngine();
    const run = new AudioRun(stream, { update: () => undefined, error: () => expect.unreachable() });
    run.push(block(10));
    await run.end();
    expect(run.open).toBe(false);
    run.push(block(10));
    expect(log).toMatchObject({ subscribed: 1, finalized: 1, blocks: 1 });
    expect(await run.end()).not.toBeNull(); // end() twice gives the same last update
  });

  it('abort() unsubscribes at once: the pipeline stops, the queued blocks are not transcribed', async () => {
    const { stream, log } = fakeEngine({ slowMs: 5 });
    const seen: number[] = [];
    const run = new AudioRun(stream, { update: (u) => seen.push(u.steps), error: () => expect.unreachable() });
    for (let i = 1; i <= 10; i++) run.push(block(i));
    run.abort();
    expect(log.finalized).toBe(1);
    expect(await run.end()).toBeNull();
    await new Promise((r) => setTimeout(r, 30));
    expect(seen).toEqual([]);
    expect(log.blocks).toBe(0);
  });

  it('a failing pipeline reports its error once, closes, and takes no more audio', async () => {
    const { stream, log } = fakeEngine({ failAt: 3 });
    const errors: string[] = [];
    const run = new AudioRun(stream, { update: () => undefined, error: (e) => errors.push((e as Error).message) });
    for (let i = 1; i <= 5; i++) run.push(block(i));
    expect(await run.end()).toBeNull();
    expect(errors).toEqual(['the RNN step failed']);
    expect(run.error).toBeInstanceOf(Error);
    expect(run.open).toBe(false);
    expect(log.finalized).toBe(1);
  });

  it('whenIdle() waits for the block sent to be answered (one update per block without coalescing)', async () => {
    const { stream } = fakeEngine({ slowMs: 5 });
    let updates = 0;
    const run = new AudioRun(stream, { update: () => updates++, error: () => expect.unreachable() });
    run.push(block(1));
    expect(run.idle).toBe(false);
    await run.whenIdle();
    expect(updates).toBe(1);
    run.push(block(2));
    run.push(block(3));
    await run.whenIdle();
    expect(updates).toBe(3);
    await run.end();
  });
});
