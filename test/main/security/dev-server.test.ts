import { describe, expect, it } from 'vitest';
import { devServerUrlFrom } from '../../../main/security/dev-server';

describe('dev server URL (ELECTRON_RENDERER_URL)', () => {
  it('is ignored by a packaged app, whatever it says', () => {
    for (const url of ['http://localhost:5173', 'https://evil.example/', 'http://127.0.0.1:5173/']) {
      expect(devServerUrlFrom({ ELECTRON_RENDERER_URL: url }, true)).toBeUndefined();
    }
  });

  it('is used in development when it points at a loopback http(s) server', () => {
    expect(devServerUrlFrom({ ELECTRON_RENDERER_URL: 'http://localhost:5173' }, false)).toBe('http://localhost:5173');
    expect(devServerUrlFrom({ ELECTRON_RENDERER_URL: 'http://127.0.0.1:5174/' }, false)).toBe('http://127.0.0.1:5174/');
    expect(devServerUrlFrom({ ELECTRON_RENDERER_URL: 'http://[::1]:5173' }, false)).toBe('http://[::1]:5173');
    expect(devServerUrlFrom({}, false)).toBeUndefined();
  });

  it('is refused in development too when it is remote, not http(s), or malformed', () => {
    for (const url of [
      'https://evil.example/',
      'http://localhost.evil.example:5173/',
      'file:///tmp/index.html',
      'javascript:alert(1)',
      'not a url',
      'http://user:pw@localhost:5173/',
      '',
    ]) {
      expect(devServerUrlFrom({ ELECTRON_RENDERER_URL: url }, false)).toBeUndefined();
    }
  });
});
