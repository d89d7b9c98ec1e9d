/**
 * The preload bridge. Runs sandboxed (no Node), exposes exactly `window.earshot` (EarshotApi) and
 * never ipcRenderer itself: the renderer can call these functions and nothing else in main.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EventChannel, InvokeChannel, isMenuCommand } from '../../renderer/shared/ipc-channels';
import type { EarshotApi } from '../../renderer/shared/earshot-api';

const api: EarshotApi = {
  settings: {
    get: () => ipcRenderer.invoke(InvokeChannel.settingsGet),
    update: (patch) => ipcRenderer.invoke(InvokeChannel.settingsUpdate, patch),
  },
  models: {
    open: (kind) => ipcRenderer.invoke(InvokeChannel.modelOpen, kind),
    openSaved: (ref) => ipcRenderer.invoke(InvokeChannel.modelOpenSaved, ref),
  },
  files: {
    saveAs: (request) => ipcRenderer.invoke(InvokeChannel.fileSave, request),
    openAudio: () => ipcRenderer.invoke(InvokeChannel.fileOpenAudio),
  },
  sessions: {
    write: (record) => ipcRenderer.invoke(InvokeChannel.sessionWrite, record),
    list: () => ipcRenderer.invoke(InvokeChannel.sessionList),
    read: (id) => ipcRenderer.invoke(InvokeChannel.sessionRead, id),
    remove: (id) => ipcRenderer.invoke(InvokeChannel.sessionRemove, id),
  },
  onMenuCommand(listener) {
    // the wrapper hides the IpcRendererEvent (it carries `sender`, i.e. ipcRenderer) from the page
    const wrapped = (_event: IpcRendererEvent, command: unknown): void => {
      if (isMenuCommand(command)) listener(command);
    };
    ipcRenderer.on(EventChannel.menuCommand, wrapped);
    return () => {
      ipcRenderer.removeListener(EventChannel.menuCommand, wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('earshot', api);
