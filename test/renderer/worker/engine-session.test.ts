/**
 * The engine worker's session logic, run in Node with the real recognizer and small random-weight
 * test packages: loading and validation, live model swaps, file transcription with progress and
 * cancel, the session timeline.
 */
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../../renderer/engine';
import { EngineSession } from '../../../renderer/worker/engine-session';
import type { EngineConfig, PackagePayload, Segment, WorkerToUi } from '../../../renderer/worker/protocol';
import { createSpeller } from '../../../models/language/speller';
import { loadModelPackage } from '../../../models/package/load-package';
import { memorySource } from '../../../models/package/package-source';
import {
  makeCharacterCtcModel,
  makePhonemeCtcModel,
  makeSpellingModel,
  makeWordLm,
  testPackageFiles,
  type TestModel,
} from '../../fixtures/make-test-models';

const config: EngineConfig = { recognizer: { backend: 'reference' }, lmAlpha: null, lmBeta: null };

function payload(name: string, model: TestModel): PackagePayload {
  return { name, files: Object.fromEntries(testPackageFiles(model)) };
}

/** Speech-like bursts with pauses, 16 kHz. */
function babble(seconds: number, rate = 16000): Float32Array {
  const x = new Float32Array(Math.round(seconds * rate));
  for (let i = 0; i < x.length; i++) {
    const t = i / rate;
    const burst = Math.floor(t * 4) % 3 !== 2 ? 1 : 0;
    x[i] = burst * (0.3 * Math.sin(2 * Math.PI * 120 * t) + 0.1 * Math.sin(2 * Math.PI * 370 * t));
  }
  return x;
}

function setup() {
  const messages: WorkerToUi[] = [];
  let onPost: ((m: WorkerToUi) => void) | null = null;
  const session = new EngineSession(
    (m) => {
      messages.push(m);
      onPost?.(m);
    },
    createEngine,
    { yieldToEvents: () => new Promise((r) => setTimeout(r, 0)) },
  );
  const next = <T extends WorkerToUi['type']>(type: T): Promise<Extract<WorkerToUi, { type: T }>> =>
    new Promise((resolve) => {
      onPost = (m) => {
        if (m.type === type) resolve(m as Extract<WorkerToUi, { type: T }>);
      };
    });
  const of = <T extends WorkerToUi['type']>(type: T) =>
    messages.filter((m): m is Extract<WorkerToUi, { type: T }> => m.type === type);
  return { session, messages, next, of };
}

/** Every final segment the session reported, in order. */
function finalsOf(messages: WorkerToUi[]): Segment[] {
  return messages.flatMap((m) => (m.type === 'update' || m.type === 'stopped' ? m.finals : []));
}

describe('EngineSession', () => {
  it('loads the acoustic model and LM and describes both', async () => {
    const { session, of } = setup();
    await session.handle({
      type: 'load',
      requestId: 1,
      acoustic: payload('acoustic', makePhonemeCtcModel({ seed: 1 })),
      lm: payload('lm', makeWordLm({ seed: 2 })),
      config,
    });
    const [loaded] = of('loaded');
    expect(loaded.slot).toBe('both');
    expect(loaded.info.acoustic).toMatchObject({ kind: 'acoustic', units: 'phonemes', alphabetSize: 12 });
    expect(loaded.info.acoustic.parameterCount).toBeGreaterThan(0);
    expect(loaded.info.lm).toMatchObject({ kind: 'language' });
    expect(loaded.info.lm!.vocabularySize).toBeGreaterThan(2);
    expect(loaded.info.backend).toBe('reference');
  });

  it("under 'auto' the LM runs on lmBackendFor('auto') (wasm-simd in Node), also when a settings change reuses the acoustic model's timed choice", async () => {
    const { session, of } = setup();
    const auto: EngineConfig = { ...config, recognizer: { backend: 'auto' } };
    await session.handle({
      type: 'load',
      requestId: 1,
      acoustic: payload('acoustic', makePhonemeCtcModel({ seed: 1 })),
      lm: payload('lm', makeWordLm({ seed: 2 })),
      config: auto,
    });
    await session.handle({ type: 'configure', requestId: 2, config: { ...auto, lmAlpha: 1.25, lmBeta: -0.5 } });
    const [first, second] = of('loaded').map((l) => l.info);
    expect(second.backend).toBe(first.backend); // the acoustic model's choice, timed once
    expect([first.lmBackend, second.lmBackend]).toEqual(['wasm-simd', 'wasm-simd']);
  });

  it('rescores with the LM: the scorer uses the package weights unless settings override them, and honours LM off', async () => {
    const { session, of } = setup();
    const lm = makeWordLm({ seed: 2 });
    const packaged = lm.json.output.type === 'lm' ? { alpha: lm.json.output.alpha, beta: lm.json.output.beta } : null;
    await session.handle({
      type: 'load',
      requestId: 1,
      acoustic: payload('acoustic', makePhonemeCtcModel({ seed: 1 })),
      lm: payload('lm', lm),
      config,
    });
    await session.handle({ type: 'configure', requestId: 2, config: { ...config, lmAlpha: 1.25, lmBeta: -0.5 } });
    await session.handle({
      type: 'configure',
      requestId: 3,
      config: { ...config, recognizer: { ...config.recognizer, useLm: false } },
    });
    const [loaded, weighted, off] = of('loaded').map((l) => l.info);
    expect(loaded).toMatchObject({ lmActive: true, lmBackend: 'reference', lmNote: null, lmWeights: packaged });
    expect(weighted).toMatchObject({ lmActive: true, lmWeights: { alpha: 1.25, beta: -0.5 } });
    expect(off).toMatchObject({
      lmActive: false,
      lmBackend: null,
      lmWeights: null,
      lmNote: expect.stringMatching(/switched off/),
    });
    // transcribes with the LM on
    await session.handle({ type: 'configure', requestId: 4, config });
    await session.handle({
      type: 'transcribe-file',
      requestId: 5,
      audio: { kind: 'pcm', sampleRate: 16000, channels: [babble(2)] },
      timeline: { offsetSeconds: 0, firstSegmentId: 0 },
    });
    expect(of('stopped')).toHaveLength(1);
    expect(of('error')).toEqual([]);
  });

  it('refuses a broken package with its validation error and keeps the current model', async () => {
    const { session, of } = setup();
    await session.handle({
      type: 'load',
      requestId: 1,
      acoustic: payload('good', makePhonemeCtcModel({ seed: 1 })),
      lm: null,
      config,
    });
    await session.handle({
      type: 'open-package',
      requestId: 2,
      pkg: { name: 'broken', files: { 'model.json': new TextEncoder().encode('{"format": "earshot-model", "vers') } },
      config,
    });
    const [failed] = of('load-failed');
    expect(failed.requestId).toBe(2);
    expect(failed.message).toMatch(/broken.*model\.json.*invalid JSON/);
    await session.handle({
      type: 'open-package',
      requestId: 3,
      pkg: { name: 'junk.zip', zip: new Uint8Array([1, 2, 3]) },
      config,
    });
    expect(of('load-failed')[1].message).toMatch(/junk\.zip.*not a readable zip/);

    // still transcribes with the first model
    await session.handle({
      type: 'transcribe-file',
      requestId: 4,
      audio: { kind: 'pcm', sampleRate: 16000, channels: [babble(1.5)] },
      timeline: { offsetSeconds: 0, firstSegmentId: 0 },
    });
    expect(of('stopped')).toHaveLength(1);
    expect(of('loaded')).toHaveLength(1);
  });

  it('puts a language model package into the LM slot and an acoustic one into the acoustic slot', async () => {
    const { session, of } = setup();
    await session.handle({
      type: 'load',
      requestId: 1,
      acoustic: payload('phonemes', makePhonemeCtcModel({ seed: 1 })),
      lm: null,
      config,
    });
    await session.handle({
      type: 'open-package',
      requestId: 2,
      pkg: payload('my-lm', makeWordLm({ seed: 3 })),
      config,
    });
    await session.handle({
      type: 'open-package',
      requestId: 3,
      pkg: payload('chars', makeCharacterCtcModel({ seed: 4 })),
      config,
    });
    const [, lmLoaded, acousticLoaded] = of('loaded');
    expect(lmLoaded.slot).toBe('lm');
    expect(lmLoaded.info.lm?.source).toBe('my-lm');
    expect(acousticLoaded.slot).toBe('acoustic');
    expect(acousticLoaded.info.acoustic).toMatchObject({ units: 'characters', source: 'chars' });
    expect(acousticLoaded.info.lm?.source).toBe('my-lm'); // the LM stays
  });

  it('refuses a language model given as the acoustic model', async () => {
    const { session, of } = setup();
    await session.handle({
      type: 'load',
      requestId: 1,
      acoustic: payload('lm', makeWordLm({ seed: 3 })),
      lm: null,
      config,
    });
    expect(of('load-failed')[0].message).toMatch(/is a language model, not an acoustic model/);
  });

  it('transcribes a file in blocks with progress, on the session timeline', async () => {
    const { session, of, messages } = setup();
    await session.handle({
      type: 'load',
      requestId: 1,
      acoustic: payload('a', makePhonemeCtcModel({ seed: 13 })),
      lm: null,
      config,
    });
    const stereo = [babble(3.5, 22050), babble(3.5, 22050)];
    await session.handle({
      type: 'transcribe-file',
      requestId: 7,
      audio: { kind: 'pcm', sampleRate: 22050, channels: stereo },
      timeline: { offsetSeconds: 100, firstSegmentId: 40 },
    });
    const progress = of('file-progress');
    expect(progress.map((p) => Math.round(p.processedSeconds * 10) / 10)).toEqual([1, 2, 3, 3.5]);
    expect(progress.every((p) => p.totalSeconds === 3.5)).toBe(true);
    const [stopped] = of('stopped');
    expect(stopped).toMatchObject({ source: 'file', requestId: 7, cancelled: false });
    const finals = finalsOf(messages);
    expect(finals.length).toBeGreaterThan(0);
    for (const s of finals) {
      expect(s.id).toBeGreaterThanOrEqual(40);
      expect(s.start).toBeGreaterThanOrEqual(100);
      expect(s.end).toBeLessThanOrEqual(103.6);
    }
    expect(new Set(finals.map((s) => s.id)).size).toBe(finals.length);
  });

  it('reports an undecodable WAV without starting a stream', async () => {
    const { session, of } = setup();
    await session.handle({
      type: 'load',
      requestId: 1,
      acoustic: payload('a', makePhonemeCtcModel({ seed: 13 })),
      lm: null,
      config,
    });
    await session.handle({
      type: 'transcribe-file',
      requestId: 2,
      audio: { kind: 'wav', bytes: new TextEncoder().encode('RIFF....WAVEjunk') },
      timeline: { offsetSeconds: 0, firstSegmentId: 0 },
    });
    expect(of('file-failed')[0]).toMatchObject({ requestId: 2, message: expect.stringMatching(/WAV/) });
    expect(of('stopped')).toHaveLength(0);
  });

  it('cancels a file between blocks and still delivers what was heard', async () => {
    const { session, of, next } = setup();
    await session.handle({
      type: 'load',
      requestId: 1,
      acoustic: payload('a', makePhonemeCtcModel({ seed: 13 })),
      lm: null,
      config,
    });
    const firstProgress = next('file-progress');
    const job = session.handle({
      type: 'transcribe-file',
      requestId: 9,
      audio: { kind: 'pcm', sampleRate: 16000, channels: [babble(20)] },
      timeline: { offsetSeconds: 0, firstSegmentId: 0 },
    });
    await firstProgress;
    await session.handle({ type: 'cancel-file', requestId: 9 });
    await job;
    const [stopped] = of('stopped');
    expect(stopped.cancelled).toBe(true);
    expect(of('file-progress').length).toBeLessThan(20);
  });

  it('swaps models live during a stream: the old stream finishes, the new one continues the timeline', async () => {
    const { session, messages, of } = setup();
    await session.handle({
      type: 'load',
      requestId: 1,
      acoustic: payload('a', makePhonemeCtcModel({ seed: 13 })),
      lm: null,
      config,
    });
    await session.handle({ type: 'start', timeline: { offsetSeconds: 0, firstSegmentId: 0 } });
    const audio = babble(4);
    const push = async (from: number, to: number) => {
      for (let i = from; i < to; i += 1600)
        await session.handle({ type: 'audio', sampleRate: 16000, samples: audio.slice(i, Math.min(to, i + 1600)) });
      await new Promise((r) => setTimeout(r, 20));
    };
    await push(0, 32000);
    await session.handle({
      type: 'open-package',
      requestId: 2,
      pkg: payload('b', makePhonemeCtcModel({ seed: 14 })),
      config,
    });
    await push(32000, 64000);
    await session.handle({ type: 'stop' });
    expect(of('loaded').map((l) => l.info.acoustic.source)).toEqual(['a', 'b']);
    const [stopped] = of('stopped');
    expect(stopped.stats.secondsReceived).toBeCloseTo(4, 5);
    const finals = finalsOf(messages);
    expect(finals.length).toBeGreaterThanOrEqual(2); // at least the swap's flush and the end's
    const ids = finals.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (let i = 1; i < finals.length; i++) expect(finals[i].start).toBeGreaterThanOrEqual(finals[i - 1].start);
    expect(finals.at(-1)!.end).toBeLessThanOrEqual(4.1);
    expect(finals.some((s) => s.start >= 1.9)).toBe(true); // the second model's words sit after the swap point
  });

  it('reconfigures with the same packages (hotwords) and reports hotwords missing from the lexicon', async () => {
    const { session, of } = setup();
    await session.handle({
      type: 'load',
      requestId: 1,
      acoustic: payload('a', makePhonemeCtcModel({ seed: 13 })),
      lm: null,
      config,
    });
    await session.handle({
      type: 'configure',
      requestId: 2,
      config: {
        ...config,
        recognizer: { ...config.recognizer, hotwords: ['cat', 'zebra:4'], userLexicon: 'DOGGO D AO G AO\n' },
      },
    });
    const [, configured] = of('loaded');
    expect(configured.slot).toBe('config');
    expect(configured.info.unknownHotwords).toEqual(['zebra']);
    expect(configured.info.lexiconProblems).toEqual([]);
  });

  it('lists the pronunciation lines it could not use, with line numbers and reasons', async () => {
    const { session, of } = setup();
    await session.handle({
      type: 'load',
      requestId: 1,
      acoustic: payload('a', makePhonemeCtcModel({ seed: 13 })),
      lm: null,
      config,
    });
    await session.handle({
      type: 'configure',
      requestId: 2,
      config: {
        ...config,
        recognizer: { ...config.recognizer, userLexicon: 'DOGGO D AO G AO\nzorblax\ncat k ae t\n' },
      },
    });
    const [, configured] = of('loaded');
    expect(configured.info.lexiconProblems.map((p: { line: number }) => p.line)).toEqual([2, 3]);
    expect(configured.info.lexiconProblems[0].reason).toMatch(/'zorblax' has no pronunciation/);
    expect(configured.info.lexiconProblems[1].reason).toMatch(/lower case/);
  });

  it('proposes a pronunciation for a word typed alone, with the letters → phonemes package (a p2g one offered as g2p is left out)', async () => {
    const g2p = makeSpellingModel({ direction: 'g2p', seed: 9 });
    const direct = await createSpeller(await loadModelPackage(memorySource('g2p', testPackageFiles(g2p))), {
      backend: 'js',
    });
    const expected = await direct.spell('zorblax');
    direct.dispose();
    expect(expected).toMatch(/^[A-Z]+( [A-Z]+)*$/); // this seed spells it: the test can see a wrong or missing proposal
    const { session, of } = setup();
    const readable = { punct: null, spell: null, g2p: payload('g2p', g2p) };
    await session.handle({
      type: 'load',
      requestId: 1,
      acoustic: payload('a', makePhonemeCtcModel({ seed: 13 })),
      lm: null,
      config,
      readable,
    });
    await session.handle({
      type: 'configure',
      requestId: 2,
      config: {
        ...config,
        recognizer: { ...config.recognizer, userLexicon: 'DOGGO D AO G AO\nzorblax\ncat k ae t\n' },
      },
    });
    const problems = of('loaded')[1].info.lexiconProblems;
    expect(problems.map((p) => p.proposal)).toEqual([expected, undefined]); // line 3 has phonemes: nothing to propose

    const wrong = setup();
    await wrong.session.handle({
      type: 'load',
      requestId: 1,
      acoustic: payload('a', makePhonemeCtcModel({ seed: 13 })),
      lm: null,
      config: { ...config, recognizer: { ...config.recognizer, userLexicon: 'zorblax\n' } },
      readable: { punct: null, spell: null, g2p: payload('p2g', makeSpellingModel({ seed: 9 })) },
    });
    const info = wrong.of('loaded')[0].info;
    expect(info.lexiconProblems[0].proposal).toBeUndefined();
    expect(info.readable?.note).toMatch(/letters → phonemes model could not be loaded: .*spells p2g, not g2p/);
  });

  it('ignores audio and end markers from a port whose run is over', async () => {
    const { session, of } = setup();
    await session.handle({
      type: 'load',
      requestId: 1,
      acoustic: payload('a', makePhonemeCtcModel({ seed: 13 })),
      lm: null,
      config,
    });
    const { port1, port2 } = new MessageChannel();
    await session.handle({ type: 'attach-audio', port: port2 });
    await session.handle({ type: 'start', timeline: { offsetSeconds: 0, firstSegmentId: 0 } });
    await session.handle({ type: 'stop' });
    // a file run starts; the finished microphone run's worklet sends its end marker late
    const job = session.handle({
      type: 'transcribe-file',
      requestId: 5,
      audio: { kind: 'pcm', sampleRate: 16000, channels: [babble(2)] },
      timeline: { offsetSeconds: 0, firstSegmentId: 0 },
    });
    port1.postMessage({ type: 'end' });
    await job;
    expect(of('stopped').map((s) => [s.source, s.cancelled])).toEqual([
      ['microphone', false],
      ['file', false],
    ]);
    port1.close();
  });
});
