/**
 * One Earshot at a time. Two instances would share the user-data folder: both would autosave into
 * the same sessions folder (each rewriting the session list the other reads), both would offer to
 * recover the same interrupted session and both would write settings.json. So the first instance
 * takes Electron's single-instance lock; a second launch finds it taken, asks the first to come to
 * the front (Electron's 'second-instance' event there) and quits before it opens any store.
 *
 * No Electron import: main/index.ts passes `app` and the main window; tests pass fakes.
 */

/** The parts of Electron's `app` used here. */
export interface SingleInstanceApp {
  requestSingleInstanceLock(): boolean;
  on(event: 'second-instance', listener: () => void): unknown;
  quit(): void;
}

/** The parts of a BrowserWindow used to bring it to the front. */
export interface FocusableWindow {
  isMinimized(): boolean;
  restore(): void;
  show(): void;
  focus(): void;
}

/**
 * Runs `start` only in the instance holding the lock; returns whether it did. The holder brings
 * its window to the front whenever another launch is attempted.
 */
export function runAsSingleInstance(
  app: SingleInstanceApp,
  mainWindow: () => FocusableWindow | null,
  start: () => void,
): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', () => {
    const window = mainWindow();
    if (!window) return; // still starting (or all windows closed on macOS): nothing to show yet
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  });
  start();
  return true;
}
