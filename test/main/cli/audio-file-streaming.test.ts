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

const dir = mkdtempSync(join(tmpdir(), 'earshot-stream-wav-'));

/**
 * A WAV file: `channels` × `frames` of a test signal at `bits` (16, 24 PCM or 32 float), optional LIST chunk before
 * data.
 */
function wavFile(
  name: string,
  o: { channels: number; frames: number; bits: 16 | 24 | 32; rate: number; listBytes?: number; dataSizeZero?: boolean },
): string {
  const bps = o.bits / 8;
  const list = o.listBytes ? 8 + o.listBytes + (o.listBytes & 1) : 0;
  const data = o.frames * o.channels * bps;
  const out = new Uint8Array(12 + 24 + list + 8 + data);
  const v = new DataView(out.buffer);
  const tag = (at: number, s: string) => {
    for (let i = 0; i < 4; i++) out[at + i] = s.charCodeAt(i);
  };
  tag(0, 'RIFF');
  v.setUint32(4, out.length - 8, true);
  tag(8, 'WAVE');
  tag(12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, o.bits === 32 ? 3 : 1, true);
  v.setUint16(22, o.channels, true);
  v.setUint32(24, o.rate, true);
  v.setUint32(28, o.rate * o.channels * bps, true);
  v.setUint16(32, o.channels * bps, true);
  v.setUint16(34, o.bits, true);
  let at = 36;
  if (o.listBytes) {
    tag(at, 'LIST');
    v.setUint32(at + 4, o.listBytes, true);
    at += list;
  }
  tag(at, 'data');
  v.setUint32(at + 4, o.dataSizeZero ? 0 : data, true);
  at += 8;
  for (let i = 0; i < o.frames; i++) {
    for (let c = 0; c < o.channels; c++) {
      const x = 0.6 * Math.sin(i * 0.01 * (c + 1)) * Math.cos(i * 0.0007);
      if (o.bits === 32) v.setFloat32(at, x, true);
      else if (o.bits === 16) v.setInt16(at, Math.round(x * 32767), true);
      else {
        const q = Math.round(x * 8388607);
        v.setUint8(at, q & 255);
        v.setUint8(at + 1, (q >> 8) & 255);
        v.setInt8(at + 2, q >> 16);
      }
      at += bps;
    }
  }
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
