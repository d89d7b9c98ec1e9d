/**
 * What a new user meets (issue 14), end to end in Chromium with the built renderer: the compact
 * idle screen, the partial shown once, the import status line, a silent import, the clock of a
 * file imported after an empty run, the word popover's probabilities, toasts that stay off the
 * transcript, settings that apply while typing with a visible confirmation, renaming a session,
 * and the hint with a broken bundled model. Screenshots (light and dark) go to
 * test-results/first-use/ (git-ignored), for looking at, not for committing.
 *
 * Each item's check is an expect.soft, so one run on code without a fix reports every item that
 * fails, not only the first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { chooseFile, chromiumAvailable, openApp, startE2eApp, waitUntil, type E2eApp } from './app-harness';

const shots = resolve(dirname(fileURLToPath(import.meta.url)), '../../test-results/first-use');
const SENTENCE = 'the cat sat on the mat and the dog ate a bat';

let app: E2eApp;
let work: string;
let appUrl: string;
let brokenUrl: string;
let speech: string;
let realModels = false;

/** Like waitUntil, but answers whether the condition came true instead of throwing (for soft checks). */
async function cameTrue(condition: () => Promise<boolean>, timeoutMs: number, everyMs = 100): Promise<boolean> {
  try {
    await waitUntil(condition, timeoutMs, '', everyMs);
    return true;
  } catch {
    return false;
  }
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(shots, name) });
const text = async (page: Page, selector: string) => ((await page.locator(selector).textContent()) ?? '').trim();

/** Whether two boxes overlap (null boxes: an element not rendered overlaps nothing). */
function overlaps(a: { x: number; y: number; width: number; height: number } | null, b: typeof a): boolean {
  if (!a || !b) return false;
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

describe.skipIf(!chromiumAvailable())('What a new user meets', () => {
  beforeAll(async () => {
    await mkdir(shots, { recursive: true });
    app = await startE2eApp('earshot-first-use-', SENTENCE);
    ({ work, appUrl, brokenUrl, realModels, speechWav: speech } = app);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
  });

  describe('one session', () => {
    let context: BrowserContext;
    let page: Page;
    let problems: string[];

    beforeAll(async () => {
      ({ context } = await app.launch({ fakeMicrophoneWav: speech }));
      ({ page, problems } = await openApp(context, appUrl));
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(appUrl).origin });
    });

    it('ready: a compact idle screen (no empty spectrogram); while recording the partial shows once, in the transcript', async () => {
      await page.locator('#app[data-engine="ready"]').waitFor({ timeout: 120_000 });
      expect.soft(await page.locator('#spectrogram').isHidden(), 'no spectrogram at rest').toBe(true);
      expect.soft(await page.locator('#live-caption').isHidden(), 'no status line at rest').toBe(true);
      // the transcript pane starts right under the toolbar
      const pane = await page.locator('#transcript-pane').boundingBox();
      expect.soft(pane!.y, 'transcript right under the toolbar').toBeLessThan(100);
      expect(await text(page, '#empty-hint')).toMatch(/Press Space/);
      await shot(page, 'ready-light.png');

      await page.locator('#record').click();
      await page.locator('#app[data-state="recording"]').waitFor({ timeout: 20_000 });
      expect(await page.locator('#spectrogram').isVisible()).toBe(true);
      // a partial in the transcript, and the line under the spectrogram does not repeat it
      let caption = '';
      await waitUntil(
        async () => {
          if (!(await page.locator('#partial').isVisible())) return false;
          if ((await text(page, '#partial .segment-text')) === '') return false;
          caption = await text(page, '#live-caption');
          return true;
        },
        30_000,
        'a partial in the transcript',
        50,
      );
      expect.soft(caption, 'the status line while a partial shows').toBe('Listening…');
      await shot(page, 'recording-light.png');
      await waitUntil(
        async () => Number(await page.locator('#app').getAttribute('data-samples')) >= 16_000 * 4,
        30_000,
        'four seconds of audio',
      );
      await page.locator('#record').click();
      await page.locator('#app[data-state="idle"]').waitFor({ timeout: 20_000 });
      expect.soft(await page.locator('#spectrogram').isHidden(), 'no spectrogram after stopping').toBe(true);
      expect(Number(await page.locator('#app').getAttribute('data-finals'))).toBeGreaterThan(0);
      expect(problems).toEqual([]);
    }, 200_000);

    it('word popover: probabilities, not log scores, and no implausible spellings', async () => {
      const words = page.locator('#finals .word');
      const n = Math.min(await words.count(), 12);
      expect(n).toBeGreaterThan(0);
      const popover = page.locator('#word-popover');
      let offered = 0;
      for (let i = 0; i < n; i++) {
        await words.nth(i).click();
        await popover.waitFor({ state: 'visible' });
        const content = (await popover.textContent()) ?? '';
        expect.soft(content, 'no log score in the popover').not.toMatch(/-\d+\.\d\d/);
        const scores = await popover.locator('.alternative-score').allTextContents();
        for (const score of scores) {
          expect.soft(score, 'an alternative shows a percentage').toMatch(/^\d+ %$/);
          expect.soft(Number(score.split(' ')[0]), 'an offered alternative is at least 1 %').toBeGreaterThanOrEqual(1);
        }
        const names = await popover.locator('.alternative > span:first-child').allTextContents();
        for (const junk of ['catt', 'katt', 'inn'])
          expect.soft(names, 'implausible spellings left out').not.toContain(junk);
        if (i === 1) await shot(page, 'word-popover-light.png');
        if (scores.length > 0 && offered === 0) await shot(page, 'word-popover-alternatives-light.png');
        offered += scores.length;
        await page.keyboard.press('Escape');
        await popover.waitFor({ state: 'hidden' });
      }
      console.info(
        `word popover: ${offered} plausible alternative(s) offered over ${n} words (real models: ${realModels})`,
      );
      expect(problems).toEqual([]);
    }, 60_000);

    it('import: status line with file name and percent; silence says no speech was found; the next file starts at 00:00', async () => {
      await page.locator('#new-session').click();
      expect(await page.locator('#finals .segment').count()).toBe(0);

      // a long silent file: the status line names it with a percentage, never "Listening…"
      const silence = join(work, 'silence.wav');
      execFileSync('sox', ['-n', '-r', '16000', '-c', '1', '-b', '16', silence, 'trim', '0', '30']);
      const statuses = new Set<string>();
      await chooseFile(page, () => page.locator('#import-audio').click(), silence);
      await waitUntil(
        async () => {
          const status = await text(page, '#live-caption');
          if (status) statuses.add(status);
          return (
            (await page.locator('#app').getAttribute('data-import')) === 'idle' &&
            (await page.locator('[data-banner="import"]').count()) > 0
          );
        },
        120_000,
        'the silent import to finish',
        25,
      );
      const seen = [...statuses];
      expect
        .soft(
          seen.some((s) => /^Transcribing silence\.wav… \d+ %$/.test(s)),
          `status line during the import: ${seen.join(' | ')}`,
        )
        .toBe(true);
      expect.soft(seen, 'status line during the import').not.toContain('Listening…');
      const banner = page.locator('[data-banner="import"]');
      expect.soft(await banner.textContent(), 'the silent import says so').toMatch(/No speech found/);
      expect.soft(await banner.textContent(), 'the silent import says so').not.toMatch(/is transcribed/);
      expect(await page.locator('#finals .segment').count()).toBe(0);
      await shot(page, 'silent-import-light.png');

      // the next file reuses the empty session, but not its 30 s clock
      await chooseFile(page, () => page.locator('#import-audio').click(), speech);
      await waitUntil(
        async () => /Import finished/.test((await banner.textContent().catch(() => '')) ?? ''),
        120_000,
        'the speech import to finish',
      );
      expect(await page.locator('#finals .segment').count()).toBeGreaterThan(0);
      expect
        .soft(await text(page, '#finals .segment-time'), 'the first segment of a file imported after a silent one')
        .toBe('00:00');
      expect(await text(page, '#session-title')).toBe('speech.wav');
      expect(problems).toEqual([]);
    }, 300_000);

    it('toasts: one at a time, in the status bar, never over the transcript', async () => {
      // "Import finished" is showing; Copy adds a second confirmation
      await page.locator('#copy-transcript').click();
      await page.locator('[data-banner="copy"]').waitFor();
      expect.soft(await page.locator('.toast').count(), 'toasts showing at once').toBe(1);
      const toast = await page.locator('.toast').last().boundingBox();
      expect
        .soft(overlaps(toast, await page.locator('#transcript-pane').boundingBox()), 'a toast over the transcript')
        .toBe(false);
      expect
        .soft(overlaps(toast, await page.locator('.statusbar').boundingBox()), 'the toast in the status bar')
        .toBe(true);
      await shot(page, 'toast-light.png');
      expect(problems).toEqual([]);
    }, 30_000);

    it('settings apply while typing, with a confirmation in view', async () => {
      await page.locator('#open-settings').click();
      const dialog = page.locator('#settings-dialog');
      await dialog.waitFor({ state: 'visible' });
      await page.locator('#set-hotwords').fill('zebra');
      // no blur: the pause in typing applies it
      const applied = await cameTrue(async () => /^Applied/.test(await text(page, '#settings-status')), 20_000);
      expect.soft(applied, 'hotwords applied (and confirmed) without leaving the field').toBe(true);
      expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('set-hotwords');
      const status = await page.locator('#settings-status').boundingBox();
      const box = await dialog.boundingBox();
      expect.soft(status!.y, 'the confirmation inside the dialog').toBeGreaterThanOrEqual(box!.y);
      expect
        .soft(status!.y + status!.height, 'the confirmation in view')
        .toBeLessThanOrEqual(Math.min(box!.y + box!.height, 720));
      await shot(page, 'settings-light.png');
      await page.locator('#set-theme').selectOption('dark');
      await waitUntil(
        async () => (await page.locator('html').getAttribute('data-theme')) === 'dark',
        5000,
        'dark theme',
      );
      await shot(page, 'settings-dark.png');
      await page.locator('#set-hotwords').fill('');
      await page.locator('#set-theme').selectOption('light');
      await dialog.locator('[data-close]').click();
      expect(problems).toEqual([]);
    }, 60_000);

    it('history: a session can be renamed, and the name is stored', async () => {
      await page.locator('#open-history').click();
      const current = page.locator('.history-item', { hasText: 'open now' });
      await current.waitFor();
      await current.locator('.history-rename').click();
      const field = page.locator('.history-title-input');
      await field.fill('Cat and dog');
      await field.press('Enter');
      await waitUntil(
        async () => (await text(page, '#session-title')) === 'Cat and dog',
        5000,
        'the title above the transcript',
      );
      await shot(page, 'history-renamed-light.png');
      await page.locator('#history-dialog [data-close]').click();
      // listed again from storage
      await page.locator('#open-history').click();
      await waitUntil(
        async () => (await page.locator('.history-item strong', { hasText: 'Cat and dog' }).count()) === 1,
        5000,
        'the stored title',
      );
      // Escape cancels a rename without closing the dialog
      await page.locator('.history-item').first().locator('.history-rename').click();
      await page.locator('.history-title-input').fill('not this');
      await page.locator('.history-title-input').press('Escape');
      expect(await page.locator('#history-dialog').isVisible()).toBe(true);
      expect(await page.locator('.history-item strong', { hasText: 'not this' }).count()).toBe(0);
      await page.locator('#history-dialog [data-close]').click();
      expect(problems).toEqual([]);
    }, 60_000);
  });

  it('a broken bundled model: the hint says why nothing can start, not "Press Space"', async () => {
    const { context } = await app.launch({ fakeMicrophoneWav: speech, colorScheme: 'dark' });
    const { page, problems } = await openApp(context, brokenUrl);
    await page.locator('#app[data-engine="failed"]').waitFor({ timeout: 60_000 });
    expect(await page.locator('#record').isDisabled()).toBe(true);
    const hint = await text(page, '#empty-hint');
    expect.soft(hint, 'the hint without a model').not.toMatch(/Press|Space/);
    expect.soft(hint, 'the hint without a model').toMatch(/could not be loaded.*Models/s);
    await shot(page, 'broken-model-dark.png');
    expect(problems).toEqual([]);
  }, 120_000);
});
