/**
 * Fetches the bundled default models published at `models/default/` next to index.html (by the
 * vite build, by main's app:// handler, or by the dev/test server), guided by the generated
 * `index.json` that lists each package's files.
 */
import type { BundledModelIndex, BundledModelKind } from '../shared/bundled-model-index';
import type { PackagePayload } from '../worker/protocol';
import type { BundledModels } from './host';

const BUNDLED_MODELS_PATH = 'models/default/';

export async function fetchBundledModels(baseUrl: string): Promise<BundledModels> {
  const root = new URL(BUNDLED_MODELS_PATH, baseUrl);
  const response = await fetch(new URL('index.json', root));
  if (!response.ok) throw new Error(`bundled model index: HTTP ${response.status}`);
  const index = (await response.json()) as BundledModelIndex;
  const [acoustic, lm, punct, spell, g2p] = await Promise.all([
    fetchPackage(root, 'acoustic', index.acoustic),
    fetchPackage(root, 'lm', index.lm),
    fetchPackage(root, 'punct', index.punct),
    fetchPackage(root, 'spell', index.spell),
    fetchPackage(root, 'g2p', index.g2p),
  ]);
  return { acoustic, lm, punct, spell, g2p };
}

async function fetchPackage(
  root: URL,
  kind: BundledModelKind,
  files: string[] | null | undefined,
): Promise<PackagePayload | null> {
  if (!files) return null;
  const entries = await Promise.all(
    files.map(async (file) => {
      const response = await fetch(new URL(`${kind}/${file.split('/').map(encodeURIComponent).join('/')}`, root));
      if (!response.ok) throw new Error(`bundled ${kind} model: ${file}: HTTP ${response.status}`);
      return [file, new Uint8Array(await response.arrayBuffer())] as const;
    }),
  );
  return { name: `default ${kind}`, files: Object.fromEntries(entries) };
}
