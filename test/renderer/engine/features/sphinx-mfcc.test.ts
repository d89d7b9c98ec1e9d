/**
 * 'sphinx-mfcc' features: the same numbers as PocketSphinx's own front end (sphinx_fe of Debian's
 * sphinxbase-utils, run with the en-us model's feat.params) on espeak-ng speech, whatever the block
 * sizes, and a package with this feature type loads.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FeatureSpec } from '../../../../models/package/model-spec';
import { loadModelPackage } from '../../../../models/package/load-package';
import { ModelPackageError } from '../../../../models/package/package-error';
import { memorySource } from '../../../../models/package/package-source';
import { decodeWav, downmix } from '../../../../renderer/engine/audio/wav';
import { Featurizer } from '../../../../renderer/engine/features/featurizer';
import { makePhonemeCtcModel, testPackageFiles } from '../../../fixtures/make-test-models';

const REPO = resolve(__dirname, '../../../..');
const SPEC = JSON.parse(readFileSync(join(REPO, 'models/recipe/config/features-sphinx.json'), 'utf8')) as FeatureSpec;
const FEAT_PARAMS = '/usr/share/pocketsphinx/model/en-us/en-us/feat.params';

/** sphinx_fe on PATH (sphinxbase-utils installed), else unpacked under data/cache/pkgs (apt-get download + dpkg -x). */
function findSphinxFe(): string | null {
  for (const p of ['sphinx_fe', join(REPO, 'data/cache/pkgs/sphinxbase-utils/usr/bin/sphinx_fe')]) {
    if (spawnSync(p, ['-h'], { stdio: 'ignore' }).error === undefined) return p;
  }
  return null;
}
const sphinxFe = findSphinxFe();
const speech =
  spawnSync('espeak-ng', ['--version'], { stdio: 'ignore' }).status === 0 &&
  spawnSync('sox', ['--version'], { stdio: 'ignore' }).status === 0;

/** sphinx_fe's arguments from feat.params (the front-end ones), with noise and silence removal off. */
function feArgs(): string[] {
  const keep = new Set(['-lowerf', '-upperf', '-nfilt', '-transform', '-lifter']);
  const args: string[] = [];
  for (const line of readFileSync(FEAT_PARAMS, 'utf8').split('\n')) {
    const [k, v] = line.trim().split(/\s+/);
    if (keep.has(k)) args.push(k, v);
  }
  return [
    ...args,
    '-samprate',
    '16000',
    '-ncep',
    '13',
    '-remove_noise',
    'no',
    '-remove_silence',
    'no',
    '-dither',
    'no',
    '-mswav',
    'yes',
  ];
}

describe('sphinx-mfcc features', () => {
  it.skipIf(!sphinxFe || !speech || !existsSync(FEAT_PARAMS))(
    "match PocketSphinx's front end (sphinx_fe) on espeak-ng speech",
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'earshot-sphinx-fe-'));
      execFileSync('espeak-ng', [
        '-v',
        'en-us',
        '-w',
        join(dir, 'raw.wav'),
        'the quick brown fox jumps over the lazy dog, then silence',
      ]);
      execFileSync('sox', [join(dir, 'raw.wav'), '-r', '16000', '-b', '16', join(dir, 'a.wav')]);
      execFileSync(sphinxFe as string, ['-i', join(dir, 'a.wav'), '-o', join(dir, 'a.mfc'), ...feArgs()], {
        stdio: 'ignore',
      });
      // sphinx_fe's output: int32 count of values, then float32 cepstra, 13 per frame
      const buf = readFileSync(join(dir, 'a.mfc'));
      const ref = new Float32Array(buf.buffer.slice(buf.byteOffset + 4, buf.byteOffset + 4 + buf.readInt32LE(0) * 4));
      const audio = decodeWav(new Uint8Array(readFileSync(join(dir, 'a.wav'))));
      expect(audio.sampleRate).toBe(16000);
      const ours = new Featurizer({ ...SPEC, dither: 0 }).push(downmix(audio.channels));
      // sphinx_fe pads a last partial window with zeros; the featurizer waits for a whole one
      expect(ref.length / 13 - ours.length).toBe(1);
      let max = 0,
        peak = 0;
      ours.forEach((f, t) =>
        f.forEach((v, i) => {
          max = Math.max(max, Math.abs(v - ref[t * 13 + i]));
          peak = Math.max(peak, Math.abs(ref[t * 13 + i]));
        }),
      );
      console.log(
        `sphinx-mfcc vs sphinx_fe: ${ours.length} frames, largest difference ${max.toExponential(2)} (values up to ${peak.toFixed(1)})`,
      );
      expect(max).toBeLessThan(1e-3); // measured 4.7e-4 here (float32 rounding of values up to ~116)
      expect(peak).toBeGreaterThan(50); // real speech, not silence
    },
  );

  it('gives the same frames whatever the block sizes (pre-emphasis carries over)', () => {
    const x = Float32Array.from({ length: 8000 }, (_, i) => 0.3 * Math.sin(i * 0.05) + 0.1 * Math.sin(i * 1.3));
    const whole = new Featurizer(SPEC).push(x);
    const f = new Featurizer(SPEC);
    const parts: Float32Array[] = [];
    for (let at = 0, n = 1; at < x.length; at += n, n = ((n * 7) % 331) + 1) parts.push(...f.push(x.slice(at, at + n)));
    expect(parts.length).toBe(Math.floor((8000 - 410) / 160) + 1);
    expect(parts).toEqual(whole);
    f.reset();
    expect(f.push(x)).toEqual(whole);
  });

  const files = testPackageFiles(makePhonemeCtcModel());
  function withFeatures(edit: Record<string, unknown>): Map<string, Uint8Array> {
    const json = JSON.parse(new TextDecoder().decode(files.get('model.json')));
    json.features = { ...json.features, ...edit };
    return new Map(files).set('model.json', new TextEncoder().encode(JSON.stringify(json)));
  }
  // the fixture's network takes 3 × 40 inputs: 40 cepstra from 40 filters
  const sphinx40 = { ...SPEC, nMels: 40, nMfcc: 40 };

  it('a package with features.type sphinx-mfcc loads, with its front-end fields', async () => {
    const pkg = await loadModelPackage(memorySource('sphinx', withFeatures(sphinx40)));
    expect(pkg.json.features).toMatchObject({
      type: 'sphinx-mfcc',
      windowSize: 410,
      fftSize: 512,
      lowFreq: 130,
      highFreq: 6800,
      preEmphasis: 0.97,
      lifter: 22,
    });
  });

  it.each([
    [{ fftSize: 500 }, 'features.fftSize'],
    [{ fftSize: 256 }, 'features.fftSize'],
    [{ windowing: 'hanning' }, 'features.windowing'],
    [{ highFreq: 9000 }, 'features.highFreq'],
    [{ lowFreq: undefined }, 'features.lowFreq'],
    [{ preEmphasis: 1 }, 'features.preEmphasis'],
    [{ lifter: -1 }, 'features.lifter'],
    [{ nMfcc: 41 }, 'features.nMfcc'],
  ])('refuses %j, naming %s', async (edit, field) => {
    const e = await loadModelPackage(memorySource('sphinx', withFeatures({ ...sphinx40, ...edit }))).catch(
      (err) => err,
    );
    expect(e).toBeInstanceOf(ModelPackageError);
    expect((e as ModelPackageError).field).toBe(field);
  });
});
