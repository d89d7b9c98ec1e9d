/**
 * The worker's streams run through the engine API's streaming entry (Engine.stream): each run is one
 * subscription, closed on stop, on a cancelled import and on a live model swap; a pipeline error
 * becomes an 'error' message and the run still ends; audio pushed faster than the engine runs is
 * all transcribed (the soak's "0 dropped blocks", here through the worker's session).
 */
import { finalize, from, lastValueFrom, map, reduce } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createEngine, memorySource, type Engine } from '../../../renderer/engine';
import { EngineSession } from '../../../renderer/worker/engine-session';
import type { EngineConfig, PackagePayload, WorkerToUi } from '../../../renderer/worker/protocol';
import { makePhonemeCtcModel, testPackageFiles, type TestModel } from '../../fixtures/make-test-models';

const config: EngineConfig = { recognizer: { backend: 'reference' }, lmAlpha: null, lmBeta: null };
const timeline = { offsetSeconds: 0, firstSegmentId: 0 };

function payload(name: string, model: TestModel): PackagePayload {
  return { name, files: Object.fromEntries(testPackageFiles(model)) };
}

function babble(seconds: number, rate = 16000): Float32Array {
  const x = new Float32Array(Math.round(seconds * rate));
  for (let i = 0; i < x.length; i++) {
    const t = i / rate;
    x[i] =
      (Math.floor(t * 4) % 3 !== 2 ? 1 : 0) *
      (0.3 * Math.sin(2 * Math.PI * 120 * t) + 0.1 * Math.sin(2 * Math.PI * 370 * t));
  }
  return x;
}

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

function setup(create: typeof createEngine) {
  const messages: WorkerToUi[] = [];
  const session = new EngineSession((m) => messages.push(m), create, {
    yieldToEvents: () => new Promise((r) => setTimeout(r, 0)),
  });
  const of = <T extends WorkerToUi['type']>(type: T) =>
    messages.filter((m): m is Extract<WorkerToUi, { type: T }> => m.type === type);
  return { session, messages, of };
}

describe('EngineSession streams (Engine.stream)', () => {
  it('closes the subscription on stop and on a live model swap, and disposes the old engine once its stream is done', async () => {
    const { create, log } = counting();
    const { session, of } = setup(create);
    await session.handle({
      type: 'load',
      requestId: 1,
      acoustic: payload('a', makePhonemeCtcModel({ seed: 13 })),
      lm: null,
      config,
    });
    await session.handle({ type: 'start', timeline });
    const audio = babble(3);
    const push = async (fromSample: number, to: number) => {
      for (let i = fromSample; i < to; i += 160)
        await session.handle({ type: 'audio', sampleRate: 16000, samples: audio.slice(i, Math.min(to, i + 160)) });
      await new Promise((r) => setTimeout(r, 20));
    };
    await push(0, 24000);
    expect(log).toMatchObject({ opened: 1, closed: 0 });
    await session.handle({
      type: 'open-package',
      requestId: 2,
      pkg: payload('b', makePhonemeCtcModel({ seed: 14 })),
      config,
    });
    await push(24000, 48000);
    // the swap closed the first run and freed its engine
    expect(log).toMatchObject({ engines: 2, opened: 2, closed: 1, disposed: 1 });
    await session.handle({ type: 'stop' });
    expect(log).toMatchObject({ opened: 2, closed: 2, disposed: 1 }); // the second engine is the current one: kept
    expect(of('stopped')[0].stats.secondsReceived).toBeCloseTo(3, 5);
    expect(of('error')).toEqual([]);
  });

  it('closes the subscription when an import is cancelled, and keeps what was heard', async () => {
    const { create, log } = counting();
    const { session, of } = setup(create);
    await session.handle({
      type: 'load',
      requestId: 1,
      acoustic: payload('a', makePhonemeCtcModel({ seed: 13 })),
      lm: null,
      config,
    });
    const job = session.handle({
      type: 'transcribe-file',
      requestId: 3,
      audio: { kind: 'pcm', sampleRate: 16000, channels: [babble(30)] },
      timeline,
    });
    while (of('file-progress').length === 0) await new Promise((r) => setTimeout(r, 1));
    await session.handle({ type: 'cancel-file', requestId: 3 });
    await job;
    expect(of('stopped')[0]).toMatchObject({ source: 'file', cancelled: true });
    expect(of('file-progress').length).toBeLessThan(30);
    expect(log).toMatchObject({ opened: 1, closed: 1 });
  });

  it('turns a pipeline error into an error message naming the cause; the import still ends with what was heard', async () => {
    const { create, log } = counting(2);
    const { session, of } = setup(create);
    await session.handle({
      type: 'load',
      requestId: 1,
      acoustic: payload('a', makePhonemeCtcModel({ seed: 13 })),
      lm: null,
      config,
    });
    await session.handle({
      type: 'transcribe-file',
      requestId: 4,
      audio: { kind: 'pcm', sampleRate: 16000, channels: [babble(6)] },
      timeline,
    });
    expect(of('error').map((e) => e.message)).toEqual(['Recognition failed: the acoustic model ran out of memory']);
    expect(of('stopped')).toHaveLength(1);
    expect(of('file-progress').length).toBeLessThanOrEqual(2);
    expect(log).toMatchObject({ opened: 1, closed: 1 });
  });

  it('an import goes on through a live model swap: every block once, the timeline continues, both runs closed', async () => {
    const { create, log } = counting();
    const { session, messages, of } = setup(create);
    await session.handle({
      type: 'load',
      requestId: 1,
      acoustic: payload('a', makePhonemeCtcModel({ seed: 13 })),
      lm: null,
      config,
    });
    const job = session.handle({
      type: 'transcribe-file',
      requestId: 5,
      audio: { kind: 'pcm', sampleRate: 16000, channels: [babble(8)] },
      timeline: { offsetSeconds: 50, firstSegmentId: 7 },
    });
    while (of('file-progress').length < 2) await new Promise((r) => setTimeout(r, 1));
    await session.handle({
      type: 'open-package',
      requestId: 2,
      pkg: payload('b', makePhonemeCtcModel({ seed: 14 })),
      config,
    });
    await job;
    expect(of('loaded').map((l) => l.info.acoustic.source)).toEqual(['a', 'b']);
    expect(of('file-progress').map((p) => p.processedSeconds)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const [stopped] = of('stopped');
    expect(stopped).toMatchObject({ source: 'file', cancelled: false });
    expect(stopped.stats.secondsReceived).toBeCloseTo(8, 5);
    const finals = messages.flatMap((m) => (m.type === 'update' || m.type === 'stopped' ? m.finals : []));
    expect(finals.length).toBeGreaterThanOrEqual(2); // the swap's flush and the end's
    expect(new Set(finals.map((f) => f.id)).size).toBe(finals.length);
    for (const f of finals) expect(f.id).toBeGreaterThanOrEqual(7);
    for (let i = 1; i < finals.length; i++) expect(finals[i].start).toBeGreaterThanOrEqual(finals[i - 1].start);
    expect(finals.every((f) => f.start >= 50 && f.end <= 58.1)).toBe(true);
    expect(log).toMatchObject({ engines: 2, opened: 2, closed: 2, disposed: 1 });
    expect(of('error')).toEqual([]);
  });

  it('drops nothing when microphone blocks come faster than the engine runs: every feature frame of the audio comes out', async () => {
    const model = makePhonemeCtcModel({ seed: 13 });
    const { session, messages, of } = setup(createEngine);
    await session.handle({ type: 'load', requestId: 1, acoustic: payload('a', model), lm: null, config });
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
    expect(messages.filter((m) => m.type === 'error')).toEqual([]);
  });
});
