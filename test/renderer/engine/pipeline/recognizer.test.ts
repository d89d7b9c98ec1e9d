import { describe, expect, it } from 'vitest';
import { parseModelPackage } from '../../../../models/package/load-package';
import { buildLexiconTrie } from '../../../../renderer/engine/decoding/lexicon-trie';
import { createRecognizer, defaultRecognizerConfig, type RecognizerConfig } from '../../../../renderer/engine/pipeline/recognizer';
import type { Segment } from '../../../../renderer/engine/transcript/segment';
import { makeCharacterCtcModel, makePhonemeCtcModel, testPackageFiles } from '../../../fixtures/make-test-models';

/** 3 s of a speech-like signal: bursts of harmonics with pauses, at 16 kHz. */
function babble(seconds: number, rate = 16000): Float32Array {
  const x = new Float32Array(seconds * rate);
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  for (let i = 0; i < x.length; i++) {
    const t = i / rate;
    const burst = Math.floor(t * 4) % 3 !== 2 ? 1 : 0;   // 2 of every 3 quarter-seconds
    const f0 = 110 + 40 * Math.sin(t * 3);
    x[i] = burst * (0.3 * Math.sin(2 * Math.PI * f0 * t) + 0.15 * Math.sin(2 * Math.PI * 3.1 * f0 * t)) + 0.01 * (rnd() - 0.5);
  }
  return x;
}

async function transcribe(pkgFiles: Map<string, Uint8Array>, audio: Float32Array, rate: number, block: number, config: Partial<RecognizerConfig> = {}) {
  const rec = await createRecognizer(parseModelPackage(pkgFiles), null, { ...defaultRecognizerConfig(), ...config, backend: 'reference' });
  const stream = rec.createStream();
  const segments: Segment[] = [];
  const partials: string[] = [];
  for (let i = 0; i < audio.length; i += block) {
    stream.acceptWaveform(rate, audio.subarray(i, Math.min(audio.length, i + block)));
    if (block >= 160 || i % 1600 === 0) {
      const u = await stream.decode();
      segments.push(...u.finals);
      if (u.partial) partials.push(u.partial.text);
    }
  }
  const last = await stream.finish();
  segments.push(...last.finals);
  rec.dispose();
  return { segments, partials };
}

const strip = (segs: Segment[]) => JSON.stringify(segs.map((s) => ({ t: s.text, s: s.start, e: s.end, w: s.words.map((w) => [w.word, w.start, w.end, w.confidence]) })));

describe('Recognizer', () => {
  const audio = babble(3);

  for (const [name, files] of [
    ['phoneme lexicon beam', testPackageFiles(makePhonemeCtcModel({ seed: 13 }))],
    ['character prefix beam', testPackageFiles(makeCharacterCtcModel({ cell: 'gru', seed: 12 }))],
  ] as const) {
    it(`gives the same transcript for blocks of 1, 160, 4096 samples and the whole file (${name})`, async () => {
      const whole = await transcribe(files, audio, 16000, audio.length);
      expect(whole.segments.length).toBeGreaterThan(0);
      expect(whole.segments.map((s) => s.text).join(' ').length).toBeGreaterThan(0);
      for (const block of [1, 160, 4096]) {
        const got = await transcribe(files, audio, 16000, block);
        expect(strip(got.segments)).toBe(strip(whole.segments));
      }
    });
  }

  it('resamples 44.1 kHz input to the model rate', async () => {
    const files = testPackageFiles(makePhonemeCtcModel({ seed: 13 }));
    const rec = await createRecognizer(parseModelPackage(files), null, { ...defaultRecognizerConfig(), backend: 'reference' });
    const s = rec.createStream();
    s.acceptWaveform(44100, new Float32Array(44100));
    const u = await s.finish();
    expect(s.seconds).toBeCloseTo(1, 2);
    expect(u.features.length).toBe(Math.floor((16000 - 512) / 160) + 1);
  });

  it('reports the level and the feature frames of each decode for the live view', async () => {
    const files = testPackageFiles(makePhonemeCtcModel({ seed: 13 }));
    const rec = await createRecognizer(parseModelPackage(files), null, { ...defaultRecognizerConfig(), backend: 'reference' });
    const s = rec.createStream();
    s.acceptWaveform(16000, new Float32Array(1600).fill(0.1));
    const u = await s.decode();
    expect(u.level).toBeCloseTo(-20, 1);
    expect(u.features.length).toBe(Math.floor((1600 - 512) / 160) + 1);
  });

  it('uses a lexicon built elsewhere (options.lexicon) instead of building one from the package', async () => {
    const pkg = parseModelPackage(testPackageFiles(makePhonemeCtcModel({ seed: 13 })));
    const out = pkg.json.output as { alphabet: string[] };
    const lexicon = buildLexiconTrie({ alphabet: out.alphabet, lexicon: 'gobbet G AO B AH T\n' });
    const config = { ...defaultRecognizerConfig(), backend: 'reference' as const, hotwords: ['gobbet', 'cat'] };
    const own = await createRecognizer(pkg, null, config);
    expect(own.info.unknownHotwords).toEqual(['gobbet']);
    // no lexicon text needed then
    const given = await createRecognizer({ ...pkg, files: {} }, null, config, { lexicon });
    expect(given.info.unknownHotwords).toEqual(['cat']);
    await expect(createRecognizer({ ...pkg, files: {} }, null, config)).rejects.toThrow(/needs a lexicon file/);
    own.dispose();
    given.dispose();
  });
});
