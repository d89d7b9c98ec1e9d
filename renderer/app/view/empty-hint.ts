/**
 * What the empty transcript says. With a model ready: how to start (Space or Ctrl/⌘+R) or drop a
 * file. Without one, Start is disabled, so the hint says why and where to fix it instead of
 * promising a shortcut that does nothing. No DOM here (empty-hint-view.ts renders it).
 */
/** The model's state (model-manager.ts's EngineState; repeated here so this file needs no DOM). */
export type HintEngineState = 'loading' | 'ready' | 'failed' | 'missing';

/** The lines to show instead of the ready hint (index.html's), or null to show that one. */
export function emptyHintLines(engine: HintEngineState): string[] | null {
  switch (engine) {
    case 'ready':
      return null;
    case 'loading':
      return ['Loading the speech model…', 'Recording and import start once it is ready.'];
    case 'missing':
      return [
        'No speech model is installed, so there is nothing to record with yet.',
        'Open Models to load a model package (a folder or a .zip).',
      ];
    case 'failed':
      return [
        'The speech model could not be loaded, so recording and import are off.',
        'Open Models to load another package or to use the bundled one again.',
      ];
  }
}
