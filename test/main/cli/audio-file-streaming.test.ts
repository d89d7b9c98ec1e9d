/**
 * openAudioFile reads a WAV file block by block (so the CLI's memory does not grow with the file)
 * and hands out exactly the samples readAudioFile gives for the whole file, for any block size and
 * layout, including a metadata chunk bigger than the first read and a data size left at 0 by a
 * live recorder. It fails with the same AudioFileErrors.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AudioFileError, openAudioFile, readAudioFile } from '../../../renderer/engine/node/audio-file';
import { wavBytes, wavSampleBytes } from '../../helpers/wav-bytes';

const dir = mkdtempSync(join(tmpdir(), 'earshot-stream-wav-'));

/**
 * A WAV file: `channels` × `frames` of a test signal at `bits` (16, 24 PCM or 32 float), optional LIST chunk before
 * data.
 */
function wavFile(
  name: string,
  o: { channels: number; frames: number; bits: 16 | 24 | 32; rate: number; listBytes?: number; dataSizeZero?: boolean },
): string {
  const format = o.bits === 32 ? 3 : 1;
  const signal = Array.from({ length: o.channels }, (_, c) =>
    Array.from({ length: o.frames }, (_, i) => 0.6 * Math.sin(i * 0.01 * (c + 1)) * Math.cos(i * 0.0007)),
  );
  const out = wavBytes({ format, ...o }, wavSampleBytes(signal, format, o.bits));
  const path = join(dir, name);
  writeFileSync(path, out);
  return path;
}

async function streamed(path: string, block: number): Promise<Float32Array> {
  const audio = await openAudioFile(path);
  const parts: Float32Array[] = [];
  for await (const b of audio.blocks(block)) {
    expect(b.length).toBeLessThanOrEqual(block);
    parts.push(b.slice());
  }
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  expect(out.length).toBe(audio.frames);
  return out;
}

describe('openAudioFile', () => {
  it.each([
    ['16-bit mono', { channels: 1, frames: 48_000, bits: 16, rate: 16000 }],
    ['24-bit stereo', { channels: 2, frames: 30_001, bits: 24, rate: 44100 }],
    ['float32, 3 channels', { channels: 3, frames: 20_000, bits: 32, rate: 48000 }],
    ['a 200 kB LIST chunk before the data', { channels: 1, frames: 10_000, bits: 16, rate: 16000, listBytes: 200_001 }],
    ['data size 0 (a live recording)', { channels: 2, frames: 9_999, bits: 16, rate: 22050, dataSizeZero: true }],
  ] as const)("gives readAudioFile's samples block by block: %s", async (name, layout) => {
    const path = wavFile(`${name.replace(/\W+/g, '-')}.wav`, layout);
    const whole = await readAudioFile(path);
    for (const block of [1600, 4410, 1]) {
      if (block === 1 && layout.frames > 20_000) continue;
      const samples = await streamed(path, block);
      expect(Array.from(samples)).toEqual(Array.from(whole.samples));
    }
    const audio = await openAudioFile(path);
    expect([audio.sampleRate, audio.channels]).toEqual([whole.sampleRate, whole.channels]);
    for await (const _b of audio.blocks(1000)) break; // an early stop closes the file
  });

  it('fails like readAudioFile: missing file, folder, empty file, not audio, damaged WAV header', async () => {
    mkdirSync(join(dir, 'a-folder'), { recursive: true });
    writeFileSync(join(dir, 'empty.wav'), new Uint8Array(0));
    writeFileSync(join(dir, 'text.wav'), 'hello, I am not audio at all');
    const bad = new Uint8Array(44);
    bad.set(
      [...'RIFF'].map((c) => c.charCodeAt(0)),
      0,
    );
    bad.set(
      [...'WAVE'].map((c) => c.charCodeAt(0)),
      8,
    );
    writeFileSync(join(dir, 'no-chunks.wav'), bad);
    for (const [file, message] of [
      ['missing.wav', /no such file/],
      ['a-folder', /is a folder/],
      ['empty.wav', /the file is empty/],
      ['text.wav', /not a recognised audio file/],
      ['no-chunks.wav', /no "fmt " chunk/],
    ] as const) {
      await expect(openAudioFile(join(dir, file))).rejects.toThrow(AudioFileError);
      await expect(openAudioFile(join(dir, file))).rejects.toThrow(message);
    }
  });
});
