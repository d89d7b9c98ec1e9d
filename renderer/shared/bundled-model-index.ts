/**
 * Where the bundled default models are published to the renderer, and the shape of the generated
 * index that lists them. Pure (no Node): the renderer imports these types too.
 * The renderer build copies `models/default/{acoustic,lm}` to `<out>/models/default/` with the
 * index beside them; the dev server and the e2e server publish the same layout.
 */

export const BUNDLED_MODEL_KINDS = ['acoustic', 'lm'] as const;
export type BundledModelKind = (typeof BUNDLED_MODEL_KINDS)[number];

/** `models/default/index.json`: each bundled package's file list (package-relative), or null if absent. */
export interface BundledModelIndex {
  acoustic: string[] | null;
  lm: string[] | null;
}

/** URL path (under the renderer's base) of the bundled models folder. */
export const BUNDLED_MODELS_URL_PATH = '/models/default/';
