/**
 * Guards installed on every WebContents main creates, and the session's network filter: together
 * they keep remote content out of the app.
 *
 *  - window.open / target=_blank never opens an Electron window; an https link goes to the user's
 *    browser only after they said yes to the exact URL (`openExternalAfterAsking`), every other
 *    scheme (file:, javascript:, custom protocols) goes nowhere;
 *  - in-app navigation and redirects stay on the app's own origin;
 *  - <webview> cannot be attached;
 *  - http(s) and ws(s) requests are cancelled, except to the electron-vite dev server in dev.
 *
 * No Electron import: main/index.ts passes real WebContents; tests pass fakes.
 */
import { isAllowedNavigation, originOf, type TrustedOrigins } from './origin-policy';

/** The parts of Electron's WebContents the guards use. */
export interface WebContentsLike {
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  on(
    event: 'will-navigate' | 'will-redirect',
    listener: (event: { preventDefault(): void }, url: string) => void,
  ): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
}

/** Only https links may leave the app, and only to the system browser. */
export function shouldOpenExternally(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * Opens an https URL in the system browser only when the user agrees: the app itself has no
 * external links, so a link that reaches this came from content (a model card, a transcript) and
 * the user should see where it goes first. `ask` shows the full URL and resolves true for "Open".
 * Resolves whether the URL was opened.
 */
export async function openExternalAfterAsking(
  url: string,
  ask: (url: string) => Promise<boolean>,
  open: (url: string) => Promise<void> | void,
): Promise<boolean> {
  if (!shouldOpenExternally(url)) return false;
  let agreed: boolean;
  try {
    agreed = await ask(url);
  } catch {
    agreed = false;
  }
  if (!agreed) return false;
  await open(url);
  return true;
}

export function installWebContentsGuards(
  contents: WebContentsLike,
  trusted: TrustedOrigins,
  openExternal: (url: string) => void,
): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (shouldOpenExternally(url)) openExternal(url);
    return { action: 'deny' };
  });
  const guard = (event: { preventDefault(): void }, url: string): void => {
    if (!isAllowedNavigation(url, trusted)) event.preventDefault();
  };
  contents.on('will-navigate', guard);
  contents.on('will-redirect', guard);
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** URL patterns (Electron webRequest filter syntax) whose requests go through `isAllowedNetworkRequest`. */
export const NETWORK_REQUEST_PATTERNS = ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'];

/**
 * Whether a network request may go out. The app needs the network for nothing: its renderer comes
 * from app:// and its models are bundled or picked from disk. Under the dev server, requests to
 * that server (its http origin and its HMR websocket) are allowed.
 */
export function isAllowedNetworkRequest(url: string, trusted: TrustedOrigins): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (
    parsed.protocol !== 'http:' &&
    parsed.protocol !== 'https:' &&
    parsed.protocol !== 'ws:' &&
    parsed.protocol !== 'wss:'
  )
    return false;
  const asHttp =
    parsed.protocol === 'ws:'
      ? `http://${parsed.host}`
      : parsed.protocol === 'wss:'
        ? `https://${parsed.host}`
        : originOf(url);
  return asHttp !== null && trusted.origins.includes(asHttp);
}
