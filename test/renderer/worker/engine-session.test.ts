/**
 * The engine worker's session logic, run in Node with the real recognizer and small random-weight
 * test packages: loading and validation, live model swaps, file transcription with progress and
 * cancel, the session timeline.
 */
import { describe, expect, it } from 'vitest';
import type { EngineConfig, PackagePayload, RecognizerConfig } from '../../../renderer/worker/protocol';
import { createSpeller } from '../../../models/language/speller';
import { loadModelPackage } from '../../../models/package/load-package';
import { memorySource } from '../../../models/package/package-source';
import {
  makeCharacterCtcModel,
  makePhonemeCtcModel,
  makeSpellingModel,
  makeWordLm,
  testPackageFiles,
} from '../../fixtures/make-test-models';
import {
  babble,
  config,
  expectOnTimeline,
  finalsOf,
  payload,
  phonemes,
  setup,
  timeline,
  withRecognizer,
} from './helpers';

/** The phoneme acoustic model (seed 1) and the word LM (seed 2) that the LM tests load together. */
const withLm = () => ({ acoustic: payload('acoustic', makePhonemeCtcModel({ seed: 1 })), lm: makeWordLm({ seed: 2 }) });

describe('EngineSession', () => {
  it('loads the acoustic model and LM and describes both', async () => {
    const { load, of } = setup();
    const { acoustic, lm } = withLm();
    await load(acoustic, { lm: payload('lm', lm) });
    const [loaded] = of('loaded');
    expect(loaded.slot).toBe('both');
    expect(loaded.info.acoustic).toMatchObject({ kind: 'acoustic', units: 'phonemes', alphabetSize: 12 });
    expect(loaded.info.acoustic.parameterCount).toBeGreaterThan(0);
    expect(loaded.info.lm).toMatchObject({ kind: 'language' });
    expect(loaded.info.lm!.vocabularySize).toBeGreaterThan(2);
    expect(loaded.info.backend).toBe('reference');
  });

  it("under 'auto' the LM runs on lmBackendFor('auto') (wasm-simd in Node), also when a settings change reuses the acoustic model's timed choice", async () => {
    const { load, configure, of } = setup();
    const auto: EngineConfig = { ...config, recognizer: { backend: 'auto' } };
    const { acoustic, lm } = withLm();
    await load(acoustic, { lm: payload('lm', lm), config: auto });
    await configure(2, { ...auto, lmAlpha: 1.25, lmBeta: -0.5 });
    const [first, second] = of('loaded').map((l) => l.info);
    expect(second.backend).toBe(first.backend); // the acoustic model's choice, timed once
    expect([first.lmBackend, second.lmBackend]).toEqual(['wasm-simd', 'wasm-simd']);
  });

  it('rescores with the LM: the scorer uses the package weights unless settings override them, and honours LM off', async () => {
    const { load, configure, transcribe, of } = setup();
    const { acoustic, lm } = withLm();
    const packaged = lm.json.output.type === 'lm' ? { alpha: lm.json.output.alpha, beta: lm.json.output.beta } : null;
    await load(acoustic, { lm: payload('lm', lm) });
    await configure(2, { ...config, lmAlpha: 1.25, lmBeta: -0.5 });
    await configure(3, withRecognizer({ useLm: false }));
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
    await configure(4, config);
    await transcribe(5, babble(2));
    expect(of('stopped')).toHaveLength(1);
    expect(of('error')).toEqual([]);
  });

  it.each<[string, PackagePayload, RegExp]>([
    [
      'a package with a broken model.json',
      { name: 'broken', files: { 'model.json': new TextEncoder().encode('{"format": "earshot-model", "vers') } },
      /broken.*model\.json.*invalid JSON/,
    ],
    ['a zip that is not one', { name: 'junk.zip', zip: new Uint8Array([1, 2, 3]) }, /junk\.zip.*not a readable zip/],
  ])('refuses %s with its validation error and keeps the current model', async (_, pkg, message) => {
    const { load, openPackage, transcribe, of } = setup();
    await load(phonemes('good', 1));
    await openPackage(2, pkg);
    expect(of('load-failed')).toMatchObject([{ requestId: 2, message: expect.stringMatching(message) }]);
    // still transcribes with the first model
    await transcribe(4, babble(1.5));
    expect(of('stopped')).toHaveLength(1);
    expect(of('loaded')).toHaveLength(1);
  });

  it('puts a language model package into the LM slot and an acoustic one into the acoustic slot', async () => {
    const { load, openPackage, of } = setup();
    await load(phonemes('phonemes', 1));
    await openPackage(2, payload('my-lm', makeWordLm({ seed: 3 })));
    await openPackage(3, payload('chars', makeCharacterCtcModel({ seed: 4 })));
    const [, lmLoaded, acousticLoaded] = of('loaded');
    expect(lmLoaded.slot).toBe('lm');
    expect(lmLoaded.info.lm?.source).toBe('my-lm');
    expect(acousticLoaded.slot).toBe('acoustic');
    expect(acousticLoaded.info.acoustic).toMatchObject({ units: 'characters', source: 'chars' });
    expect(acousticLoaded.info.lm?.source).toBe('my-lm'); // the LM stays
  });

  it('refuses a language model given as the acoustic model', async () => {
    const { load, of } = setup();
    await load(payload('lm', makeWordLm({ seed: 3 })));
    expect(of('load-failed')[0].message).toMatch(/is a language model, not an acoustic model/);
  });

  it('transcribes a file in blocks with progress, on the session timeline', async () => {
    const { load, transcribe, of, messages } = setup();
    await load();
    const stereo = [babble(3.5, 22050), babble(3.5, 22050)];
    await transcribe(
      7,
      { kind: 'pcm', sampleRate: 22050, channels: stereo },
      { offsetSeconds: 100, firstSegmentId: 40 },
    );
    const progress = of('file-progress');
    expect(progress.map((p) => Math.round(p.processedSeconds * 10) / 10)).toEqual([1, 2, 3, 3.5]);
    expect(progress.every((p) => p.totalSeconds === 3.5)).toBe(true);
    const [stopped] = of('stopped');
    expect(stopped).toMatchObject({ source: 'file', requestId: 7, cancelled: false });
    expectOnTimeline(finalsOf(messages), { atLeast: 1, firstId: 40, from: 100, to: 103.6 });
  });

  it('reports an undecodable WAV without starting a stream', async () => {
    const { load, transcribe, of } = setup();
    await load();
    await transcribe(2, { kind: 'wav', bytes: new TextEncoder().encode('RIFF....WAVEjunk') });
    expect(of('file-failed')[0]).toMatchObject({ requestId: 2, message: expect.stringMatching(/WAV/) });
    expect(of('stopped')).toHaveLength(0);
  });

  it('cancels a file between blocks and still delivers what was heard', async () => {
    const { load, cancelAfterFirstProgress, of } = setup();
    await load();
    await cancelAfterFirstProgress(9, 20);
    const [stopped] = of('stopped');
    expect(stopped.cancelled).toBe(true);
    expect(of('file-progress').length).toBeLessThan(20);
  });

  it('swaps models live during a stream: the old stream finishes, the new one continues the timeline', async () => {
    const { session, load, openPackage, push, messages, of } = setup();
    await load();
    await session.handle({ type: 'start', timeline });
    const audio = babble(4);
    await push(audio, 0, 32000, 1600);
    await openPackage(2, phonemes('b', 14));
    await push(audio, 32000, 64000, 1600);
    await session.handle({ type: 'stop' });
    expect(of('loaded').map((l) => l.info.acoustic.source)).toEqual(['a', 'b']);
    const [stopped] = of('stopped');
    expect(stopped.stats.secondsReceived).toBeCloseTo(4, 5);
    const finals = finalsOf(messages);
    // at least the swap's flush and the end's
    expectOnTimeline(finals, { atLeast: 2, firstId: 0, from: 0, to: 4.1 });
    expect(finals.some((s) => s.start >= 1.9)).toBe(true); // the second model's words sit after the swap point
  });

  it.each<[string, Partial<RecognizerConfig>, string[], { line: number; reason: RegExp }[]]>([
    [
      'with the same packages (hotwords) and reports hotwords missing from the lexicon',
      { hotwords: ['cat', 'zebra:4'], userLexicon: 'DOGGO D AO G AO\n' },
      ['zebra'],
      [],
    ],
    [
      'and lists the pronunciation lines it could not use, with line numbers and reasons',
      { userLexicon: 'DOGGO D AO G AO\nzorblax\ncat k ae t\n' },
      [],
      [
        { line: 2, reason: /'zorblax' has no pronunciation/ },
        { line: 3, reason: /lower case/ },
      ],
    ],
  ])('reconfigures %s', async (_, recognizer, unknownHotwords, problems) => {
    const { load, configure, of } = setup();
    await load();
    await configure(2, withRecognizer(recognizer));
    const [, configured] = of('loaded');
    expect(configured.slot).toBe('config');
    expect(configured.info.unknownHotwords).toEqual(unknownHotwords);
    // an array matches only one of the same length
    expect(configured.info.lexiconProblems).toMatchObject(
      problems.map(({ line, reason }) => ({ line, reason: expect.stringMatching(reason) })),
    );
  });

  it('proposes a pronunciation for a word typed alone, with the letters → phonemes package (a p2g one offered as g2p is left out)', async () => {
    const g2p = makeSpellingModel({ direction: 'g2p', seed: 9 });
    const direct = await createSpeller(await loadModelPackage(memorySource('g2p', testPackageFiles(g2p))), {
      backend: 'js',
    });
    const expected = await direct.spell('zorblax');
    direct.dispose();
    expect(expected).toMatch(/^[A-Z]+( [A-Z]+)*$/); // this seed spells it: the test can see a wrong or missing proposal
    const { load, configure, of } = setup();
    await load(phonemes(), { readable: { punct: null, spell: null, g2p: payload('g2p', g2p) } });
    await configure(2, withRecognizer({ userLexicon: 'DOGGO D AO G AO\nzorblax\ncat k ae t\n' }));
    const problems = of('loaded')[1].info.lexiconProblems;
    expect(problems.map((p) => p.proposal)).toEqual([expected, undefined]); // line 3 has phonemes: nothing to propose

    const wrong = setup();
    await wrong.load(phonemes(), {
      config: withRecognizer({ userLexicon: 'zorblax\n' }),
      readable: { punct: null, spell: null, g2p: payload('p2g', makeSpellingModel({ seed: 9 })) },
    });
    const info = wrong.of('loaded')[0].info;
    expect(info.lexiconProblems[0].proposal).toBeUndefined();
    expect(info.readable?.note).toMatch(/letters → phonemes model could not be loaded: .*spells p2g, not g2p/);
  });

  it('ignores audio and end markers from a port whose run is over', async () => {
    const { session, load, transcribe, of } = setup();
    await load();
    const { port1, port2 } = new MessageChannel();
    await session.handle({ type: 'attach-audio', port: port2 });
    await session.handle({ type: 'start', timeline });
    await session.handle({ type: 'stop' });
    // a file run starts; the finished microphone run's worklet sends its end marker late
    const job = transcribe(5, babble(2));
    port1.postMessage({ type: 'end' });
    await job;
    expect(of('stopped').map((s) => [s.source, s.cancelled])).toEqual([
      ['microphone', false],
      ['file', false],
    ]);
    port1.close();
  });
});
