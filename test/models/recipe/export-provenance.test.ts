/**
 * export.py's provenance of the training data (issue 16): a split of generated features
 * (gmm_gen/generate.py writes a `generator` entry into its features.json) is named with its source
 * package and licence, next to TTS and real-speech splits, and the description names every kind; a split of
 * crops cut out of another (word_crops.py's `derivedFrom`) is listed as derived, its speech not counted twice.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = resolve(__dirname, '../../..');
const PY = '/usr/bin/python3';
const torch = spawnSync(PY, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;

/**
 * A split folder: features.json (+ `generator` when given) and one index of utterances with these voices, 100 frames
 * each.
 */
function split(dir: string, voices: string[], generator?: object, derivedFrom?: object): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'features.json'),
    JSON.stringify({
      type: 'sphinx-mfcc',
      sampleRate: 16000,
      hopSize: 160,
      nMfcc: 13,
      ...(generator ? { generator } : {}),
      ...(derivedFrom ? { derivedFrom } : {}),
    }),
  );
  writeFileSync(
    join(dir, 'shard-000-000.jsonl'),
    voices
      .map((v, i) => JSON.stringify({ id: `u${i}`, offset: i * 100, frames: 100, labels: [1], text: 'a', voice: v }))
      .join('\n') + '\n',
  );
  return dir;
}

/** export.training_data and describe_data for each train_dir spec, in one Python process (torch's import is slow). */
function trainingData(trainDirs: string[]): { data: any; description: string }[] {
  const code = `
import json, sys
sys.argv = ["export.py"]
import export
out = []
for spec in json.loads(sys.stdin.read()):
    d = export.training_data({"train_dir": spec}, {"sources": {"bass": {"package": "beneath-a-steel-sky", "licence": "freeware"}}})
    out.append({"data": d, "description": export.describe_data(d)})
print(json.dumps(out))`;
  return JSON.parse(
    execFileSync(PY, ['-c', code], {
      cwd: join(REPO, 'models/recipe'),
      encoding: 'utf8',
      input: JSON.stringify(trainDirs),
    }),
  );
}

describe.skipIf(!torch)('export.py provenance of generated features (python3-torch)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-prov-'));
  const gmm = split(join(dir, 'gmm'), ['gmm pocketsphinx-en-us', 'gmm pocketsphinx-en-us'], {
    source: 'PocketSphinx en-us acoustic model',
    seed: 3,
    hours: 4,
  });
  const tts = split(join(dir, 'tts'), ['espeak:en+f1:s197', 'flite:rms']);
  const real = split(join(dir, 'real'), ['real:bass:section0-block0']);
  // word_crops.py's cuts of the real split: the same speech again, so not more real speech per source
  const crops = split(
    join(dir, 'crops'),
    ['real:bass:section0-block0', 'real:bass:section0-block0', 'real:bass:section0-block0'],
    undefined,
    { tool: 'models/recipe/word_crops.py', split: real, model: 'm.pt' },
  );

  const [mixed, gmmOnly, plain, ttsOnly, withCrops] = trainingData([
    `${gmm}:0.5,${tts}:0.5,${real}:1.5`,
    gmm,
    `${tts},${real}`,
    tts,
    `${real}:3,${crops}:1`,
  ]);

  it('names the generated split with its package, licence, generator settings, weight and size', () => {
    const { data, description } = mixed;
    expect(data.generated).toHaveLength(1);
    const g = data.generated[0];
    expect(g.split).toContain('gmm');
    expect(g.package).toMatch(/^pocketsphinx-en-us/);
    expect(g.licence).toMatch(/BSD-2-Clause.*Carnegie Mellon University.*Alpha Cephei/);
    expect(g.settings).toEqual({ source: 'PocketSphinx en-us acoustic model', seed: 3, hours: 4 });
    expect(g.weight).toBe(0.5);
    expect(g.utterances).toBe(2);
    expect(g.hours).toBeCloseTo((200 * 0.01) / 3600, 3);
    expect(data.realSpeech.bass).toMatchObject({ package: 'beneath-a-steel-sky', utterances: 1 });
    expect(description).toBe(
      "synthesized speech, real (game) speech and features generated from PocketSphinx's acoustic model",
    );
  });

  it('says when a model saw generated features only, and lists none for TTS and real speech alone', () => {
    expect(gmmOnly.description).toBe("features generated from PocketSphinx's acoustic model only");
    expect(plain.data.generated).toBeUndefined();
    expect(plain.description).toBe('synthesized speech and real (game) speech');
    expect(ttsOnly.description).toBe('synthesized speech only');
  });

  it('lists crops of a real split as a part derived from it, without counting their hours as more real speech', () => {
    const parts = withCrops.data.parts;
    expect(parts).toHaveLength(2);
    expect(parts[1]).toMatchObject({
      weight: 1,
      utterances: 3,
      derivedFrom: { split: real, tool: 'models/recipe/word_crops.py' },
    });
    expect(parts[1].byKind['real:bass'].utterances).toBe(3);
    expect(parts[0].derivedFrom).toBeUndefined();
    expect(withCrops.data.realSpeech.bass).toMatchObject({ utterances: 1, speakersOrGroups: 1 });
    expect(withCrops.data.generated).toBeUndefined();
    expect(withCrops.description).toBe('real (game) speech only');
  });
});
