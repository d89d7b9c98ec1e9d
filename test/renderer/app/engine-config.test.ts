import { describe, expect, it } from 'vitest';
import { engineConfigFromSettings, engineSettingsDiffer } from '../../../renderer/app/engine-config';
import { defaultSettings } from '../../../renderer/shared/settings-schema';

describe('engine configuration from settings', () => {
  it('passes LM switch and weights, hotwords, lexicon, endpoint silence and backend to the engine', () => {
    const config = engineConfigFromSettings({
      ...defaultSettings(),
      useLm: false,
      lmAlpha: 0.7,
      lmBeta: 2,
      hotwords: ['gpu.js:5'],
      userLexicon: 'earshot IH R SH AA T\n',
      endpointSilenceMs: 1200,
      backend: 'webgl2',
    });
    expect(config).toEqual({
      recognizer: {
        backend: 'webgl2',
        useLm: false,
        readable: true,
        hotwords: ['gpu.js:5'],
        userLexicon: 'earshot IH R SH AA T\n',
        endpoint: { trailingSilenceMs: 1200 },
      },
      lmAlpha: 0.7,
      lmBeta: 2,
    });
    expect(
      engineConfigFromSettings({ ...defaultSettings(), userLexicon: '  \n' }).recognizer.userLexicon,
    ).toBeUndefined();
  });

  it('only recognition settings ask for a rebuild', () => {
    const base = defaultSettings();
    expect(engineSettingsDiffer(base, { ...base, theme: 'dark', deviceId: 'mic' })).toBe(false);
    expect(engineSettingsDiffer(base, { ...base, hotwords: ['x'] })).toBe(true);
    expect(engineSettingsDiffer(base, { ...base, endpointSilenceMs: 1000 })).toBe(true);
    expect(engineSettingsDiffer(base, { ...base, readableText: false })).toBe(true);
  });
});
