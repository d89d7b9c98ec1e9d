/**
 * The main window's options, as a plain object a Node test can inspect: the security flags are
 * the point, so they live where a regression is caught without launching Electron.
 */
import type { BrowserWindowConstructorOptions } from 'electron';
import { join } from 'node:path';

/** The window icon's file name in a package's resources folder (electron-builder.yml's extraResources). */
export const WINDOW_ICON_RESOURCE = 'icon.png';

/**
 * Where the window icon (Linux, Windows; macOS takes the bundle's icon) is: in a package, copied
 * next to app.asar as a plain file; in development, the rendered icon set in build/icons.
 */
export function windowIconPath(where: { isPackaged: boolean; resourcesPath: string; appPath: string }): string {
  return where.isPackaged
    ? join(where.resourcesPath, WINDOW_ICON_RESOURCE)
    : join(where.appPath, 'build', 'icons', '512x512.png');
}

export function mainWindowOptions(preloadPath: string, iconPath?: string): BrowserWindowConstructorOptions {
  return {
    ...(iconPath ? { icon: iconPath } : {}),
    width: 1100,
    height: 760,
    minWidth: 640,
    minHeight: 480,
    title: 'Earshot',
    show: false, // shown on 'ready-to-show' so the user never sees an unstyled flash
    backgroundColor: '#111318',
    autoHideMenuBar: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      sandbox: true,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
    },
  };
}
