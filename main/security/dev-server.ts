/**
 * Which renderer URL main loads. electron-vite's dev mode sets ELECTRON_RENDERER_URL to its dev
 * server; main then trusts that origin (IPC, navigation, network), relaxes the CSP for HMR and
 * offers DevTools. A packaged app must never do that: anyone who can set an environment variable
 * (a shortcut, a launcher, another local program) could make it load and trust a page of theirs.
 * So a packaged app ignores the variable, and even in development only a loopback http(s) URL is
 * taken (the dev server never runs anywhere else).
 */

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The dev server URL to load, or undefined (load the built renderer from app://). */
export function devServerUrlFrom(
  env: Readonly<Record<string, string | undefined>>,
  isPackaged: boolean,
): string | undefined {
  if (isPackaged) return undefined;
  const value = env.ELECTRON_RENDERER_URL;
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (!LOOPBACK_HOSTS.has(url.hostname)) return undefined;
  if (url.username !== '' || url.password !== '') return undefined;
  return value;
}
