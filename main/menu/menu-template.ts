/**
 * The application menu as data. Commands go to the renderer (which owns the session state);
 * main only relays them. Plain module: a test can check the template without Electron.
 *
 * Start/Stop shows Ctrl/Cmd+R but does not register it: the renderer handles that key itself
 * (the same code path as in a plain browser), and a registered accelerator would fire twice.
 * Find (Ctrl/Cmd+F) is registered here and also handled by the renderer's own shortcut: a
 * registered accelerator is consumed by the menu, so the renderer only sees it in a browser.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../renderer/shared/ipc-channels';

export interface MenuTemplateOptions {
  appName: string;
  isMac: boolean;
  isDev: boolean;
  send(command: MenuCommand): void;
  showAbout(): void;
}

export function buildMenuTemplate(o: MenuTemplateOptions): MenuItemConstructorOptions[] {
  const item = (label: string, command: MenuCommand, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    accelerator,
    click: () => o.send(command),
  });
  const template: MenuItemConstructorOptions[] = [];
  if (o.isMac) template.push({ role: 'appMenu' });
  template.push({
    label: 'File',
    submenu: [
      item('New Session', 'new-session', 'CmdOrCtrl+N'),
      item('Import Audio File…', 'import-audio', 'CmdOrCtrl+O'),
      { type: 'separator' },
      item('Load Model Folder…', 'open-model-folder', 'CmdOrCtrl+Shift+O'),
      item('Load Model .zip…', 'open-model-zip'),
      item('Models…', 'show-models', 'CmdOrCtrl+M'),
      { type: 'separator' },
      {
        label: 'Export Transcript',
        submenu: [
          item('Text (.txt)…', 'export-txt', 'CmdOrCtrl+E'),
          item('SubRip (.srt)…', 'export-srt'),
          item('WebVTT (.vtt)…', 'export-vtt'),
          item('JSON (.json)…', 'export-json'),
        ],
      },
      item('Session History…', 'show-history', 'CmdOrCtrl+Shift+H'),
      { type: 'separator' },
      item(o.isMac ? 'Settings…' : 'Preferences…', 'show-settings', 'CmdOrCtrl+,'),
      { type: 'separator' },
      o.isMac ? { role: 'close' } : { role: 'quit' },
    ],
  });
  template.push({
    label: 'Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
      { type: 'separator' },
      item('Copy Transcript', 'copy-transcript', 'CmdOrCtrl+Shift+C'),
      item('Find in Transcript…', 'find', 'CmdOrCtrl+F'),
    ],
  });
  template.push({
    label: 'Recording',
    submenu: [
      {
        label: 'Start / Stop',
        accelerator: 'CmdOrCtrl+R',
        registerAccelerator: false,
        click: () => o.send('toggle-recording'),
      },
    ],
  });
  const viewItems: MenuItemConstructorOptions[] = [
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  // reload and devtools are development aids; in a release Ctrl+R belongs to Start/Stop
  if (o.isDev) viewItems.unshift({ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' });
  template.push({ label: 'View', submenu: viewItems });
  template.push({ role: 'windowMenu' });
  template.push({ role: 'help', submenu: [{ label: `About ${o.appName}`, click: () => o.showAbout() }] });
  return template;
}
