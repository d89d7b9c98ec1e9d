import { describe, expect, it } from 'vitest';
import { captionPieces } from '../../../renderer/app/view/caption-pieces';
import type { Segment } from '../../../renderer/worker/protocol';

function partial(words: string[], tentativeLast: boolean): Segment {
  return {
    id: 0, start: 0, end: words.length, final: false, text: words.join(' '),
    words: words.map((word, i) => ({ word, start: i, end: i + 1, confidence: 0.9, ...(tentativeLast && i === words.length - 1 ? { tentative: true } : {}) })),
  };
}

describe('live caption', () => {
  it('marks the word being spoken, and only that one', () => {
    const { cut, pieces } = captionPieces(partial(['the', 'cat', 'sa'], true));
    expect(cut).toBe(false);
    expect(pieces).toEqual([{ text: 'the', tentative: false }, { text: 'cat', tentative: false }, { text: 'sa', tentative: true }]);
    expect(captionPieces(partial(['the', 'cat'], false)).pieces.some((p) => p.tentative)).toBe(false);
  });

  it('shows the newest words of a long partial within the width, the tentative one included', () => {
    const words = Array.from({ length: 40 }, (_, i) => `word${i}`);
    const { cut, pieces } = captionPieces(partial(words, true), 30);
    expect(cut).toBe(true);
    // 4 words take 4 × 6 + 3 spaces = 27 characters; a fifth would make 34 > 30
    expect(pieces.map((p) => p.text)).toEqual(['word36', 'word37', 'word38', 'word39']);
    expect(pieces.at(-1)!.tentative).toBe(true);
    // a single word longer than the width is still shown
    expect(captionPieces(partial(['a', 'x'.repeat(50)], true), 30).pieces.map((p) => p.text)).toEqual(['x'.repeat(50)]);
  });
});
