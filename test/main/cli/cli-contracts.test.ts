/**
 * The CLI's contracts a new user meets (issue 14): option checking, --version, several files in
 * one JSON document, -o/--output, standard input, truncated WAV files, --lexicon problems named
 * FILE:LINE, and a piped --stream that never prints the same line twice in a row.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeWav16 } from '../../../renderer/engine/audio/wav';
import { writeTestModels } from '../../fixtures/make-test-models';
import { EARSHOT_BIN, runEarshot, type CliResult } from '../../helpers/run-cli';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../../..');
let dir = '';

function earshot(...args: string[]): Promise<CliResult> {
  return runEarshot(dir, ...args);
}

/** Runs the CLI with `input` on its standard input. */
function earshotWithInput(
  input: Uint8Array,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [EARSHOT_BIN, ...args], { cwd: dir });
    let stdout = '',
      stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(Buffer.from(input));
  });
}

function tone(seconds: number, rate: number): Float32Array {
  return Float32Array.from(
    { length: seconds * rate },
    (_, i) => 0.3 * Math.sin((2 * Math.PI * 220 * i) / rate) * (Math.floor((4 * i) / rate) % 2),
  );
}

const PHONEMES = ['--no-lm', '--model', 'models/phoneme-ctc'];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'earshot-cli-contracts-'));
  await writeTestModels(join(dir, 'models'));
  writeFileSync(join(dir, 'a.wav'), encodeWav16(tone(2, 16000), 16000));
  writeFileSync(join(dir, 'b.wav'), encodeWav16(tone(1, 16000), 16000));
  const whole = encodeWav16(tone(2, 16000), 16000);
  writeFileSync(join(dir, 'cut.wav'), whole.subarray(0, 44 + 2 * 16000)); // the header promises 2 s, the file holds 1 s
});

describe('earshot options', () => {
  it('--version prints the package version', async () => {
    const r = await earshot('--version');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(`earshot ${JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version}`);
  });

  it('--backend with an unknown name lists the valid names (no gpu.js message), exit 2', async () => {
    for (const name of ['cuda', 'gpu']) {
      const r = await earshot('transcribe', ...PHONEMES, '--backend', name, 'a.wav');
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`not "${name}"`);
      expect(r.stderr).toMatch(/auto or one of reference, js, wasm-simd, cpu, webasm/);
      expect(r.stderr).not.toMatch(/requested mode/i);
    }
  });

  it('--alpha or --beta may be given alone (the other comes from the LM package)', async () => {
    for (const weight of ['--alpha', '--beta']) {
      const r = await earshot(
        'transcribe',
        '--model',
        'models/phoneme-ctc',
        '--lm',
        'models/word-lm',
        weight,
        '0.5',
        'a.wav',
      );
      expect(r.stderr).not.toMatch(/go together/);
      expect(r.code).toBe(0);
    }
    const bad = await earshot(
      'transcribe',
      '--model',
      'models/phoneme-ctc',
      '--lm',
      'models/word-lm',
      '--alpha',
      'x',
      'a.wav',
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--alpha takes a number/);
  });
});

describe('earshot transcribe outputs', () => {
  it('several files with --format json make one JSON document covering every file, failures included', async () => {
    const r = await earshot('transcribe', ...PHONEMES, '--format', 'json', 'a.wav', 'missing.wav', 'b.wav');
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.format).toBe('earshot-transcripts');
    expect(doc.files.map((f: { file: string }) => f.file)).toEqual(['a.wav', 'missing.wav', 'b.wav']);
    expect(doc.files[0]).toMatchObject({ format: 'earshot-transcript', segments: expect.any(Array) });
    expect(doc.files[1]).toEqual({ file: 'missing.wav', error: 'no such file' });
  });

  it('-o FILE writes what stdout would; -o FOLDER/ writes one file per input', async () => {
    const one = await earshot('transcribe', ...PHONEMES, '--format', 'json', '-o', 'both.json', 'a.wav', 'b.wav');
    expect(one.code).toBe(0);
    expect(one.stdout).toBe('');
    expect(JSON.parse(readFileSync(join(dir, 'both.json'), 'utf8')).files).toHaveLength(2);
    const folder = await earshot('transcribe', ...PHONEMES, '--format', 'srt', '--output', 'subs/', 'a.wav', 'b.wav');
    expect(folder.code).toBe(0);
    expect(existsSync(join(dir, 'subs/a.srt')) && existsSync(join(dir, 'subs/b.srt'))).toBe(true);
    const refused = await earshot('transcribe', ...PHONEMES, '--format', 'vtt', '-o', 'all.vtt', 'a.wav', 'b.wav');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/give -o a folder/);
  });

  it('- reads the audio from standard input', async () => {
    const wav = readFileSync(join(dir, 'a.wav'));
    const fromFile = await earshot('transcribe', ...PHONEMES, '--format', 'json', 'a.wav');
    const r = await earshotWithInput(wav, 'transcribe', ...PHONEMES, '--format', 'json', '-');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(fromFile.stdout));
  });

  it('warns about a truncated WAV on stderr, transcribes what is there, and exits 1', async () => {
    const r = await earshot('transcribe', ...PHONEMES, '--format', 'tsv', 'cut.wav', 'b.wav');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /cut\.wav: warning: truncated WAV file: its header promises 32000 samples but the file holds 16000/,
    );
    expect(
      r.stdout
        .trimEnd()
        .split('\n')
        .map((l) => l.split('\t')[0]),
    ).toEqual(['cut.wav', 'b.wav']);
  });

  it('names each --lexicon line that adds nothing as FILE:LINE with the reason, and exits 1', async () => {
    writeFileSync(join(dir, 'words.txt'), '# extra words\nbat B AE T\nzorblax\ncat k ae t\nfoo XX Y\n');
    const r = await earshot('transcribe', ...PHONEMES, '--lexicon', 'words.txt', 'a.wav');
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^earshot: words\.txt:3: 'zorblax' has no pronunciation/);
    expect(lines[1]).toMatch(/^earshot: words\.txt:4: phoneme 'k' is in lower case/);
    expect(lines[2]).toMatch(/^earshot: words\.txt:5: 'XX' is not a phoneme of this model/);
    expect(lines).toHaveLength(3);
    writeFileSync(join(dir, 'good.txt'), 'bat B AE1 T\nthe\n'); // stress digits are dropped; 'the' has one already
    const clean = await earshot('transcribe', ...PHONEMES, '--lexicon', 'good.txt', 'a.wav');
    expect(clean).toMatchObject({ code: 0, stderr: '' });
  });
});

describe('earshot transcribe --stream, piped', () => {
  it('never prints the same line twice in a row, nor an empty first line (bundled model, espeak-ng speech)', async () => {
    const wav = join(dir, 'two.wav');
    // two sentences with a pause: the first becomes a final segment while the partial goes on
    await run('espeak-ng', ['-v', 'en-us', '-w', wav, 'the cat sat on the mat. what time is it']);
    const r = await earshot('transcribe', '--stream', '--backend', 'js', wav);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n').slice(0, -1);
    expect(lines.length).toBeGreaterThan(3);
    const repeats = lines.filter((l, i) => i > 0 && l === lines[i - 1]);
    expect(repeats).toEqual([]); // before: the last line came twice ("… what time is it")
    expect(lines[0]).not.toBe('');
  }, 60_000);
});
