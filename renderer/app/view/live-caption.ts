/**
 * The live caption under the spectrogram: the partial's newest words (caption-pieces.ts), the word
 * still being spoken lighter (`.tentative`), as it may change.
 */
import type { Segment } from '../../worker/protocol';
import { captionPieces } from './caption-pieces';

/** Renders the caption: the partial's newest words, or `placeholder` (greyed) when there is none. */
export function renderLiveCaption(element: HTMLElement, partial: Segment | null, placeholder: string): void {
  element.classList.toggle('placeholder', !partial);
  if (!partial) {
    element.textContent = placeholder;
    return;
  }
  const { cut, pieces } = captionPieces(partial);
  const nodes: Array<Node | string> = cut ? ['… '] : [];
  pieces.forEach((piece, i) => {
    if (i > 0) nodes.push(' ');
    if (!piece.tentative) {
      nodes.push(piece.text);
      return;
    }
    const span = document.createElement('span');
    span.className = 'tentative';
    span.textContent = piece.text;
    nodes.push(span);
  });
  element.replaceChildren(...nodes);
}
