/**
 * Rewrites a model package with its large matrices as int8 rows (a float32 scale per row; see
 * models/package/safetensors.ts, I8) and the rest in F16 (or F32). The LM's output layer (10,002 × 256)
 * and embedding then take a quarter of their F32 bytes, and the wasm-simd backend multiplies the
 * output layer in int8 (models/rnn/wasm-int8.ts), where that product is most of the LM's time.
 *
 *   npx tsx models/recipe/quantize_package.ts IN_DIR OUT_DIR [--int8-from N] [--dtype F16|F32]
 *
 *   --int8-from N   matrices with at least N values become int8 (default 1048576 = 2^20: the LM's
 *                   output layer and embedding, not its recurrent layer nor an acoustic model's)
 *   --dtype         the other tensors' dtype (default F16)
 *
 * Every file of IN_DIR besides model.json and the weights is copied as it is. model.json's provenance
 * records the change (dtype "F16+I8", int8: which tensors, the threshold, the largest change of a
 * value), and the result is loaded back and checked before it is written. Measure the quantized LM on
 * a dev set before shipping it (models/recipe/eval/decode_sweep.ts --lm OUT_DIR).
 */
import { copyFileSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  dequantizeRows,
  loadModelPackage,
  nodeSource,
  quantizeRows,
  writeModelPackage,
  writeModelPackageToDisk,
  type FloatDtype,
} from '../../renderer/engine/node';
import { takeOption } from './cli-args';

export interface QuantizeSummary {
  /** Tensors written as int8, with the largest |value − quantized value| of each. */
  int8: { name: string; shape: number[]; maxError: number }[];
  bytesBefore: number;
  bytesAfter: number;
}

export async function quantizePackage(
  inDir: string,
  outDir: string,
  options: { int8From?: number; dtype?: FloatDtype } = {},
): Promise<QuantizeSummary> {
  const int8From = options.int8From ?? 2 ** 20;
  const dtype = options.dtype ?? 'F16';
  const pkg = await loadModelPackage(await nodeSource(inDir));
  const int8: QuantizeSummary['int8'] = [];
  for (const [name, t] of pkg.tensors) {
    if (t.shape.length !== 2 || t.data.length < int8From) continue;
    const [rows, cols] = t.shape;
    const { q, scale } = t.int8 ?? quantizeRows(t.data, rows, cols);
    const back = dequantizeRows(q, scale, rows, cols);
    let maxError = 0;
    for (let i = 0; i < back.length; i++) maxError = Math.max(maxError, Math.abs(back[i] - t.data[i]));
    int8.push({ name, shape: [rows, cols], maxError });
  }
  const json = {
    ...pkg.json,
    provenance: {
      ...pkg.json.provenance,
      dtype: int8.length > 0 ? `${dtype}+I8` : dtype,
      int8: {
        from: int8From,
        tensors: int8.map((t) => t.name),
        maxAbsChange: Math.max(0, ...int8.map((t) => t.maxError)),
        how: 'models/recipe/quantize_package.ts: symmetric int8 per row, scale = max |w| / 127',
      },
    },
  };
  const files = writeModelPackage(json, pkg.tensors, {}, { dtype, int8From, verify: false });
  // the other files as they are (lexicon, vocabulary, curves, ...)
  const weights = json.weights;
  for (const entry of readdirSync(inDir)) {
    if (entry === 'model.json' || entry === weights || !statSync(join(inDir, entry)).isFile()) continue;
    mkdirSync(outDir, { recursive: true });
    copyFileSync(join(inDir, entry), join(outDir, entry));
  }
  await writeModelPackageToDisk(files, outDir);
  // loaded back as the app would: the same numbers as the quantized rows
  const check = await loadModelPackage(await nodeSource(outDir));
  for (const t of int8) {
    if (!check.tensors.get(t.name)?.int8) throw new Error(`quantize_package: ${t.name} did not come back as int8`);
  }
  return {
    int8,
    bytesBefore: statSync(join(inDir, weights)).size,
    bytesAfter: files.get(weights)!.length,
  };
}

async function main(argv: string[]): Promise<void> {
  const from = takeOption(argv, 'int8-from');
  const dtype = takeOption(argv, 'dtype');
  if (argv.length !== 2 || (dtype !== undefined && dtype !== 'F16' && dtype !== 'F32')) {
    console.error('usage: quantize_package.ts IN_DIR OUT_DIR [--int8-from N] [--dtype F16|F32]');
    process.exit(2);
  }
  const [inDir, outDir] = argv.map((p) => resolve(p));
  const summary = await quantizePackage(inDir, outDir, {
    int8From: from === undefined ? undefined : Number(from),
    dtype: dtype === 'F32' ? 'F32' : 'F16',
  });
  for (const t of summary.int8)
    console.log(`int8: ${t.name} [${t.shape.join(', ')}], largest change ${t.maxError.toExponential(2)}`);
  console.log(
    `weights ${(summary.bytesBefore / 1e6).toFixed(2)} MB -> ${(summary.bytesAfter / 1e6).toFixed(2)} MB: ${outDir}`,
  );
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error(`quantize_package: ${(e as Error).message}`);
    process.exit(1);
  });
}
