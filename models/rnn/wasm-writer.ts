/**
 * A small WebAssembly binary writer: LEB128 numbers, sections, and functions built instruction by
 * instruction (FunctionWriter), enough for the hand-written SIMD kernels (wasm-simd.ts: float32 and
 * float16 weights; wasm-int8.ts: int8 weights). No toolchain: the modules' bytes are written from
 * TypeScript and checked with WebAssembly.validate and a self-test where they are compiled.
 */

export const I32 = 0x7f;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;

export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

export function utf8(s: string): number[] {
  return [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
}

export function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

/** Opcodes used (core: the MVP table; SIMD: after the 0xfd prefix, from the SIMD spec's binary table). */
export const OP = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  call: 0x10,
  select: 0x1b,
  void: 0x40,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  f32Load: 0x2a,
  i32Const: 0x41,
  i32Eqz: 0x45,
  i32LtS: 0x48,
  i32GtS: 0x4a,
  i32LeS: 0x4c,
  i32GeS: 0x4e,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  i32And: 0x71,
  i32Shl: 0x74,
  i32ShrU: 0x76,
  f64Add: 0xa0,
} as const;
export const SIMD = {
  load: 0x00,
  load8x8S: 0x01,
  load16x4S: 0x03,
  store: 0x0b,
  const: 0x0c,
  shuffle: 0x0d,
  i32x4Splat: 0x11,
  f32x4Splat: 0x13,
  f64x2ExtractLane: 0x21,
  i32x4GtS: 0x3b,
  and: 0x4e,
  store32Lane: 0x5a,
  f64x2PromoteLow: 0x5f,
  f32x4Nearest: 0x6a,
  i32x4Shl: 0xab,
  i32x4Add: 0xae,
  i32x4DotI16x8S: 0xba,
  f32x4Add: 0xe4,
  f32x4Sub: 0xe5,
  f32x4Mul: 0xe6,
  f32x4Max: 0xe9,
  f64x2Add: 0xf0,
  i32x4TruncSatF32x4S: 0xf8,
  f32x4ConvertI32x4S: 0xfa,
} as const;

/** A function body under construction: locals (after the params) and instructions. */
export class FunctionWriter {
  readonly code: number[] = [];
  private readonly localTypes: number[] = [];

  constructor(private readonly paramCount: number) {}

  local(type: number): number {
    this.localTypes.push(type);
    return this.paramCount + this.localTypes.length - 1;
  }

  op(...bytes: number[]): this {
    this.code.push(...bytes);
    return this;
  }

  get(i: number): this {
    return this.op(OP.localGet, ...uleb(i));
  }
  set(i: number): this {
    return this.op(OP.localSet, ...uleb(i));
  }
  tee(i: number): this {
    return this.op(OP.localTee, ...uleb(i));
  }
  i32(n: number): this {
    return this.op(OP.i32Const, ...sleb(n));
  }
  simd(code: number, ...imm: number[]): this {
    return this.op(0xfd, ...uleb(code), ...imm);
  }
  /** memarg: alignment hint 2^2 (float-aligned; unaligned vectors are allowed), offset 0 */
  v128Load(): this {
    return this.simd(SIMD.load, 2, 0);
  }
  v128Store(): this {
    return this.simd(SIMD.store, 2, 0);
  }
  v128Const(lanes32: readonly number[]): this {
    const bytes = new Uint8Array(new Int32Array(lanes32).buffer);
    return this.simd(SIMD.const, ...bytes);
  }
  /** 4 equal float32 lanes (f32.const, f32x4.splat: 8 bytes where v128.const takes 18) */
  f32x4Const(value: number): this {
    return this.op(0x43, ...new Uint8Array(new Float32Array([value]).buffer)).simd(SIMD.f32x4Splat);
  }
  /** i8x16.shuffle picking f32 lanes (0-3 from the first operand, 4-7 from the second). */
  shuffle32(lanes: readonly number[]): this {
    return this.simd(SIMD.shuffle, ...lanes.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3]));
  }
  /** dst ← a + b (i32 locals) */
  add(dst: number, a: number, b: number): this {
    return this.get(a).get(b).op(OP.i32Add).set(dst);
  }

  /** The function's code-section entry: locals grouped by type, the body, end. */
  encode(): number[] {
    const groups: Array<[number, number]> = [];
    for (const t of this.localTypes) {
      const last = groups[groups.length - 1];
      if (last && last[1] === t) last[0]++;
      else groups.push([1, t]);
    }
    const body = [...uleb(groups.length), ...groups.flatMap(([count, t]) => [...uleb(count), t]), ...this.code, OP.end];
    return [...uleb(body.length), ...body];
  }
}

/**
 * The part of the WebAssembly JS API used here, typed locally: the Node typecheck (lib ES2022, no
 * DOM) has no WebAssembly declarations, and the browser one has them all.
 */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
export type WasmModule = object;
export interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
}

export function wasmApi(): WasmApi | undefined {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  return typeof api === 'object' && api !== null ? api : undefined;
}
