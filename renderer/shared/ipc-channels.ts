/**
 * Every IPC channel the app uses: the one list main's handler registry and the preload bridge
 * both import, so a channel cannot exist on one side only. `earshot:` prefixes keep them apart
 * from anything Electron or a library might register.
 */

/** renderer → main request/response channels (ipcRenderer.invoke / ipcMain.handle). */
export const InvokeChannel = {
  settingsGet: 'earshot:settings:get',
  settingsUpdate: 'earshot:settings:update',
  modelOpen: 'earshot:model:open',
  modelOpenSaved: 'earshot:model:open-saved',
  fileSave: 'earshot:file:save',
  fileOpenAudio: 'earshot:file:open-audio',
  sessionWrite: 'earshot:session:write',
  sessionList: 'earshot:session:list',
  sessionRead: 'earshot:session:read',
  sessionRemove: 'earshot:session:remove',
} as const;
export type InvokeChannel = (typeof InvokeChannel)[keyof typeof InvokeChannel];

/** main → renderer one-way events (webContents.send / ipcRenderer.on). */
export const EventChannel = {
  menuCommand: 'earshot:menu:command',
} as const;
export type EventChannel = (typeof EventChannel)[keyof typeof EventChannel];

export const INVOKE_CHANNELS: readonly InvokeChannel[] = Object.values(InvokeChannel);

/** Commands the application menu sends to the renderer. */
export const MENU_COMMANDS = [
  'toggle-recording',
  'new-session',
  'import-audio',
  'open-model-folder',
  'open-model-zip',
  'export-txt',
  'export-srt',
  'export-vtt',
  'export-json',
  'copy-transcript',
  'find',
  'show-models',
  'show-history',
  'show-settings',
] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];

export function isMenuCommand(value: unknown): value is MenuCommand {
  return typeof value === 'string' && (MENU_COMMANDS as readonly string[]).includes(value);
}
