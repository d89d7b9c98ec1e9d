/**
 * Host inside Electron: everything that touches the file system goes through the preload's
 * narrow `window.earshot` API (main validates it); bundled models are fetched from app://.
 */
import type { EarshotApi } from '../shared/earshot-api';
import { fetchBundledModels } from './bundled-models';
import type { Host } from './host';

export function createElectronHost(api: EarshotApi): Host {
  return {
    kind: 'electron',
    loadBundledModels: () => fetchBundledModels(document.baseURI),
    openModel: (kind) => api.models.open(kind),
    openSavedModel: (ref) => api.models.openSaved(ref),
    saveFile: (request) => api.files.saveAs(request),
    openAudioFile: () => api.files.openAudio(),
    settings: { load: () => api.settings.get(), update: (patch) => api.settings.update(patch) },
    sessions: api.sessions,
    onCommand: (listener) => api.onMenuCommand(listener),
    microphonePermissionHowTo:
      'Allow Earshot to use the microphone in your system’s privacy settings (macOS: System Settings → Privacy & Security → Microphone; Windows: Settings → Privacy → Microphone).',
  };
}
