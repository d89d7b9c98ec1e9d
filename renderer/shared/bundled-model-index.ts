/**
 * Where the bundled default models are published to the renderer, and the shape of the generated
 * index that lists them. Pure (no Node): the renderer imports these types too.
 * The renderer build copies `models/default/{acoustic,lm,punct,spell,g2p}` to `<out>/models/default/` with the
 * index beside them; the dev server and the e2e server publish the same layout.
 */

/**
 * acoustic, lm; punct and spell: readable text (punctuation and capitals, spelled guesses for unknown sounds);
 * g2p: letters → phonemes, proposing a pronunciation for a word typed in Settings → Pronunciations without one.
 */
export const BUNDLED_MODEL_KINDS = ['acoustic', 'lm', 'punct', 'spell', 'g2p'] as const;
export type BundledModelKind = (typeof BUNDLED_MODEL_KINDS)[number];

/** `models/default/index.json`: each bundled package's file list (package-relative), or null if absent. */
export interface BundledModelIndex {
  acoustic: string[] | null;
  lm: string[] | null;
  punct: string[] | null;
  spell: string[] | null;
  g2p: string[] | null;
}

/** URL path (under the renderer's base) of the bundled models folder. */
export const BUNDLED_MODELS_URL_PATH = '/models/default/';
