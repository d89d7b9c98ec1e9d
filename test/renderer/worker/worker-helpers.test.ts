import { describe, expect, it } from 'vitest';
import { placeSegment } from '../../../renderer/worker/timeline';
import { decodeFileAudio } from '../../../renderer/worker/file-audio';

describe('worker helpers', () => {
  it('places a stream segment on the session timeline: times and word times shifted, id offset', () => {
    const s = {
      id: 2,
      start: 1,
      end: 2,
      text: 'a b',
      final: true,
      words: [
        { word: 'a', start: 1, end: 1.4, confidence: 1 },
        { word: 'b', start: 1.5, end: 2, confidence: 1 },
      ],
    };
    const placed = placeSegment(s, 10, 5);
    expect(placed).toMatchObject({ id: 7, start: 11, end: 12 });
    expect(placed.words.map((w) => [w.start, w.end])).toEqual([
      [11, 11.4],
      [11.5, 12],
    ]);
    expect(s.start).toBe(1); // the original is untouched
    expect(placeSegment(s, 0, 0)).toBe(s);
  });

  it('averages channels to mono and decodes WAV bytes with the engine reader', () => {
    // 3 frames of 16-bit stereo PCM at 8 kHz
    const data = new Int16Array([16384, 0, -16384, -16384, 32767, 32767]);
    const header = new DataView(new ArrayBuffer(44));
    const text = (at: number, s: string) => [...s].forEach((c, i) => header.setUint8(at + i, c.charCodeAt(0)));
    text(0, 'RIFF');
    header.setUint32(4, 36 + data.byteLength, true);
    text(8, 'WAVE');
    text(12, 'fmt ');
    header.setUint32(16, 16, true);
    header.setUint16(20, 1, true);
    header.setUint16(22, 2, true);
    header.setUint32(24, 8000, true);
    header.setUint32(28, 8000 * 4, true);
    header.setUint16(32, 4, true);
    header.setUint16(34, 16, true);
    text(36, 'data');
    header.setUint32(40, data.byteLength, true);
    const bytes = new Uint8Array(44 + data.byteLength);
    bytes.set(new Uint8Array(header.buffer));
    bytes.set(new Uint8Array(data.buffer), 44);
    const mono = decodeFileAudio({ kind: 'wav', bytes });
    expect(mono.sampleRate).toBe(8000);
    expect([...mono.samples].map((v) => Math.round(v * 100) / 100)).toEqual([0.25, -0.5, 1]);
    expect(() => decodeFileAudio({ kind: 'wav', bytes: new Uint8Array(10) })).toThrow(/WAV/);
  });
});
