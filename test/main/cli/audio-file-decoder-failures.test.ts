/**
 * Regressions found by the audio fuzzer (test/bench/fuzz.ts): what the FLAC/MP3/OGG decoders
 * return or throw on damaged files is checked before the engine sees it.
 *   - a bit-flipped Opus header: "Cannot read properties of undefined (reading 'samples')"
 *   - a bit-flipped Vorbis stream: "logError is not defined" (a bug inside the codec)
 * Both now read "damaged or truncated OGG data: the decoder failed (…)". The decoder's output is
 * checked too: no channels, an absurd sample rate, ragged channels, NaN or ±Inf samples.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const decoder = vi.hoisted(() => ({ next: null as null | (() => unknown) }));
vi.mock('audio-decode', () => ({ default: async () => decoder.next!() }));

const { AudioFileError, readAudioFile } = await import('../../../renderer/engine/node/audio-file');

const dir = mkdtempSync(join(tmpdir(), 'earshot-decoder-failures-'));
const ogg = join(dir, 'damaged.ogg');
writeFileSync(ogg, Uint8Array.from([0x4f, 0x67, 0x67, 0x53, 0, 2, 0, 0, 1, 2, 3, 4]));

async function failure(): Promise<InstanceType<typeof AudioFileError>> {
  try {
    await readAudioFile(ogg);
  } catch (e) {
    expect(e).toBeInstanceOf(AudioFileError);
    return e as InstanceType<typeof AudioFileError>;
  }
  throw new Error('expected the file to be refused');
}

describe('readAudioFile with a failing codec', () => {
  beforeEach(() => {
    decoder.next = null;
  });

  it('says the data is damaged before quoting an internal TypeError', async () => {
    decoder.next = () => {
      throw new TypeError("Cannot read properties of undefined (reading 'samples')");
    };
    const e = await failure();
    expect(e.message).toMatch(/^damaged or truncated OGG data: the decoder failed \(Cannot read properties/);
  });

  it('names a ReferenceError from inside the codec the same way', async () => {
    decoder.next = () => {
      throw new ReferenceError('logError is not defined');
    };
    expect((await failure()).message).toMatch(/^damaged or truncated OGG data/);
  });

  it('refuses no channels, an absurd sample rate, and channels of different lengths', async () => {
    decoder.next = () => ({ channelData: [], sampleRate: 48000 });
    expect((await failure()).message).toMatch(/^no audio in the OGG data/);
    decoder.next = () => ({ channelData: [new Float32Array(10)], sampleRate: 2 ** 31 });
    expect((await failure()).message).toMatch(/sample rate 2147483648 Hz is out of range/);
    decoder.next = () => ({ channelData: [new Float32Array(10)], sampleRate: Infinity });
    expect((await failure()).message).toMatch(/out of range/);
    decoder.next = () => ({ channelData: [new Float32Array(10), new Float32Array(9)], sampleRate: 48000 });
    expect((await failure()).message).toMatch(/channels of different lengths/);
  });

  it('turns NaN into silence and clamps ±Inf to ±1', async () => {
    decoder.next = () => ({ channelData: [Float32Array.from([NaN, Infinity, -Infinity, 0.5, 3])], sampleRate: 16000 });
    const a = await readAudioFile(ogg);
    expect(Array.from(a.samples)).toEqual([0, 1, -1, 0.5, 1]);
  });
});
