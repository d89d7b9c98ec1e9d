/**
 * The worker's streams run through the engine API's streaming entry (Engine.stream): each run is one
 * subscription, closed on stop, on a cancelled import and on a live model swap; a pipeline error
 * becomes an 'error' message and the run still ends; audio pushed faster than the engine runs is
 * all transcribed (the soak's "0 dropped blocks", here through the worker's session).
 */
import { finalize, from, lastValueFrom, map, reduce } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createEngine, memorySource, type Engine } from '../../../renderer/engine';
import { makePhonemeCtcModel, testPackageFiles } from '../../fixtures/make-test-models';
import { babble, expectOnTimeline, finalsOf, payload, phonemes, setup, timeline } from './helpers';

/** createEngine, counting the engines made and disposed and the stream subscriptions opened and closed. */
function counting(failAfterBlocks?: number) {
  const log = { engines: 0, disposed: 0, opened: 0, closed: 0 };
  const create: typeof createEngine = async (...args) => {
    const engine = await createEngine(...args);
    log.engines++;
    const wrapped: Engine = {
      ...engine,
      stream: (audio$, options) => {
        log.opened++;
        // a model that fails on block failAfterBlocks + 1
        const input =
          failAfterBlocks === undefined
            ? audio$
            : from(audio$).pipe(
                map((block, i) => {
                  if (i >= failAfterBlocks) throw new Error('the acoustic model ran out of memory');
                  return block;
                }),
              );
        return engine.stream(input, options).pipe(finalize(() => log.closed++));
      },
      dispose: () => {
        log.disposed++;
        engine.dispose();
      },
    };
    return wrapped;
  };
  return { create, log };
}

/** A session on the counting createEngine, with model 'a' loaded. */
async function loadedCounting(failAfterBlocks?: number) {
  const { create, log } = counting(failAfterBlocks);
  const session = setup(create);
  await session.load();
  return { ...session, log };
}

describe('EngineSession streams (Engine.stream)', () => {
  it('closes the subscription on stop and on a live model swap, and disposes the old engine once its stream is done', async () => {
    const { session, openPackage, push, of, log } = await loadedCounting();
    await session.handle({ type: 'start', timeline });
    const audio = babble(3);
    await push(audio, 0, 24000, 160);
    expect(log).toMatchObject({ opened: 1, closed: 0 });
    await openPackage(2, phonemes('b', 14));
    await push(audio, 24000, 48000, 160);
    // the swap closed the first run and freed its engine
    expect(log).toMatchObject({ engines: 2, opened: 2, closed: 1, disposed: 1 });
    await session.handle({ type: 'stop' });
    expect(log).toMatchObject({ opened: 2, closed: 2, disposed: 1 }); // the second engine is the current one: kept
    expect(of('stopped')[0].stats.secondsReceived).toBeCloseTo(3, 5);
    expect(of('error')).toEqual([]);
  });

  it('closes the subscription when an import is cancelled, and keeps what was heard', async () => {
    const { cancelAfterFirstProgress, of, log } = await loadedCounting();
    await cancelAfterFirstProgress(3, 30);
    expect(of('stopped')[0]).toMatchObject({ source: 'file', cancelled: true });
    expect(of('file-progress').length).toBeLessThan(30);
    expect(log).toMatchObject({ opened: 1, closed: 1 });
  });

  it('turns a pipeline error into an error message naming the cause; the import still ends with what was heard', async () => {
    const { transcribe, of, log } = await loadedCounting(2);
    await transcribe(4, babble(6));
    expect(of('error').map((e) => e.message)).toEqual(['Recognition failed: the acoustic model ran out of memory']);
    expect(of('stopped')).toHaveLength(1);
    expect(of('file-progress').length).toBeLessThanOrEqual(2);
    expect(log).toMatchObject({ opened: 1, closed: 1 });
  });

  it('an import goes on through a live model swap: every block once, the timeline continues, both runs closed', async () => {
    const { transcribe, openPackage, until, messages, of, log } = await loadedCounting();
    const job = transcribe(5, babble(8), { offsetSeconds: 50, firstSegmentId: 7 });
    await until(() => of('file-progress').length >= 2);
    await openPackage(2, phonemes('b', 14));
    await job;
    expect(of('loaded').map((l) => l.info.acoustic.source)).toEqual(['a', 'b']);
    expect(of('file-progress').map((p) => p.processedSeconds)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const [stopped] = of('stopped');
    expect(stopped).toMatchObject({ source: 'file', cancelled: false });
    expect(stopped.stats.secondsReceived).toBeCloseTo(8, 5);
    // the swap's flush and the end's
    expectOnTimeline(finalsOf(messages), { atLeast: 2, firstId: 7, from: 50, to: 58.1 });
    expect(log).toMatchObject({ engines: 2, opened: 2, closed: 2, disposed: 1 });
    expect(of('error')).toEqual([]);
  });

  it('drops nothing when microphone blocks come faster than the engine runs: every feature frame of the audio comes out', async () => {
    const model = makePhonemeCtcModel({ seed: 13 });
    const { session, load, of } = setup();
    await load(payload('a', model));
    await session.handle({ type: 'start', timeline });
    const audio = babble(4);
    // 400 blocks of 10 ms without waiting for any pass: the engine works through them coalesced
    for (let i = 0; i < audio.length; i += 160)
      void session.handle({ type: 'audio', sampleRate: 16000, samples: audio.slice(i, i + 160) });
    await session.handle({ type: 'stop' });
    const [stopped] = of('stopped');
    expect(stopped.stats.samplesReceived).toBe(audio.length);
    const updates = of('update');
    expect(updates.length).toBeLessThan(400); // passes coalesced under load
    const framesOut = updates.reduce((n, u) => n + (u.features?.frames ?? 0), 0);
    // the same audio in one go through the engine directly: the frame count does not depend on the blocks
    const direct = await createEngine(
      { acoustic: memorySource('a', testPackageFiles(model)) },
      { backend: 'reference' },
    );
    const framesDirect = await lastValueFrom(
      direct.stream(from([{ sampleRate: 16000, samples: audio }])).pipe(reduce((n, u) => n + u.features.length, 0)),
    );
    direct.dispose();
    expect(framesOut).toBeGreaterThan(0);
    expect(framesOut).toBe(framesDirect);
    expect(stopped.stats.featureFrames).toBe(framesDirect);
    expect(of('error')).toEqual([]);
  });
});
