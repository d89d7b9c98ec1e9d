import { describe, expect, it, vi } from 'vitest';
import {
  runAsSingleInstance,
  type FocusableWindow,
  type SingleInstanceApp,
} from '../../../main/window/single-instance';

/** Two fake launches sharing one lock, as Electron's lock is shared by every process of the app. */
function fakeLaunches() {
  let held = false;
  const firstListeners: Array<() => void> = [];
  const launch = () => {
    const listeners: Array<() => void> = [];
    const app: SingleInstanceApp & { quit: ReturnType<typeof vi.fn> } = {
      requestSingleInstanceLock: () => {
        if (held) {
          for (const l of firstListeners) l(); // Electron tells the holder
          return false;
        }
        held = true;
        firstListeners.push(...listeners.splice(0)); // listeners registered later land here too
        return true;
      },
      on: (_event, listener) => {
        if (held && firstListeners.length === 0 && listeners.length === 0) firstListeners.push(listener);
        else listeners.push(listener);
      },
      quit: vi.fn<() => void>(),
    };
    return app;
  };
  return { launch };
}

function fakeWindow(minimized: boolean) {
  const calls: string[] = [];
  const window: FocusableWindow = {
    isMinimized: () => minimized,
    restore: () => void calls.push('restore'),
    show: () => void calls.push('show'),
    focus: () => void calls.push('focus'),
  };
  return { window, calls };
}

describe('single instance', () => {
  it('a second launch quits before starting (so it opens no store), and the first comes to the front', () => {
    const { launch } = fakeLaunches();
    const { window, calls } = fakeWindow(true);
    const startFirst = vi.fn();
    const first = launch();
    expect(runAsSingleInstance(first, () => window, startFirst)).toBe(true);
    expect(startFirst).toHaveBeenCalledOnce();
    expect(first.quit).not.toHaveBeenCalled();

    const startSecond = vi.fn();
    const second = launch();
    expect(runAsSingleInstance(second, () => window, startSecond)).toBe(false);
    expect(startSecond).not.toHaveBeenCalled();
    expect(second.quit).toHaveBeenCalledOnce();
    expect(calls).toEqual(['restore', 'show', 'focus']);
  });

  it('a launch while the first has no window yet changes nothing there', () => {
    const { launch } = fakeLaunches();
    expect(
      runAsSingleInstance(
        launch(),
        () => null,
        () => undefined,
      ),
    ).toBe(true);
    const second = launch();
    expect(() =>
      runAsSingleInstance(
        second,
        () => null,
        () => undefined,
      ),
    ).not.toThrow();
    expect(second.quit).toHaveBeenCalledOnce();
  });
});
