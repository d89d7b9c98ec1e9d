/**
 * The user's persisted settings: their type, defaults, and the one sanitiser that every reader
 * (main's settings store, the browser host's localStorage copy) runs on untrusted stored JSON.
 *
 * Pure data: no Node, no DOM, no Electron, so main, preload types and renderer share it.
 */

export type ThemeSetting = 'system' | 'light' | 'dark';

export interface Settings {
  /** MediaDeviceInfo.deviceId of the chosen microphone; null = the system default. */
  deviceId: string | null;
  /** 'default' = the bundled model; otherwise a name the model manager knows. */
  acousticModel: string;
  useLm: boolean;
  /** Shallow-fusion weights; null = the LM package's own tuned values. */
  lmAlpha: number | null;
  lmBeta: number | null;
  hotwords: string[];
  /** Trailing silence after which a segment becomes final. */
  endpointSilenceMs: number;
  theme: ThemeSetting;
}

export const SETTINGS_LIMITS = {
  endpointSilenceMs: { min: 200, max: 5000 },
  lmWeight: { min: -20, max: 20 },
  hotwords: { maxCount: 200, maxLength: 64 },
  stringMaxLength: 512,
} as const;

export function defaultSettings(): Settings {
  return {
    deviceId: null,
    acousticModel: 'default',
    useLm: true,
    lmAlpha: null,
    lmBeta: null,
    hotwords: [],
    endpointSilenceMs: 800,
    theme: 'system',
  };
}

/**
 * Returns valid settings from anything: each field that is missing or malformed falls back to its
 * default, so one bad field (hand-edited file, older version) never discards the others.
 */
export function sanitizeSettings(input: unknown): Settings {
  const base = defaultSettings();
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return base;
  const raw = input as Record<string, unknown>;
  const out: Settings = { ...base };

  if (raw.deviceId === null || isShortString(raw.deviceId)) out.deviceId = raw.deviceId as string | null;
  if (isShortString(raw.acousticModel) && raw.acousticModel.length > 0) out.acousticModel = raw.acousticModel;
  if (typeof raw.useLm === 'boolean') out.useLm = raw.useLm;
  out.lmAlpha = finiteInRangeOrNull(raw.lmAlpha, SETTINGS_LIMITS.lmWeight, base.lmAlpha);
  out.lmBeta = finiteInRangeOrNull(raw.lmBeta, SETTINGS_LIMITS.lmWeight, base.lmBeta);
  if (Array.isArray(raw.hotwords)) {
    const { maxCount, maxLength } = SETTINGS_LIMITS.hotwords;
    out.hotwords = raw.hotwords
      .filter((w): w is string => typeof w === 'string')
      .map((w) => w.trim())
      .filter((w) => w.length > 0 && w.length <= maxLength)
      .slice(0, maxCount);
  }
  const silence = raw.endpointSilenceMs;
  const { min, max } = SETTINGS_LIMITS.endpointSilenceMs;
  if (typeof silence === 'number' && Number.isFinite(silence)) out.endpointSilenceMs = Math.round(Math.min(max, Math.max(min, silence)));
  if (raw.theme === 'system' || raw.theme === 'light' || raw.theme === 'dark') out.theme = raw.theme;
  return out;
}

/** Applies a partial update and re-sanitises, so a patch can never produce invalid settings. */
export function mergeSettings(current: Settings, patch: unknown): Settings {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return current;
  return sanitizeSettings({ ...current, ...(patch as Record<string, unknown>) });
}

function isShortString(value: unknown): value is string {
  return typeof value === 'string' && value.length <= SETTINGS_LIMITS.stringMaxLength;
}

function finiteInRangeOrNull(value: unknown, range: { min: number; max: number }, fallback: number | null): number | null {
  if (value === null) return null;
  if (typeof value === 'number' && Number.isFinite(value) && value >= range.min && value <= range.max) return value;
  return fallback;
}
