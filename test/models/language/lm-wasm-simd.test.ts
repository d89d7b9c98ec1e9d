/**
 * The word LM on the 'wasm-simd' backend (lmBackendFor('auto') in Node) against the reference
 * backend: every log-probability of the next-word rows within 1e-4 (the repo's parity bound), for
 * the bundled LM (its 10,002 × 256 output layer stored as int8 rows: multiplied in int8, models/rnn/wasm-int8.ts)
 * and a small float32 test LM, one row at a time and in large batches (sentence scores).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLanguageModel, type LanguageModel } from '../../../models/language/language-model';
import { LmContextTree } from '../../../models/language/lm-context-tree';
import { createLmScorer, lmBackendFor } from '../../../models/language/lm-scorer';
import { loadModelPackage, parseModelPackage, type LoadedPackage } from '../../../models/package/load-package';
import { nodeSource } from '../../../models/package/node-source';
import { WasmSimdRnnStack } from '../../../models/rnn/wasm-simd-stack';
import { makeWordLm, testPackageFiles } from '../../fixtures/make-test-models';

const BUNDLED_LM = resolve(__dirname, '../../../models/default/lm');
const TOL = 1e-4;

const open: Array<{ dispose(): void }> = [];
afterEach(() => {
  while (open.length) open.pop()!.dispose();
});

async function lmOn(pkg: LoadedPackage, backend: 'reference' | 'wasm-simd'): Promise<LanguageModel> {
  const lm = await createLanguageModel(pkg, { backend });
  open.push(lm);
  return lm;
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

async function compare(
  pkg: LoadedPackage,
  histories: string[][],
  sentences: string[][],
): Promise<{ rows: number; sentences: number }> {
  const ref = await lmOn(pkg, 'reference');
  const ws = await lmOn(pkg, 'wasm-simd');
  let rows = 0;
  for (const h of histories) {
    rows = Math.max(rows, maxDiff(await ws.logProbs(h), await ref.logProbs(h)));
  }
  // 45 sentences in batches of 40 rows: stepBatch with 40 and 5 rows
  const [a, b] = await Promise.all([ws.sentenceLogProbs(sentences, 40), ref.sentenceLogProbs(sentences, 40)]);
  let sent = 0;
  a.forEach((s, i) => {
    sent = Math.max(sent, Math.abs(s.logProb - b[i].logProb));
  });
  return { rows, sentences: sent };
}

describe("the LM on 'wasm-simd'", () => {
  it("is the LM's backend under 'auto' in Node", () => {
    expect(lmBackendFor('auto')).toBe('wasm-simd');
    expect(lmBackendFor('js')).toBe('js');
    expect(lmBackendFor('reference')).toBe('reference');
  });

  it.skipIf(!existsSync(join(BUNDLED_LM, 'model.json')))(
    `bundled LM (output layer as int8 rows): every log-prob within ${TOL} of the reference`,
    async () => {
      const pkg = await loadModelPackage(await nodeSource(BUNDLED_LM));
      const tree = await LmContextTree.create(pkg, { backend: 'wasm-simd' });
      open.push(tree);
      expect(tree.stack).toBeInstanceOf(WasmSimdRnnStack);
      expect((tree.stack as WasmSimdRnnStack).outputInInt8).toBe(true);
      const histories = [
        [],
        ['the'],
        ['i', "don't", 'know', 'where'],
        ['it', 'is', 'too', 'late', 'to'],
        ['the', 'xylophonist', 'sings'],
      ];
      const words = 'the cat sat on a mat and dog ate bat it was too late to write where they are going'.split(' ');
      const sentences = Array.from({ length: 45 }, (_, i) =>
        Array.from({ length: 2 + (i % 7) }, (_, k) => words[(i * 7 + k * 3) % words.length]),
      );
      const d = await compare(pkg, histories, sentences);
      expect(d.rows).toBeLessThanOrEqual(TOL);
      expect(d.sentences).toBeLessThanOrEqual(10 * TOL); // a sum of up to 9 log-probs
      expect(d.rows).toBeGreaterThan(0); // float32 sums: close, not the same bits
    },
  );

  it(`a float32 test LM (two GRU layers): every log-prob within ${TOL} of the reference, and the scorer's scores too`, async () => {
    const pkg = parseModelPackage(testPackageFiles(makeWordLm({ seed: 5, hiddenSizes: [10, 7] })));
    const words = ['the', 'a', 'cat', 'dog', 'bat', 'to', 'two', 'too'];
    const sentences = Array.from({ length: 45 }, (_, i) =>
      Array.from({ length: 1 + (i % 5) }, (_, k) => words[(i + 3 * k) % words.length]),
    );
    const d = await compare(pkg, [[], ['the'], ['a', 'dog', 'to'], ['two', 'two', 'too', 'bat']], sentences);
    expect(d.rows).toBeLessThanOrEqual(TOL);
    expect(d.sentences).toBeLessThanOrEqual(10 * TOL);

    const ref = await createLmScorer(pkg, { backend: 'reference' });
    const ws = await createLmScorer(pkg, { backend: lmBackendFor('auto') });
    open.push(ref, ws);
    const requests = (s: typeof ref) => words.map((word) => ({ context: s.start(), word }));
    const [a, b] = [await ws.score(requests(ws)), await ref.score(requests(ref))];
    a.forEach((r, i) => expect(Math.abs(r.logProb - b[i].logProb)).toBeLessThanOrEqual(TOL));
  });
});
