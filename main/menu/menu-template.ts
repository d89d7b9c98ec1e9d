/**
 * The application menu as data. Commands go to the renderer (which owns the session state);
 * main only relays them. Plain module: a test can check the template without Electron.
 *
 * Start/Stop shows Ctrl/Cmd+R but does not register it: the renderer handles that key itself
 * (the same code path as in a plain browser), and a registered accelerator would fire twice.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../ipc/channels';

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
      item('Open Model Folder…', 'open-model-folder', 'CmdOrCtrl+O'),
      item('Open Model .zip…', 'open-model-zip', 'CmdOrCtrl+Shift+O'),
      { type: 'separator' },
      {
        label: 'Export Transcript',
        submenu: [item('Text (.txt)…', 'export-txt', 'CmdOrCtrl+E'), item('SubRip (.srt)…', 'export-srt'), item('WebVTT (.vtt)…', 'export-vtt'), item('JSON (.json)…', 'export-json')],
      },
      { type: 'separator' },
      o.isMac ? { role: 'close' } : { role: 'quit' },
    ],
  });
  template.push({ role: 'editMenu' });
  template.push({
    label: 'Recording',
    submenu: [
      { label: 'Start / Stop', accelerator: 'CmdOrCtrl+R', registerAccelerator: false, click: () => o.send('toggle-recording') },
      { type: 'separator' },
      item('Clear Transcript', 'clear-transcript'),
    ],
  });
  const viewItems: MenuItemConstructorOptions[] = [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }];
  // reload and devtools are development aids; in a release Ctrl+R belongs to Start/Stop
  if (o.isDev) viewItems.unshift({ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' });
  template.push({ label: 'View', submenu: viewItems });
  template.push({ role: 'windowMenu' });
  template.push({ role: 'help', submenu: [{ label: `About ${o.appName}`, click: () => o.showAbout() }] });
  return template;
}
