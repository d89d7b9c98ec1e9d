/**
 * The browser-only gpu.js backends (webgl2, webgl, webgpu) and the WebAssembly SIMD backend
 * ('wasm-simd', Chromium's V8) agree with the reference to 1e-4 (max |Δ| over log-probs and states)
 * inside Debian Chromium (SwiftShader: software GL and WebGPU), for every cell type, multi-layer,
 * chunked forward and stepBatch with B = 5. The page bundle is
 * gpu-browser-entry.ts; see gpu-browser-harness.ts for how it is built, served and opened.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackendName } from '../../models/rnn/backend';
import type { ParityRow } from './gpu-browser-entry';
import { chromiumAvailable, CHROMIUM_PATH, openRnnPage, type BrowserSession } from './gpu-browser-harness';

const TOL = 1e-4;
const BROWSER_BACKENDS: BackendName[] = ['webgl2', 'webgl', 'webgpu', 'wasm-simd'];
const CASES = ['vanilla-tanh', 'vanilla-relu', 'gru', 'lstm', 'mixed'];
const haveChromium = chromiumAvailable();
if (!haveChromium) console.warn(`gpu-parity: skipped, ${CHROMIUM_PATH} is missing`);

describe.skipIf(!haveChromium)(
  `gpu.js browser backends match the reference in Chromium (skipped only when ${CHROMIUM_PATH} is missing)`,
  () => {
    let session: BrowserSession;
    let available: BackendName[] = [];
    const rows: ParityRow[] = [];

    beforeAll(async () => {
      session = await openRnnPage();
      available = await session.page.evaluate(() =>
        (
          globalThis as unknown as { __earshotRnn: { availableBackends(): Promise<BackendName[]> } }
        ).__earshotRnn.availableBackends(),
      );
    }, 120_000);

    afterAll(async () => {
      if (rows.length) {
        console.log(
          'max |Δ| vs reference in Chromium:\n' +
            rows
              .map(
                (r) =>
                  `  ${r.backend.padEnd(7)} ${r.case.padEnd(13)} forward logp ${r.forwardLogProbs.toExponential(2)} state ${r.forwardState.toExponential(2)}` +
                  ` | stepBatch logp ${r.batchLogProbs.toExponential(2)} state ${r.batchState.toExponential(2)}  ran on ${r.executed.join(',')}`,
              )
              .join('\n'),
        );
      }
      await session?.close();
    });

    it('Chromium offers webgl2, webgl, webgpu and wasm-simd', () => {
      expect(available).toEqual(expect.arrayContaining(BROWSER_BACKENDS));
    });

    describe.each(BROWSER_BACKENDS)('%s', (backend) => {
      it.each(CASES)(
        `%s: chunked forward and stepBatch within ${TOL} of the reference, on ${backend} itself`,
        async (name) => {
          const row = await session.page.evaluate(
            ([b, c]) =>
              (
                globalThis as unknown as {
                  __earshotRnn: { compareWithReference(b: string, c: string): Promise<ParityRow> };
                }
              ).__earshotRnn.compareWithReference(b, c),
            [backend, name] as const,
          );
          rows.push(row);
          expect(row.error, row.error).toBeUndefined();
          expect(row.forwardLogProbs).toBeLessThan(TOL);
          expect(row.forwardState).toBeLessThan(TOL);
          expect(row.batchLogProbs).toBeLessThan(TOL);
          expect(row.batchState).toBeLessThan(TOL);
          expect(row.executed).toEqual([backend]);
        },
        60_000,
      );
    });
  },
);
