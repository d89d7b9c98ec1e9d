/**
 * Picks the host once at start-up: Electron's preload defines `window.earshot`; anything else is a
 * plain browser.
 */
import type { EarshotApi } from '../shared/earshot-api';
import { createBrowserHost } from './browser-host';
import { createElectronHost } from './electron-host';
import type { Host } from './host';

export function selectHost(): Host {
  const api = (window as Window & { earshot?: EarshotApi }).earshot;
  return api ? createElectronHost(api) : createBrowserHost();
}
