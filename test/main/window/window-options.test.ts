import { describe, expect, it } from 'vitest';
import { mainWindowOptions, windowIconPath, WINDOW_ICON_RESOURCE } from '../../../main/window/window-options';

describe('main window options', () => {
  it('isolate the renderer: context isolation and sandbox on, no Node, web security on', () => {
    const web = mainWindowOptions('/app/out/preload/index.cjs').webPreferences!;
    expect(web.contextIsolation).toBe(true);
    expect(web.sandbox).toBe(true);
    expect(web.nodeIntegration).toBe(false);
    expect(web.nodeIntegrationInWorker).toBe(false);
    expect(web.nodeIntegrationInSubFrames).toBe(false);
    expect(web.webSecurity).toBe(true);
    expect(web.allowRunningInsecureContent).toBe(false);
    expect(web.webviewTag).toBe(false);
    expect(web.preload).toBe('/app/out/preload/index.cjs');
  });

  it('give the window the app icon: the packaged copy in resources, build/icons in development', () => {
    expect(WINDOW_ICON_RESOURCE).toBe('icon.png');
    expect(
      windowIconPath({
        isPackaged: true,
        resourcesPath: '/opt/Earshot/resources',
        appPath: '/opt/Earshot/resources/app.asar',
      }),
    ).toBe('/opt/Earshot/resources/icon.png');
    expect(windowIconPath({ isPackaged: false, resourcesPath: '/x', appPath: '/repo' })).toBe(
      '/repo/build/icons/512x512.png',
    );
    expect(mainWindowOptions('/p.cjs', '/opt/Earshot/resources/icon.png').icon).toBe('/opt/Earshot/resources/icon.png');
  });
});
