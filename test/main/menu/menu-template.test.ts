import { describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { buildMenuTemplate } from '../../../main/menu/menu-template';
import { isMenuCommand, MENU_COMMANDS } from '../../../renderer/shared/ipc-channels';

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? flatten(i.submenu) : [])]);
}

describe('application menu', () => {
  it('sends commands to the renderer and leaves Ctrl/Cmd+R to it in a release build', () => {
    const send = vi.fn();
    const items = flatten(
      buildMenuTemplate({ appName: 'Earshot', isMac: false, isDev: false, send, showAbout: () => undefined }),
    );
    const toggle = items.find((i) => i.label === 'Start / Stop')!;
    expect(toggle.registerAccelerator).toBe(false);
    (toggle.click as () => void)();
    expect(send).toHaveBeenCalledWith('toggle-recording');
    expect(items.some((i) => i.role === 'reload' || i.role === 'toggleDevTools')).toBe(false);
  });

  it('offers reload and devtools only under the dev server', () => {
    const items = flatten(
      buildMenuTemplate({
        appName: 'Earshot',
        isMac: true,
        isDev: true,
        send: () => undefined,
        showAbout: () => undefined,
      }),
    );
    expect(items.some((i) => i.role === 'toggleDevTools')).toBe(true);
    expect(items[0].role).toBe('appMenu');
  });

  it('every command item sends a known command, and every command has a menu item', () => {
    const sent: unknown[] = [];
    const items = flatten(
      buildMenuTemplate({
        appName: 'Earshot',
        isMac: false,
        isDev: false,
        send: (c) => void sent.push(c),
        showAbout: () => undefined,
      }),
    );
    for (const item of items) if (item.click && item.label !== `About Earshot`) (item.click as () => void)();
    expect(sent.every(isMenuCommand)).toBe(true);
    expect([...new Set(sent)].sort()).toEqual([...MENU_COMMANDS].sort());
  });
});
