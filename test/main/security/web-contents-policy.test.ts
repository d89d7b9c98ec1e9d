import { describe, expect, it, vi } from 'vitest';
import {
  installWebContentsGuards,
  isAllowedNetworkRequest,
  openExternalAfterAsking,
  shouldOpenExternally,
  type WebContentsLike,
} from '../../../main/security/web-contents-policy';
import { trustedOrigins } from '../../../main/security/origin-policy';

type Listener = (event: { preventDefault(): void }, url?: string) => void;

function fakeContents() {
  const listeners = new Map<string, Listener>();
  let openHandler: ((d: { url: string }) => { action: 'deny' }) | null = null;
  const contents: WebContentsLike = {
    setWindowOpenHandler: (h) => void (openHandler = h),
    on: ((event: string, listener: Listener) => void listeners.set(event, listener)) as WebContentsLike['on'],
  };
  const fire = (event: string, url?: string): boolean => {
    let prevented = false;
    listeners.get(event)!({ preventDefault: () => void (prevented = true) }, url);
    return prevented;
  };
  return { contents, fire, open: (url: string) => openHandler!({ url }) };
}

describe('web contents guards (no remote content)', () => {
  it('never opens a window; only https links go to the system browser', () => {
    const { contents, open } = fakeContents();
    const openExternal = vi.fn();
    installWebContentsGuards(contents, trustedOrigins(), openExternal);
    for (const url of [
      'https://example.org/model-card',
      'http://example.org/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'app://earshot/index.html',
      'smb://host/share',
    ]) {
      expect(open(url)).toEqual({ action: 'deny' });
    }
    expect(openExternal.mock.calls).toEqual([['https://example.org/model-card']]);
    expect(shouldOpenExternally('not a url')).toBe(false);
  });

  it('keeps navigation and redirects on the app origin and refuses <webview>', () => {
    const { contents, fire } = fakeContents();
    installWebContentsGuards(contents, trustedOrigins(), () => undefined);
    expect(fire('will-navigate', 'app://earshot/index.html')).toBe(false);
    expect(fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(fire('will-navigate', 'file:///home/user/talk.wav')).toBe(true); // a dropped file must not replace the app
    expect(fire('will-redirect', 'http://localhost:5173/')).toBe(true);
    expect(fire('will-attach-webview')).toBe(true);
  });

  it('cancels every network request except to the dev server while developing', () => {
    const prod = trustedOrigins();
    for (const url of [
      'https://example.org/x.js',
      'http://127.0.0.1:8080/',
      'ws://localhost:5173/',
      'wss://cdn.example/',
      'nonsense',
    ]) {
      expect(isAllowedNetworkRequest(url, prod)).toBe(false);
    }
    const dev = trustedOrigins('http://localhost:5173');
    expect(isAllowedNetworkRequest('http://localhost:5173/app/main.ts', dev)).toBe(true);
    expect(isAllowedNetworkRequest('ws://localhost:5173/', dev)).toBe(true);
    expect(isAllowedNetworkRequest('http://localhost:5174/', dev)).toBe(false);
    expect(isAllowedNetworkRequest('https://example.org/', dev)).toBe(false);
  });

  it('opens an https link in the browser only after the user agreed to that URL', async () => {
    const open = vi.fn();
    const asked: string[] = [];
    const answer = (yes: boolean) => async (url: string) => (asked.push(url), yes);
    expect(await openExternalAfterAsking('https://example.org/model-card', answer(false), open)).toBe(false);
    expect(open).not.toHaveBeenCalled();
    expect(await openExternalAfterAsking('https://example.org/model-card', answer(true), open)).toBe(true);
    expect(open.mock.calls).toEqual([['https://example.org/model-card']]);
    // a failed question counts as "no"
    expect(
      await openExternalAfterAsking('https://example.org/x', async () => Promise.reject(new Error('no window')), open),
    ).toBe(false);
    // other schemes are never even asked about
    for (const url of ['http://example.org/', 'file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share']) {
      expect(await openExternalAfterAsking(url, answer(true), open)).toBe(false);
    }
    expect(asked).toEqual(['https://example.org/model-card', 'https://example.org/model-card']);
    expect(open).toHaveBeenCalledOnce();
  });
});
