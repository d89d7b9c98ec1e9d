/**
 * End to end in Chromium: the built renderer (browser host), a spoken WAV as the microphone, the
 * real engine in its worker. Checks that audio reaches the engine, that transcript events reach
 * the page, that the CSP holds, and that a denied microphone gives a clear message while the app
 * keeps working. Saves screenshots of the main states to test/e2e/screenshots/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { buildRenderer, chromiumAvailable, e2eModelsDir, launchChromium, makeSpeechWav, serveStatic } from './app-harness';

const screenshots = join(dirname(fileURLToPath(import.meta.url)), 'screenshots');
const SENTENCE = 'the cat sat on the mat and the dog ate a bat';

let work: string;
let server: Server;
let brokenServer: Server;
let brokenUrl: string;
let appUrl: string;
let wav: string;
const contexts: BrowserContext[] = [];

/** Collects CSP violations and uncaught errors: any of them fails the test that opened the page. */
async function openApp(context: BrowserContext, url = appUrl): Promise<{ page: Page; problems: string[] }> {
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) problems.push(`console: ${message.text()}`);
  });
  await page.goto(url);
  return { page, problems };
}

const appData = (page: Page, key: string) => page.locator('#app').getAttribute(`data-${key}`);
const appNumber = async (page: Page, key: string) => Number(await appData(page, key));

/** Polls `condition` (Node side, so this file needs no DOM types) until it holds or `timeoutMs` passes. */
async function waitUntil(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!chromiumAvailable())('Earshot in Chromium', () => {
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'earshot-e2e-'));
    await mkdir(screenshots, { recursive: true });
    const models = await e2eModelsDir(work);
    await buildRenderer(join(work, 'renderer'), models.dir);
    ({ server, url: appUrl } = await serveStatic(join(work, 'renderer')));
    // the same build, but its bundled acoustic model.json is truncated
    ({ server: brokenServer, url: brokenUrl } = await serveStatic(join(work, 'renderer'), { '/models/default/acoustic/model.json': '{"format": "earshot-model", "vers' }));
    wav = makeSpeechWav(work, SENTENCE);
  }, 180_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    server?.close();
    brokenServer?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('transcribes the fake microphone: audio reaches the engine worker and transcript events reach the page', async () => {
    const { context } = await launchChromium({ fakeMicrophoneWav: wav });
    contexts.push(context);
    const { page, problems } = await openApp(context);

    await page.locator('#app[data-engine="ready"]').waitFor({ timeout: 60_000 });
    expect(await page.locator('#record').isEnabled()).toBe(true);
    expect(await page.locator('#engine-status').textContent()).toMatch(/^Model: /);
    await page.screenshot({ path: join(screenshots, '01-ready.png') });

    await page.locator('#record').click();
    await page.locator('#app[data-state="recording"]').waitFor({ timeout: 20_000 });
    // one second of 16 kHz audio inside the engine, decoded at least once, and updates posted back
    await waitUntil(
      async () => (await appNumber(page, 'samples')) >= 16_000 && (await appNumber(page, 'decode-passes')) > 0 && (await appNumber(page, 'updates')) > 0,
      30_000,
      'one second of audio decoded by the engine worker',
    );
    expect(await appNumber(page, 'feature-frames')).toBeGreaterThan(50);
    expect(await page.locator('#level').getAttribute('aria-valuenow')).not.toBeNull();
    await page.screenshot({ path: join(screenshots, '02-recording.png') });

    // let the whole sentence and its trailing silence play, then stop with the keyboard shortcut
    await waitUntil(async () => (await appNumber(page, 'samples')) >= 16_000 * 4, 30_000, 'four seconds of audio');
    expect(await page.locator('#elapsed').textContent()).toMatch(/^00:0[3-9]|^00:[1-5]\d/);
    await page.keyboard.press('Control+R');
    await page.locator('#app[data-state="idle"]').waitFor({ timeout: 20_000 });
    expect(page.url()).toBe(appUrl); // Ctrl+R toggled recording instead of reloading

    const finals = await page.locator('#finals .segment').count();
    expect(finals).toBe(await appNumber(page, 'finals'));
    // a random-weight test model emits arbitrary words; what matters here is that its events render
    expect(finals).toBeGreaterThan(0);
    expect((await page.locator('#finals .segment .segment-text').first().textContent())?.trim()).not.toBe('');
    expect(await page.locator('#finals .segment-time').first().textContent()).toMatch(/^\d\d:\d\d$/);
    expect(await page.locator('#partial').isHidden()).toBe(true);
    expect(await page.locator('[data-banner]').count()).toBe(0);
    await page.screenshot({ path: join(screenshots, '03-transcript.png') });

    expect(problems).toEqual([]);
  }, 150_000);

  it('explains a denied microphone, keeps running, and can be retried', async () => {
    const { context } = await launchChromium({ colorScheme: 'dark' });
    contexts.push(context);
    const { page, problems } = await openApp(context);
    await page.locator('#app[data-engine="ready"]').waitFor({ timeout: 60_000 });

    await page.keyboard.press('Space');
    const banner = page.locator('[data-banner="capture"]');
    await banner.waitFor({ timeout: 20_000 });
    expect(await banner.getAttribute('role')).toBe('alert');
    expect(await banner.textContent()).toMatch(/Microphone access was denied/);
    expect(await banner.textContent()).toMatch(/allow the microphone/i);
    expect(await appData(page, 'capture-error')).toBe('permission-denied');
    expect(await appData(page, 'state')).toBe('idle');
    expect(await page.locator('#record').isEnabled()).toBe(true);
    await page.screenshot({ path: join(screenshots, '04-microphone-denied-dark.png') });

    // the app is still alive: retrying gives the same clear answer rather than a dead UI
    await page.locator('.banner-action').click();
    await banner.waitFor({ timeout: 20_000 });
    expect(await appData(page, 'state')).toBe('idle');
    expect(problems.filter((p) => !/Permission denied|NotAllowedError/i.test(p))).toEqual([]);
  }, 120_000);

  it('reports a broken bundled model clearly and stays usable', async () => {
    const { context } = await launchChromium({ fakeMicrophoneWav: wav });
    contexts.push(context);
    const { page, problems } = await openApp(context, brokenUrl);
    await page.locator('#app[data-engine="failed"]').waitFor({ timeout: 60_000 });
    const banner = page.locator('[data-banner="model"]');
    expect(await banner.getAttribute('role')).toBe('alert');
    expect(await banner.textContent()).toMatch(/could not be loaded/);
    expect(await banner.textContent()).toMatch(/model\.json/); // the package error names the file
    expect(await page.locator('#record').isDisabled()).toBe(true);
    expect(await page.locator('#engine-status').textContent()).toMatch(/failed/i);
    await page.screenshot({ path: join(screenshots, '05-model-error.png') });
    // Space does nothing harmful without a model, and the page keeps answering
    await page.keyboard.press('Space');
    expect(await appData(page, 'state')).toBe('idle');
    expect(problems).toEqual([]);
  }, 120_000);
});
