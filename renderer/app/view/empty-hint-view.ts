/** Renders the empty transcript's hint (empty-hint.ts says which) into #empty-hint. */
import { emptyHintLines, type HintEngineState } from './empty-hint';

export class EmptyHint {
  private readonly readyContent: Node[];
  private shown: HintEngineState | null = null;

  constructor(private readonly element: HTMLElement) {
    this.readyContent = [...element.childNodes].map((n) => n.cloneNode(true));
  }

  render(engine: HintEngineState): void {
    if (engine === this.shown) return;
    this.shown = engine;
    this.element.dataset.engine = engine;
    const lines = emptyHintLines(engine);
    if (lines === null) {
      this.element.replaceChildren(...this.readyContent.map((n) => n.cloneNode(true)));
      return;
    }
    this.element.replaceChildren(
      ...lines.map((text) => {
        const p = document.createElement('p');
        p.textContent = text;
        return p;
      }),
    );
  }
}
