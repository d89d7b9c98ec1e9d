/**
 * models/recipe/quantize_package.ts: a test LM rewritten with int8 matrices loads back with the same
 * numbers on every backend (the reference computes in float with q · scale; wasm-simd multiplies the
 * int8 rows, its input rounded to int16), is smaller, and says so in its provenance.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLanguageModel, type LanguageModel } from '../../../models/language/language-model';
import { LmContextTree } from '../../../models/language/lm-context-tree';
import { loadModelPackage } from '../../../models/package/load-package';
import { nodeSource } from '../../../models/package/node-source';
import { writeModelPackageToDisk } from '../../../models/package/node-write';
import { WasmSimdRnnStack } from '../../../models/rnn/wasm-simd-stack';
import { quantizePackage } from '../../../models/recipe/quantize_package';
import { makeWordLm, testPackageFiles } from '../../fixtures/make-test-models';

const open: Array<{ dispose(): void }> = [];
afterEach(() => {
  while (open.length) open.pop()!.dispose();
});

describe('quantize_package', () => {
  it('writes large matrices as int8: smaller, the same log-probs on reference and wasm-simd (1e-4), provenance recorded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-quantize-'));
    const inDir = join(dir, 'in'),
      outDir = join(dir, 'out');
    await writeModelPackageToDisk(testPackageFiles(makeWordLm({ seed: 9, hiddenSizes: [16] })), inDir);
    const summary = await quantizePackage(inDir, outDir, { int8From: 64, dtype: 'F32' });
    expect(summary.int8.map((t) => t.name).sort()).toEqual([
      'embedding',
      'layers.0.W_aa',
      'layers.0.W_ax',
      'output.W_ya',
    ]);
    expect(summary.bytesAfter).toBeLessThan(summary.bytesBefore / 2);
    for (const t of summary.int8) expect(t.maxError).toBeGreaterThan(0);

    const before = await loadModelPackage(await nodeSource(inDir));
    const pkg = await loadModelPackage(await nodeSource(outDir));
    expect(pkg.tensors.get('output.W_ya')!.int8).toBeDefined();
    expect(pkg.tensors.get('output.b_y')!.int8).toBeUndefined();
    expect(pkg.json.provenance?.dtype).toBe('F32+I8');
    expect((pkg.json.provenance?.int8 as { tensors: string[] }).tensors).toContain('output.W_ya');
    expect(readFileSync(join(outDir, 'vocabulary.txt'), 'utf8')).toBe(
      readFileSync(join(inDir, 'vocabulary.txt'), 'utf8'),
    );
    // each value moved by at most half its row's step
    const W0 = before.tensors.get('output.W_ya')!,
      W1 = pkg.tensors.get('output.W_ya')!;
    for (let i = 0; i < W0.data.length; i++) {
      expect(Math.abs(W1.data[i] - W0.data[i])).toBeLessThanOrEqual(W1.int8!.scale[Math.floor(i / 16)] / 2 + 1e-7);
    }

    const tree = await LmContextTree.create(pkg, { backend: 'wasm-simd' });
    open.push(tree);
    expect((tree.stack as WasmSimdRnnStack).outputInInt8).toBe(true);
    // the embedding is read from its int8 rows: the same numbers as the tensor's
    const emb = pkg.tensors.get('embedding')!;
    const row = new Float32Array(8);
    for (let w = 0; w < emb.shape[0]; w++) {
      tree.embeddingRow(w, row, 0);
      expect(Array.from(row)).toEqual(Array.from(emb.data.subarray(w * 8, (w + 1) * 8)));
    }
    const on = async (backend: 'reference' | 'wasm-simd'): Promise<LanguageModel> => {
      const lm = await createLanguageModel(pkg, { backend });
      open.push(lm);
      return lm;
    };
    const [ref, ws] = [await on('reference'), await on('wasm-simd')];
    let worst = 0;
    for (const h of [[], ['the'], ['a', 'dog', 'to'], ['two', 'two', 'too', 'bat']]) {
      const [a, b] = [await ws.logProbs(h), await ref.logProbs(h)];
      for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
    }
    expect(worst).toBeLessThanOrEqual(1e-4);
    expect(worst).toBeGreaterThan(0); // the int16 rounding of the input: close, not the same bits
  });
});
