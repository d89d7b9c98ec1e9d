import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeWav16 } from '../../../renderer/engine/audio/wav';
import { writeTestModels } from '../../fixtures/make-test-models';
import { runEarshot, type CliResult } from '../../helpers/run-cli';

let dir = '';

function earshot(...args: string[]): Promise<CliResult> {
  return runEarshot(dir, ...args);
}

function tone(seconds: number, rate: number): Float32Array {
  return Float32Array.from(
    { length: seconds * rate },
    (_, i) => 0.3 * Math.sin((2 * Math.PI * 220 * i) / rate) * (Math.floor((4 * i) / rate) % 2),
  );
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'earshot-cli-'));
  await writeTestModels(join(dir, 'models'));
  writeFileSync(join(dir, 'a.wav'), encodeWav16(tone(2, 16000), 16000));
  writeFileSync(join(dir, 'b.wav'), encodeWav16(tone(1, 44100), 44100));
  writeFileSync(join(dir, 'corrupt.wav'), 'RIFF....WAVEjunk that is not audio');
  writeFileSync(join(dir, 'notes.txt'), 'hello');
});

describe('earshot transcribe', () => {
  it('prints one FILE<TAB>TEXT line per input with --format tsv', async () => {
    const r = await earshot(
      'transcribe',
      '--no-lm',
      '--model',
      'models/phoneme-ctc',
      '--format',
      'tsv',
      'a.wav',
      'b.wav',
    );
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.map((l) => l.split('\t')[0])).toEqual(['a.wav', 'b.wav']);
  });

  it('names a corrupt file on stderr, still transcribes the others, and exits 1', async () => {
    const r = await earshot(
      'transcribe',
      '--no-lm',
      '--model',
      'models/phoneme-ctc',
      '--format',
      'tsv',
      'a.wav',
      'corrupt.wav',
      'notes.txt',
      'b.wav',
    );
    expect(r.code).toBe(1);
    expect(
      r.stdout
        .trimEnd()
        .split('\n')
        .map((l) => l.split('\t')[0]),
    ).toEqual(['a.wav', 'b.wav']);
    expect(r.stderr).toMatch(/corrupt\.wav: .*WAV/);
    expect(r.stderr).toMatch(/notes\.txt: not a recognised audio file/);
  });

  it('refuses a broken model package with a message naming the problem, exit 2', async () => {
    writeFileSync(join(dir, 'broken.zip'), 'PK not really a zip');
    const r = await earshot('transcribe', '--model', join(dir, 'broken.zip'), 'a.wav');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/broken\.zip/);
  });

  it('writes SRT, WebVTT and JSON', async () => {
    const srt = await earshot('transcribe', '--no-lm', '--model', 'models/char-ctc-gru', '--format', 'srt', 'a.wav');
    expect(srt.code).toBe(0);
    const vtt = await earshot('transcribe', '--no-lm', '--model', 'models/char-ctc-gru', '--format', 'vtt', 'a.wav');
    expect(vtt.stdout.startsWith('WEBVTT')).toBe(true);
    const json = await earshot('transcribe', '--no-lm', '--model', 'models/char-ctc-gru', '--format', 'json', 'a.wav');
    expect(JSON.parse(json.stdout).format).toBe('earshot-transcript');
  });

  it('prints partials as they change with --stream', async () => {
    const r = await earshot('transcribe', '--no-lm', '--model', 'models/char-ctc-gru', '--stream', 'a.wav');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').length).toBeGreaterThanOrEqual(1);
  });

  it('rejects unknown options with usage, exit 2', async () => {
    const r = await earshot('transcribe', '--frobnicate', 'a.wav');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown option --frobnicate/);
  });
});

describe('earshot eval', () => {
  it('prints WER, CER and the real-time factor of a WAV<TAB>TEXT set', async () => {
    writeFileSync(join(dir, 'set.tsv'), 'a.wav\tthe cat\nb.wav\ttwo dogs\n');
    const r = await earshot('eval', '--no-lm', '--model', 'models/phoneme-ctc', '--json', 'set.tsv');
    expect(r.code).toBe(0);
    const res = JSON.parse(r.stdout).results[0];
    expect(res.files).toBe(2);
    expect(res.counts.words).toBe(4);
    expect(res.wer).toBeGreaterThanOrEqual(0);
    expect(res.rtf).toBeGreaterThan(0);
  });
});
