/**
 * Harness for the app's end-to-end tests: builds the renderer with the app's own vite config
 * (rendererViteConfig from electron.vite.config.ts), serves it from a localhost server that sends
 * the same headers main's app:// handler sends (per-file CSP), makes a spoken fake-microphone WAV,
 * and launches Debian Chromium on a fresh profile.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { zipSync } from 'fflate';
import { rendererViteConfig } from '../../electron.vite.config';
import { serveRenderer } from '../../scripts/serve-renderer';
import { testPackageFiles, makePhonemeCtcModel, makeWordLm } from '../fixtures/make-test-models';
import { writeModelPackageToDisk } from '../../models/package/node-write';
import { CHROMIUM_PATH, HEADLESS_CHROMIUM_ARGS } from './chromium';

export { CHROMIUM_PATH, chromiumAvailable } from './chromium';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The models the e2e build bundles: the real default models when they exist, otherwise small
 * random-weight test packages (test data, written to a temp folder) in the same layout.
 */
export async function e2eModelsDir(work: string): Promise<{ dir: string; real: boolean }> {
  const real = resolve(repoRoot, 'models/default');
  if (existsSync(join(real, 'acoustic', 'model.json'))) return { dir: real, real: true };
  const dir = join(work, 'models');
  await writeModelPackageToDisk(testPackageFiles(makePhonemeCtcModel({ seed: 13 })), join(dir, 'acoustic'));
  await writeModelPackageToDisk(testPackageFiles(makeWordLm({ seed: 14 })), join(dir, 'lm'));
  return { dir, real: false };
}

/** Builds the renderer exactly as `npm run build` does, into `outDir`. */
export async function buildRenderer(outDir: string, modelsDir: string): Promise<void> {
  await build({ ...rendererViteConfig({ outDir, modelsDir }), configFile: false, logLevel: 'warn' });
}

/**
 * Serves `root` on 127.0.0.1 (a secure context, as getUserMedia needs) with the app's headers,
 * as `npm run web` does (scripts/serve-renderer.ts). `overrides` replaces the bodies of some
 * paths (e.g. a corrupt model.json).
 */
export async function serveStatic(
  root: string,
  overrides: Record<string, string> = {},
): Promise<{ server: Server; url: string }> {
  return serveRenderer(root, { overrides });
}

/**
 * Speech WAV for Chromium's fake microphone: espeak-ng, then 16 kHz mono 16-bit with trailing silence for the
 * endpointer.
 */
export function makeSpeechWav(dir: string, sentence: string, name = 'speech'): string {
  const raw = join(dir, `${name}-raw.wav`);
  const wav = join(dir, `${name}.wav`);
  execFileSync('espeak-ng', ['-w', raw, sentence]);
  execFileSync('sox', [raw, '-r', '16000', '-c', '1', '-b', '16', wav, 'pad', '0.3', '1.5']);
  return wav;
}

/** Converts with sox (format from the extension): e.g. stereo 44.1 kHz OGG Vorbis for decodeAudioData. */
export function convertAudio(input: string, output: string, rate: number, channels: number): string {
  execFileSync('sox', [input, '-r', String(rate), '-c', String(channels), output]);
  return output;
}

/** A long WAV (speech, then the rest silence): enough work for a file import to be cancelled mid-way. */
export function makeLongWav(speech: string, output: string, seconds: number): string {
  execFileSync('sox', [speech, output, 'pad', '0', String(seconds)]);
  return output;
}

/** Zips package files (as the model manager accepts them) into `path`. */
export async function writeZip(
  path: string,
  files: Map<string, Uint8Array> | Record<string, Uint8Array>,
): Promise<string> {
  const entries = files instanceof Map ? Object.fromEntries(files) : files;
  await writeFile(path, zipSync(entries));
  return path;
}

/** Kills the page's renderer process (no unload handlers run), as a crash or a kill would. */
export async function crashPage(context: BrowserContext, page: Page): Promise<void> {
  const cdp = await context.newCDPSession(page);
  const crashed = new Promise<void>((resolve) => page.once('crash', () => resolve()));
  // the command never answers: its session dies with the page
  void cdp.send('Page.crash').catch(() => undefined);
  await Promise.race([crashed, new Promise((resolve) => setTimeout(resolve, 10_000))]);
}

export interface LaunchOptions {
  /** WAV played as the microphone; omit for the permission-denied scenario. */
  fakeMicrophoneWav?: string;
  colorScheme?: 'light' | 'dark';
  /** Reuse a profile (the same user-data-dir), e.g. to relaunch after a crash. */
  profile?: string;
}

export async function launchChromium(options: LaunchOptions): Promise<{ context: BrowserContext; profile: string }> {
  const profile = options.profile ?? (await mkdtemp(join(tmpdir(), 'earshot-e2e-profile-')));
  await mkdir(profile, { recursive: true });
  const args = [...HEADLESS_CHROMIUM_ARGS, '--autoplay-policy=no-user-gesture-required'];
  if (options.fakeMicrophoneWav) {
    args.push(
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-audio-capture=${options.fakeMicrophoneWav}%noloop`,
    );
  } else {
    // a fake device exists, but the permission prompt is answered "Block"
    args.push('--use-fake-device-for-media-stream', '--deny-permission-prompts');
  }
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args,
    viewport: { width: 1100, height: 720 },
    colorScheme: options.colorScheme ?? 'light',
    acceptDownloads: true,
  });
  return { context, profile };
}

/**
 * The app as an e2e file runs it: a work folder, the renderer built with the e2e models (e2eModelsDir) and served
 * twice, as built (`appUrl`) and with its bundled acoustic model.json truncated (`brokenUrl`), and `sentence`
 * spoken into a WAV for the fake microphone. `launch` starts Chromium and keeps its context for `close`, which
 * closes them all, stops both servers and removes the work folder.
 */
export interface E2eApp {
  work: string;
  appUrl: string;
  brokenUrl: string;
  /** The real default models (the sentence must come back), not random test ones. */
  realModels: boolean;
  speechWav: string;
  launch(options: LaunchOptions): Promise<{ context: BrowserContext; profile: string }>;
  close(): Promise<void>;
}

export async function startE2eApp(workPrefix: string, sentence: string): Promise<E2eApp> {
  const work = await mkdtemp(join(tmpdir(), workPrefix));
  const contexts: BrowserContext[] = [];
  const servers: Server[] = [];
  const close = async (): Promise<void> => {
    for (const context of contexts) await context.close().catch(() => undefined);
    for (const server of servers) server.close();
    await rm(work, { recursive: true, force: true });
  };
  try {
    const models = await e2eModelsDir(work);
    await buildRenderer(join(work, 'renderer'), models.dir);
    const app = await serveStatic(join(work, 'renderer'));
    servers.push(app.server);
    const broken = await serveStatic(join(work, 'renderer'), {
      '/models/default/acoustic/model.json': '{"format": "earshot-model", "vers',
    });
    servers.push(broken.server);
    return {
      work,
      appUrl: app.url,
      brokenUrl: broken.url,
      realModels: models.real,
      speechWav: makeSpeechWav(work, sentence),
      launch: async (options) => {
        const launched = await launchChromium(options);
        contexts.push(launched.context);
        return launched;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Opens `url` in the context's page; `problems` collects CSP violations and uncaught errors (a test wants none). */
export async function openApp(context: BrowserContext, url: string): Promise<{ page: Page; problems: string[] }> {
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content Security Policy/i.test(message.text()))
      problems.push(`console: ${message.text()}`);
  });
  await page.goto(url);
  return { page, problems };
}

/** Polls `condition` (Node side, so the tests need no DOM types) until it holds, or throws after `timeoutMs`. */
export async function waitUntil(
  condition: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
  everyMs = 100,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Answers the file chooser that `click` opens with `path`. */
export async function chooseFile(page: Page, click: () => Promise<void>, path: string): Promise<void> {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), click()]);
  await chooser.setFiles(path);
}
