/**
 * Which URLs count as the app itself. Everything else (remote pages, file://, other schemes) is
 * foreign: it may not be navigated to, may not use IPC and may not get permissions.
 */

/** The custom scheme the built renderer is served from (registered privileged in main/index.ts). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'earshot';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

export interface TrustedOrigins {
  origins: readonly string[];
}

/** Production trusts only app://earshot; dev also trusts the electron-vite dev server. */
export function trustedOrigins(devServerUrl?: string): TrustedOrigins {
  const origins = [APP_ORIGIN];
  if (devServerUrl) origins.push(new URL(devServerUrl).origin);
  return { origins };
}

export function originOf(url: string | undefined | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    // URL gives 'null' as the origin of non-special schemes; rebuild it for ours
    if (parsed.protocol === `${APP_SCHEME}:`) return `${APP_SCHEME}://${parsed.host}`;
    return parsed.origin;
  } catch {
    return null;
  }
}

export function isTrustedUrl(url: string | undefined | null, trusted: TrustedOrigins): boolean {
  const origin = originOf(url);
  return origin !== null && origin !== 'null' && trusted.origins.includes(origin);
}

/** In-app navigation is allowed only within the app's own origin. */
export function isAllowedNavigation(url: string, trusted: TrustedOrigins): boolean {
  return isTrustedUrl(url, trusted);
}

export interface PermissionRequestDetails {
  requestingUrl?: string;
  mediaTypes?: ReadonlyArray<string>;
  isMainFrame?: boolean;
}

/**
 * Every permission is denied except, for the app's own top frame, microphone capture and writing
 * text to the clipboard (the transcript's Copy button). Camera (mediaTypes containing 'video') is
 * refused: Earshot never needs it. Reading the clipboard is refused too.
 */
export function isPermissionRequestAllowed(
  permission: string,
  details: PermissionRequestDetails,
  trusted: TrustedOrigins,
): boolean {
  if (permission === 'clipboard-sanitized-write')
    return isTrustedUrl(details.requestingUrl, trusted) && details.isMainFrame !== false;
  if (permission !== 'media') return false;
  if (!isTrustedUrl(details.requestingUrl, trusted)) return false;
  if (details.isMainFrame === false) return false;
  const types = details.mediaTypes ?? [];
  return types.length > 0 && types.every((t) => t === 'audio');
}

/** What Electron's permission check handler is told (details of setPermissionCheckHandler, plus the page). */
export interface PermissionCheckDetails {
  /** The origin that asks. */
  requestingOrigin: string;
  /** The last URL the asking frame loaded (absent for cross-origin subframes). */
  requestingUrl?: string;
  /** Whether the asking frame is the top frame. */
  isMainFrame?: boolean;
  /** The origin embedding the asking frame: set only for cross-origin subframes. */
  embeddingOrigin?: string;
  /** For 'media': 'audio', 'video' or 'unknown'. */
  mediaType?: string;
  /** URL of the page (the WebContents) the check comes from; null when there is none. */
  pageUrl?: string | null;
}

/**
 * Synchronous permission checks (e.g. device labels in enumerateDevices, clipboard writes): the
 * same rule as requests. The asking frame must be the app's own top frame, on the app's own page:
 * a subframe (an embedded frame, even of the app's origin) or a check without a page is refused.
 * Media checks must name audio: video, 'unknown' or no type at all are refused.
 */
export function isPermissionCheckAllowed(
  permission: string,
  details: PermissionCheckDetails,
  trusted: TrustedOrigins,
): boolean {
  if (permission !== 'media' && permission !== 'clipboard-sanitized-write') return false;
  if (!isTrustedUrl(details.requestingOrigin, trusted)) return false;
  if (details.isMainFrame !== true || details.embeddingOrigin !== undefined) return false;
  if (details.requestingUrl !== undefined && !isTrustedUrl(details.requestingUrl, trusted)) return false;
  if (!isTrustedUrl(details.pageUrl, trusted)) return false;
  if (permission === 'clipboard-sanitized-write') return true;
  return details.mediaType === 'audio';
}
