import { describe, expect, it } from 'vitest';
import {
  isAllowedNavigation,
  isPermissionCheckAllowed,
  isPermissionRequestAllowed,
  isTrustedUrl,
  trustedOrigins,
  type PermissionCheckDetails,
} from '../../../main/security/origin-policy';

const prod = trustedOrigins();

describe('origin policy', () => {
  it('trusts only app://earshot in a build', () => {
    expect(isTrustedUrl('app://earshot/index.html', prod)).toBe(true);
    expect(isTrustedUrl('app://earshot.evil/index.html', prod)).toBe(false);
    expect(isTrustedUrl('https://earshot/index.html', prod)).toBe(false);
    expect(isTrustedUrl('file:///index.html', prod)).toBe(false);
    expect(isTrustedUrl('not a url', prod)).toBe(false);
    expect(isTrustedUrl(undefined, prod)).toBe(false);
  });

  it('blocks navigation to other origins (no remote content)', () => {
    expect(isAllowedNavigation('app://earshot/index.html#x', prod)).toBe(true);
    expect(isAllowedNavigation('https://example.com/', prod)).toBe(false);
    expect(isAllowedNavigation('javascript:alert(1)', prod)).toBe(false);
  });

  it('grants microphone only: to the app, top frame, audio without video', () => {
    const app = 'app://earshot/index.html';
    expect(
      isPermissionRequestAllowed('media', { requestingUrl: app, mediaTypes: ['audio'], isMainFrame: true }, prod),
    ).toBe(true);
    expect(isPermissionRequestAllowed('media', { requestingUrl: app, mediaTypes: ['audio', 'video'] }, prod)).toBe(
      false,
    );
    expect(isPermissionRequestAllowed('media', { requestingUrl: app, mediaTypes: [] }, prod)).toBe(false);
    expect(
      isPermissionRequestAllowed('media', { requestingUrl: 'https://evil.example/', mediaTypes: ['audio'] }, prod),
    ).toBe(false);
    expect(
      isPermissionRequestAllowed('media', { requestingUrl: app, mediaTypes: ['audio'], isMainFrame: false }, prod),
    ).toBe(false);
    for (const other of ['geolocation', 'notifications', 'clipboard-read', 'openExternal', 'midi', 'display-capture']) {
      expect(isPermissionRequestAllowed(other, { requestingUrl: app }, prod)).toBe(false);
    }
    expect(isPermissionCheckAllowed('media', appCheck({ mediaType: 'audio' }), prod)).toBe(true);
    expect(isPermissionCheckAllowed('media', appCheck({ mediaType: 'video' }), prod)).toBe(false);
    expect(
      isPermissionCheckAllowed(
        'media',
        appCheck({ mediaType: 'audio', requestingOrigin: 'https://evil.example' }),
        prod,
      ),
    ).toBe(false);
  });

  it('lets the app write the clipboard (Copy transcript) but never read it', () => {
    const app = 'app://earshot/index.html';
    expect(
      isPermissionRequestAllowed('clipboard-sanitized-write', { requestingUrl: app, isMainFrame: true }, prod),
    ).toBe(true);
    expect(
      isPermissionRequestAllowed('clipboard-sanitized-write', { requestingUrl: 'https://evil.example/' }, prod),
    ).toBe(false);
    expect(
      isPermissionRequestAllowed('clipboard-sanitized-write', { requestingUrl: app, isMainFrame: false }, prod),
    ).toBe(false);
    expect(isPermissionRequestAllowed('clipboard-read', { requestingUrl: app, isMainFrame: true }, prod)).toBe(false);
    expect(isPermissionCheckAllowed('clipboard-sanitized-write', appCheck({}), prod)).toBe(true);
    expect(isPermissionCheckAllowed('clipboard-sanitized-write', appCheck({ isMainFrame: false }), prod)).toBe(false);
    expect(isPermissionCheckAllowed('clipboard-read', appCheck({}), prod)).toBe(false);
  });

  it('permission checks: deny a media check with an unknown or missing media type', () => {
    expect(isPermissionCheckAllowed('media', appCheck({ mediaType: 'unknown' }), prod)).toBe(false);
    expect(isPermissionCheckAllowed('media', appCheck({ mediaType: undefined }), prod)).toBe(false);
    expect(isPermissionCheckAllowed('media', appCheck({ mediaType: 'audio-and-video' }), prod)).toBe(false);
  });

  it('permission checks: look at the asking frame and the page, not only the origin', () => {
    // a subframe, even one of the app's own origin, gets nothing
    expect(isPermissionCheckAllowed('media', appCheck({ mediaType: 'audio', isMainFrame: false }), prod)).toBe(false);
    // a cross-origin subframe (Electron sets embeddingOrigin and no requestingUrl for it)
    expect(
      isPermissionCheckAllowed(
        'media',
        appCheck({ mediaType: 'audio', requestingUrl: undefined, embeddingOrigin: 'app://earshot' }),
        prod,
      ),
    ).toBe(false);
    // the frame's last URL must be the app's too
    expect(
      isPermissionCheckAllowed(
        'media',
        appCheck({ mediaType: 'audio', requestingUrl: 'https://evil.example/x' }),
        prod,
      ),
    ).toBe(false);
    // the page (WebContents) the check comes from must be the app's, and there must be one
    expect(
      isPermissionCheckAllowed('media', appCheck({ mediaType: 'audio', pageUrl: 'https://evil.example/' }), prod),
    ).toBe(false);
    expect(isPermissionCheckAllowed('media', appCheck({ mediaType: 'audio', pageUrl: null }), prod)).toBe(false);
    // the dev server counts only where it is trusted (development)
    const dev = trustedOrigins('http://localhost:5173');
    const devCheck = appCheck({
      mediaType: 'audio',
      requestingOrigin: 'http://localhost:5173',
      requestingUrl: 'http://localhost:5173/',
      pageUrl: 'http://localhost:5173/',
    });
    expect(isPermissionCheckAllowed('media', devCheck, dev)).toBe(true);
    expect(isPermissionCheckAllowed('media', devCheck, prod)).toBe(false);
  });
});

/** A check from the app's own top frame, with `patch` applied. */
function appCheck(patch: Partial<PermissionCheckDetails>): PermissionCheckDetails {
  return {
    requestingOrigin: 'app://earshot',
    requestingUrl: 'app://earshot/index.html',
    isMainFrame: true,
    pageUrl: 'app://earshot/index.html',
    ...patch,
  };
}
