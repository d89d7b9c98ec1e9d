import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * models/recipe/data/synthesize_extra.py on a tiny sentence list: one GnuSpeech utterance and one
 * child-like flite utterance, rendered into a temporary folder. GnuSpeech (npm, GPL-3) is a corpus tool
 * only: the script installs it under its own npm prefix (data/cache/gnuspeech, or a temporary folder
 * here when that cache is absent), never into the app.
 */
const REPO = resolve(__dirname, '../../..');
const PY = '/usr/bin/python3';
const SCRIPT = join(REPO, 'models/recipe/data/synthesize_extra.py');
const CMUDICT = '/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict';
const has = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
const tools =
  has(PY, ['-c', 'import wave']) && has('sox', ['--version']) && has('flite', ['-h']) && existsSync(CMUDICT);

const CACHED = join(REPO, 'data/cache/gnuspeech');
const cachedGnuSpeech = existsSync(join(CACHED, 'node_modules/@echogarden/gnuspeech-wasm/wasm/gnuspeech.wasm'));
/** GnuSpeech is usable when the recipe's cache has it, or when the npm registry answers (the script installs it). */
const gnuspeechReason = cachedGnuSpeech
  ? ''
  : spawnSync('npm', ['view', '@echogarden/gnuspeech-wasm@0.3.0', 'version'], {
        timeout: 20_000,
        encoding: 'utf8',
      }).stdout?.trim() === '0.3.0'
    ? ''
    : 'GnuSpeech is not in data/cache/gnuspeech and the npm registry did not answer (offline): its half is skipped';
if (gnuspeechReason) console.warn(gnuspeechReason);

// train sentences (and one dev sentence that must never be rendered); the last train ones come first
const SENTENCES = [
  ['s000001', 'fortunes', 'we went to the store', 'train', 'we went to the store.'],
  ['s000002', 'fortunes', 'the cat sat on the mat', 'train', 'the cat sat on the mat.'],
  ['d000001', 'fortunes', 'go forward ten meters', 'dev', 'go forward ten meters.'],
];

function setup(): { dir: string; lex: Map<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-extra-'));
  const dict = new Map<string, string>();
  for (const line of readFileSync(CMUDICT, 'utf8').split('\n')) {
    const [w, ...ph] = line.trim().split(/\s+/);
    if (w && !dict.has(w)) dict.set(w, ph.map((p) => p.replace(/\d/g, '')).join(' '));
  }
  const words = new Set(SENTENCES.flatMap((s) => s[2].split(' ')));
  const lex = new Map([...words].map((w) => [w, dict.get(w)!]));
  mkdirSync(join(dir, 'text'));
  writeFileSync(join(dir, 'text/sentences.tsv'), SENTENCES.map((s) => s.join('\t')).join('\n') + '\n');
  writeFileSync(join(dir, 'text/lexicon.tsv'), [...lex].map(([w, p]) => `${w}\t${p}`).join('\n') + '\n');
  return { dir, lex };
}

interface Wav {
  rate: number;
  channels: number;
  bits: number;
  format: number;
  samples: Int16Array;
}
function readWav(path: string): Wav {
  const b = readFileSync(path);
  expect(b.toString('ascii', 0, 4)).toBe('RIFF');
  expect(b.toString('ascii', 8, 12)).toBe('WAVE');
  let o = 12;
  let fmt: Omit<Wav, 'samples'> | null = null;
  while (o + 8 <= b.length) {
    const id = b.toString('ascii', o, o + 4);
    const size = b.readUInt32LE(o + 4);
    if (id === 'fmt ')
      fmt = {
        format: b.readUInt16LE(o + 8),
        channels: b.readUInt16LE(o + 10),
        rate: b.readUInt32LE(o + 12),
        bits: b.readUInt16LE(o + 22),
      };
    if (id === 'data') {
      const data = b.subarray(o + 8, o + 8 + size);
      return { ...fmt!, samples: new Int16Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length)) };
    }
    o += 8 + size + (size & 1);
  }
  throw new Error(`no data chunk in ${path}`);
}

/** Renders with the given engines and checks everything that does not depend on the engine. */
function renderAndCheck(engines: string, extra: string[]) {
  const { dir, lex } = setup();
  const out = join(dir, 'out');
  const args = [
    SCRIPT,
    '--text',
    join(dir, 'text'),
    '--out',
    out,
    '--hours',
    '1',
    '--jobs',
    '1',
    '--engines',
    engines,
    '--limit',
    String(engines.split(',').length),
    ...extra,
  ];
  const log = execFileSync(PY, args, { cwd: REPO, encoding: 'utf8' });
  expect(log).toMatch(/\[extra\] train\.tsv: \d+ utterances/);
  const manifest = readFileSync(join(out, 'train.tsv'), 'utf8');
  const rows = manifest
    .trim()
    .split('\n')
    .map((l) => l.split('\t'));
  for (const r of rows) {
    expect(r).toHaveLength(7);
    const [id, wavPath, duration, , augment, text, phonemes] = r;
    expect(wavPath).toBe(`wav/train/${id}.wav`);
    const wav = readWav(join(out, wavPath));
    expect({ format: wav.format, channels: wav.channels, rate: wav.rate, bits: wav.bits }).toEqual({
      format: 1,
      channels: 1,
      rate: 16000,
      bits: 16,
    });
    expect(Math.abs(wav.samples.length / 16000 - Number(duration))).toBeLessThan(0.001);
    expect(Number(duration)).toBeGreaterThan(0.6); // five or six words, spoken
    expect(Number(duration)).toBeLessThan(6);
    const m = /pad=(\d\.\d\d)\/(\d\.\d\d)/.exec(augment)!;
    expect(Number(m[1])).toBeGreaterThanOrEqual(0);
    expect(Number(m[1])).toBeLessThanOrEqual(0.5); // leading silence 0..0.5 s
    let peak = 0;
    let edge = 0;
    for (let i = 0; i < wav.samples.length; i++) peak = Math.max(peak, Math.abs(wav.samples[i]));
    for (let i = 0; i < 160; i++) edge = Math.max(edge, Math.abs(wav.samples[i]));
    expect(peak).toBeGreaterThan(3000); // speech at a normal level
    expect(peak).toBeLessThan(32767); // never clipped
    expect(edge).toBeGreaterThan(0); // a noise floor, never digital silence
    const sentence = SENTENCES.find((s) => `x${s[0]}` === id)!;
    expect(sentence[3]).toBe('train');
    expect(text).toBe(sentence[2]);
    expect(phonemes).toBe(
      text
        .split(' ')
        .map((w) => lex.get(w))
        .join(' | '),
    );
  }
  // the last train sentence comes first; the dev sentence is never used
  expect(rows.map((r) => r[0])).toEqual(['xs000002', 'xs000001'].slice(0, rows.length));
  // resumable and deterministic: a rerun renders nothing and writes the same manifest
  const again = execFileSync(PY, args, { cwd: REPO, encoding: 'utf8' });
  expect(again).toMatch(/0 to do/);
  expect(readFileSync(join(out, 'train.tsv'), 'utf8')).toBe(manifest);
  return { rows, summary: JSON.parse(readFileSync(join(out, 'plan-summary.json'), 'utf8')), dir };
}

describe.skipIf(!tools)('synthesize_extra.py: more voices for training (sox, flite, CMUdict)', () => {
  it('renders a child-like flite kal16 utterance: raised F0, formants scaled by speed-then-tempo, manifest in the corpus format', () => {
    const { rows, summary } = renderAndCheck('flite-kal16-child', []);
    expect(rows).toHaveLength(1);
    expect(rows[0][3]).toMatch(/^flite-kal16-child:stretch[\d.]+:f0_\d+:sd\d+:alpha1\.(2\d|3[0-2])\d$/);
    expect(rows[0][4]).not.toMatch(/speed=|pitch=/); // no further formant shift on top
    expect(summary.engines).toEqual({ 'flite-kal16-child': 1 });
    expect(summary.n_errors).toBe(0);
  });

  it("--skip-engines leaves one engine's rows of the same plan unrendered (no GnuSpeech install needed)", () => {
    const { dir } = setup();
    const out = join(dir, 'out');
    const base = [SCRIPT, '--text', join(dir, 'text'), '--out', out, '--hours', '1', '--jobs', '1', '--limit', '2'];
    const engines = ['--engines', 'gnuspeech-male,flite-kal16-child'];
    const log = execFileSync(
      PY,
      [...base, ...engines, '--skip-engines', 'gnuspeech', '--gnuspeech', join(dir, 'none')],
      {
        cwd: REPO,
        encoding: 'utf8',
      },
    );
    expect(log).toContain('--skip-engines gnuspeech: 1 of 2 planned utterances left out');
    expect(existsSync(join(dir, 'none'))).toBe(false); // nothing installed
    const rows = readFileSync(join(out, 'train.tsv'), 'utf8').trim().split('\n');
    // the plan's second utterance, with the voice the full plan gives it
    expect(rows).toHaveLength(1);
    expect(rows[0].split('\t')[0]).toBe('xs000001');
    expect(rows[0].split('\t')[3]).toMatch(/^flite-kal16-child:/);
    expect(JSON.parse(readFileSync(join(out, 'plan-summary.json'), 'utf8')).engines).toEqual({
      'flite-kal16-child': 1,
    });
  });

  it.skipIf(gnuspeechReason !== '')('renders a GnuSpeech utterance with its own npm prefix, outside the app', () => {
    const prefix = cachedGnuSpeech ? CACHED : join(mkdtempSync(join(tmpdir(), 'earshot-gnuspeech-')), 'gnuspeech');
    const { rows, summary } = renderAndCheck('gnuspeech-female,gnuspeech-male', ['--gnuspeech', prefix]);
    expect(rows).toHaveLength(2);
    expect(rows[0][3]).toMatch(/^gnuspeech:female:vtl1[3-5]\.\d+:gp[-+]\d/);
    expect(rows[1][3]).toMatch(/^gnuspeech:male:vtl1[6-8]\.\d+:gp-\d/);
    expect(summary.engines).toEqual({ 'gnuspeech-female': 1, 'gnuspeech-male': 1 });
    expect(existsSync(join(prefix, 'node_modules/@echogarden/gnuspeech-wasm/COPYING'))).toBe(true);
    const appPackage = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
    expect(JSON.stringify({ ...appPackage.dependencies, ...appPackage.devDependencies })).not.toContain('gnuspeech');
  });
});
