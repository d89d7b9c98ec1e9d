/**
 * The user's persisted settings: their type, defaults, and the one sanitiser that every reader
 * (main's settings store, the browser host's localStorage copy) runs on untrusted stored JSON.
 *
 * Pure data: no Node, no DOM, no Electron, so main, preload types and renderer share it.
 */

export type ThemeSetting = 'system' | 'light' | 'dark';

/** Where the RNN runs: 'auto' lets the engine choose; the rest name a backend (models/rnn/backend.ts). */
export const BACKEND_SETTINGS = [
  'auto',
  'reference',
  'js',
  'wasm-simd',
  'cpu',
  'webasm',
  'webgl',
  'webgl2',
  'webgpu',
] as const;
export type BackendSetting = (typeof BACKEND_SETTINGS)[number];

/** 'default' = the bundled package; anything else is a saved model's ref (see model-registry.ts). */
export const DEFAULT_MODEL = 'default';

export interface Settings {
  /** MediaDeviceInfo.deviceId of the chosen microphone; null = the system default. */
  deviceId: string | null;
  /** 'default' = the bundled acoustic model; otherwise the ref of a model the user loaded. */
  acousticModel: string;
  /** 'default' = the bundled LM; otherwise the ref of a language model the user loaded. */
  languageModel: string;
  useLm: boolean;
  /**
   * Punctuation, capitals and spelled guesses (the bundled readable-text models); false: the recogniser's raw
   * lower-case words.
   */
  readableText: boolean;
  /** Shallow-fusion weights; null = the LM package's own tuned values. */
  lmAlpha: number | null;
  lmBeta: number | null;
  hotwords: string[];
  /** Extra pronunciations, CMUdict lines `word PH PH ...` (RecognizerConfig.userLexicon). */
  userLexicon: string;
  /** Trailing silence after which a segment becomes final. */
  endpointSilenceMs: number;
  theme: ThemeSetting;
  backend: BackendSetting;
}

export const SETTINGS_LIMITS = {
  endpointSilenceMs: { min: 200, max: 5000 },
  lmWeight: { min: -20, max: 20 },
  hotwords: { maxCount: 200, maxLength: 64 },
  userLexiconMaxLength: 256 * 1024,
  stringMaxLength: 512,
} as const;

export function defaultSettings(): Settings {
  return {
    deviceId: null,
    acousticModel: DEFAULT_MODEL,
    languageModel: DEFAULT_MODEL,
    useLm: true,
    readableText: true,
    lmAlpha: null,
    lmBeta: null,
    hotwords: [],
    userLexicon: '',
    endpointSilenceMs: 800,
    theme: 'system',
    backend: 'auto',
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

  if (raw.deviceId === null || isShortString(raw.deviceId)) out.deviceId = raw.deviceId;
  if (isModelRef(raw.acousticModel)) out.acousticModel = raw.acousticModel;
  if (isModelRef(raw.languageModel)) out.languageModel = raw.languageModel;
  if (typeof raw.useLm === 'boolean') out.useLm = raw.useLm;
  if (typeof raw.readableText === 'boolean') out.readableText = raw.readableText;
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
  if (typeof raw.userLexicon === 'string' && raw.userLexicon.length <= SETTINGS_LIMITS.userLexiconMaxLength)
    out.userLexicon = raw.userLexicon;
  if ((BACKEND_SETTINGS as readonly unknown[]).includes(raw.backend)) out.backend = raw.backend as BackendSetting;
  const silence = raw.endpointSilenceMs;
  const { min, max } = SETTINGS_LIMITS.endpointSilenceMs;
  if (typeof silence === 'number' && Number.isFinite(silence))
    out.endpointSilenceMs = Math.round(Math.min(max, Math.max(min, silence)));
  if (raw.theme === 'system' || raw.theme === 'light' || raw.theme === 'dark') out.theme = raw.theme;
  return out;
}

/** Applies a partial update and re-sanitises, so a patch can never produce invalid settings. */
export function mergeSettings(current: Settings, patch: unknown): Settings {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return current;
  return sanitizeSettings({ ...current, ...(patch as Record<string, unknown>) });
}

/** 'default' or a saved model's ref: short, and safe to use as a key or file name. */
export function isModelRef(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(value);
}

function isShortString(value: unknown): value is string {
  return typeof value === 'string' && value.length <= SETTINGS_LIMITS.stringMaxLength;
}

function finiteInRangeOrNull(
  value: unknown,
  range: { min: number; max: number },
  fallback: number | null,
): number | null {
  if (value === null) return null;
  if (typeof value === 'number' && Number.isFinite(value) && value >= range.min && value <= range.max) return value;
  return fallback;
}
