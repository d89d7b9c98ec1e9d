import { describe, expect, it } from 'vitest';
import { isAllowedNavigation, isPermissionCheckAllowed, isPermissionRequestAllowed, isTrustedUrl, trustedOrigins } from '../../../main/security/origin-policy';

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
    expect(isPermissionRequestAllowed('media', { requestingUrl: app, mediaTypes: ['audio'], isMainFrame: true }, prod)).toBe(true);
    expect(isPermissionRequestAllowed('media', { requestingUrl: app, mediaTypes: ['audio', 'video'] }, prod)).toBe(false);
    expect(isPermissionRequestAllowed('media', { requestingUrl: app, mediaTypes: [] }, prod)).toBe(false);
    expect(isPermissionRequestAllowed('media', { requestingUrl: 'https://evil.example/', mediaTypes: ['audio'] }, prod)).toBe(false);
    expect(isPermissionRequestAllowed('media', { requestingUrl: app, mediaTypes: ['audio'], isMainFrame: false }, prod)).toBe(false);
    for (const other of ['geolocation', 'notifications', 'clipboard-read', 'openExternal', 'midi', 'display-capture']) {
      expect(isPermissionRequestAllowed(other, { requestingUrl: app }, prod)).toBe(false);
    }
    expect(isPermissionCheckAllowed('media', 'app://earshot', 'audio', prod)).toBe(true);
    expect(isPermissionCheckAllowed('media', 'app://earshot', 'video', prod)).toBe(false);
    expect(isPermissionCheckAllowed('media', 'https://evil.example', 'audio', prod)).toBe(false);
  });

  it('lets the app write the clipboard (Copy transcript) but never read it', () => {
    const app = 'app://earshot/index.html';
    expect(isPermissionRequestAllowed('clipboard-sanitized-write', { requestingUrl: app, isMainFrame: true }, prod)).toBe(true);
    expect(isPermissionRequestAllowed('clipboard-sanitized-write', { requestingUrl: 'https://evil.example/' }, prod)).toBe(false);
    expect(isPermissionRequestAllowed('clipboard-sanitized-write', { requestingUrl: app, isMainFrame: false }, prod)).toBe(false);
    expect(isPermissionRequestAllowed('clipboard-read', { requestingUrl: app, isMainFrame: true }, prod)).toBe(false);
    expect(isPermissionCheckAllowed('clipboard-sanitized-write', 'app://earshot', undefined, prod)).toBe(true);
    expect(isPermissionCheckAllowed('clipboard-read', 'app://earshot', undefined, prod)).toBe(false);
  });
});
