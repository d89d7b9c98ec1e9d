/** The engine configuration the user's settings ask for. Pure, for Node tests. */
import type { Settings } from '../host/host';
import type { EngineConfig } from '../worker/protocol';

export function engineConfigFromSettings(settings: Settings): EngineConfig {
  return {
    recognizer: {
      backend: settings.backend,
      useLm: settings.useLm,
      readable: settings.readableText,
      hotwords: settings.hotwords,
      userLexicon: settings.userLexicon.trim() === '' ? undefined : settings.userLexicon,
      endpoint: { trailingSilenceMs: settings.endpointSilenceMs },
    },
    lmAlpha: settings.lmAlpha,
    lmBeta: settings.lmBeta,
  };
}

/** Whether two settings need the recognizer rebuilt (device and theme do not). */
export function engineSettingsDiffer(a: Settings, b: Settings): boolean {
  return JSON.stringify(engineConfigFromSettings(a)) !== JSON.stringify(engineConfigFromSettings(b));
}
