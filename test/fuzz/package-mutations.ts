/**
 * Mutated model packages for the loader fuzzer: small valid test packages (phoneme CTC, character
 * CTC, word LM) broken one to three ways at a time. Deterministic: the same random source gives
 * the same package.
 *
 * Mutations: bit flips, truncation, random bytes, a missing file, model.json field edits (any path,
 * hostile values: wrong types, huge or negative numbers, deep nesting, escaping paths), tensor shape
 * changes, safetensors header edits (length field, dtype, shape, data_offsets, extra and missing
 * tensors), lexicon damage (invalid UTF-8, unknown phonemes, lines without phonemes), and zip
 * packaging with corruption (bit flips, truncation, local/central header fields, huge declared sizes).
 */
import { zipSync } from 'fflate';
import { memorySource, zipSource, type PackageSource } from '../../models/package/package-source';
import { readSafetensors, writeSafetensors } from '../../models/package/safetensors';
import {
  makeCharacterCtcModel,
  makePhonemeCtcModel,
  makePunctuationModel,
  makeSpellingModel,
  makeWordLm,
  testPackageFiles,
} from '../fixtures/make-test-models';

export type Random = () => number;

export interface PackageCase {
  /** What was done, e.g. 'json:features.windowSize=1073741824 + zip:truncate'. */
  label: string;
  source: PackageSource;
  /** Which base package it started from. */
  base: string;
}

export type PackageFiles = Map<string, Uint8Array>;

/** The base packages, small enough that a case runs in milliseconds. */
export function basePackages(): Record<string, PackageFiles> {
  return {
    phoneme: testPackageFiles(makePhonemeCtcModel({ hiddenSizes: [8, 6], seed: 21 })),
    'phoneme-f16': testPackageFiles(makePhonemeCtcModel({ hiddenSizes: [8], seed: 22, cell: 'lstm' }), 'F16'),
    character: testPackageFiles(makeCharacterCtcModel({ hiddenSizes: [8], cell: 'vanilla', seed: 23 })),
    lm: testPackageFiles(makeWordLm({ hiddenSizes: [6], seed: 24 })),
    punct: testPackageFiles(makePunctuationModel({ seed: 25 })),
    spell: testPackageFiles(makeSpellingModel({ seed: 26 })),
    g2p: testPackageFiles(makeSpellingModel({ direction: 'g2p', seed: 27 })),
  };
}

const pick = <T>(rnd: Random, items: readonly T[]): T => items[Math.floor(rnd() * items.length)];
const int = (rnd: Random, lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));

function randomBytes(rnd: Random, n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(rnd() * 256);
  return b;
}

export function flipBits(rnd: Random, bytes: Uint8Array, count: number): Uint8Array {
  const out = bytes.slice();
  if (out.length === 0) return out;
  for (let i = 0; i < count; i++) out[Math.floor(rnd() * out.length)] ^= 1 << Math.floor(rnd() * 8);
  return out;
}

/** Values hostile to a JSON field: wrong types, extremes, paths out of the package, deep nesting. */
function evilValue(rnd: Random): unknown {
  const deep = (depth: number): unknown => {
    let v: unknown = 1;
    for (let i = 0; i < depth; i++) v = [v];
    return v;
  };
  return pick<() => unknown>(rnd, [
    () => null,
    () => true,
    () => 0,
    () => -1,
    () => 1.5,
    () => 1e308,
    () => -1e308,
    () => 2 ** 53 + 2,
    () => 2 ** 31,
    () => 2 ** 30,
    () => 1 << 28,
    () => 65536,
    () => 3,
    () => 7,
    () => 1e-300,
    () => '',
    () => 'x',
    () => '0',
    () => '../../etc/passwd',
    () => '/abs/path',
    () => 'C:\\win',
    () => 'a'.repeat(100_000),
    () => '\u0000\uffff',
    () => [],
    () => [1, 2, 3],
    () => {},
    () => ({ nested: { deeper: [null] } }),
    () => deep(int(rnd, 2, 20)),
    () => deep(5000),
    () => int(rnd, -5, 5),
    () => int(rnd, 0, 1_000_000),
    () => rnd() * 1000 - 500,
  ])();
}

/** Paths the engine reads (where a bad value hurts most) plus any random path in the document. */
const TARGETED = [
  'format',
  'version',
  'kind',
  'name',
  'weights',
  'layers',
  'output',
  'features.sampleRate',
  'features.windowSize',
  'features.hopSize',
  'features.type',
  'features.nMels',
  'features.nMfcc',
  'features.windowing',
  'features.inputScale',
  'features.dither',
  'features.normalization',
  'features',
  'stacking.frames',
  'stacking.stride',
  'stacking',
  'layers.0.cell',
  'layers.0.inputSize',
  'layers.0.hiddenSize',
  'layers.0.activation',
  'layers.0',
  'layers.1.hiddenSize',
  'output.type',
  'output.units',
  'output.alphabet',
  'output.alphabet.0',
  'output.alphabet.3',
  'output.blank',
  'output.lexicon',
  'output.wordCounts',
  'output.wordSeparator',
  'output.vocabulary',
  'output.unk',
  'output.eos',
  'output.embeddingSize',
  'output.alpha',
  'output.beta',
  'provenance',
  'description',
];

function randomPath(rnd: Random, doc: unknown): string[] {
  const path: string[] = [];
  let node = doc;
  while (node !== null && typeof node === 'object' && rnd() < 0.7) {
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const k = pick(rnd, keys);
    path.push(k);
    node = (node as Record<string, unknown>)[k];
  }
  return path;
}

function setPath(doc: Record<string, unknown>, path: string[], value: unknown, remove: boolean): void {
  if (path.length === 0) return;
  let node: unknown = doc;
  for (const k of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return;
    node = (node as Record<string, unknown>)[k];
  }
  if (node === null || typeof node !== 'object') return;
  const last = path[path.length - 1];
  if (remove) {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete (node as Record<string, unknown>)[last];
  } else {
    (node as Record<string, unknown>)[last] = value;
  }
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);
const bytesOf = (s: string) => new TextEncoder().encode(s);

function mutateModelJson(rnd: Random, files: PackageFiles): string {
  const raw = files.get('model.json')!;
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(text(raw)) as Record<string, unknown>;
  } catch {
    files.set('model.json', flipBits(rnd, raw, 3));
    return 'json:bitflip';
  }
  const edits: string[] = [];
  for (let n = int(rnd, 1, 3); n > 0; n--) {
    const path = rnd() < 0.6 ? pick(rnd, TARGETED).split('.') : randomPath(rnd, doc);
    if (rnd() < 0.2) {
      setPath(doc, path, undefined, true);
      edits.push(`-${path.join('.')}`);
    } else {
      const v = evilValue(rnd);
      setPath(doc, path, v, false);
      const shown = JSON.stringify(v) ?? String(v);
      edits.push(`${path.join('.')}=${shown.length > 24 ? `${shown.slice(0, 21)}...` : shown}`);
    }
  }
  if (rnd() < 0.1) doc['extraField'] = evilValue(rnd);
  let serialized: string;
  try {
    serialized = JSON.stringify(doc);
  } catch {
    serialized = '{"format": "earshot-model", "version": 1, "layers": [[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]}';
  }
  files.set('model.json', bytesOf(serialized));
  return `json:${edits.join(',')}`;
}

/** Numbers that pass a type check but not a sanity check. */
const EXTREME_NUMBERS = [
  0,
  -1,
  1,
  2,
  3,
  0.5,
  1e-300,
  1e-9,
  1e9,
  1e308,
  2 ** 20,
  2 ** 26,
  2 ** 30,
  2 ** 31,
  2 ** 53,
  65536,
  4096,
  1000,
  999,
  768001,
];

/**
 * One field the engine reads at run time (features, stacking, output numbers) set to an extreme
 * number, everything else intact: such packages often pass validation, so they reach the recognizer.
 */
function mutateRuntimeField(rnd: Random, files: PackageFiles): string {
  const raw = files.get('model.json');
  if (!raw) return 'field:no-model.json';
  const doc = JSON.parse(text(raw)) as Record<string, unknown>;
  const fields =
    doc.kind === 'acoustic'
      ? [
          'features.sampleRate',
          'features.windowSize',
          'features.hopSize',
          'features.nMels',
          'features.inputScale',
          'features.dither',
          'stacking.stride',
          'output.blank',
        ]
      : ['output.alpha', 'output.beta', 'output.embeddingSize'];
  const path = pick(rnd, fields);
  const value = pick(rnd, EXTREME_NUMBERS);
  setPath(doc, path.split('.'), value, false);
  files.set('model.json', bytesOf(JSON.stringify(doc)));
  return `field:${path}=${value}`;
}

function weightsPath(files: PackageFiles): string | undefined {
  return [...files.keys()].find((k) => k.endsWith('.safetensors'));
}

function mutateTensorShape(rnd: Random, files: PackageFiles): string {
  const path = weightsPath(files);
  if (!path) return 'shape:no-weights';
  const { tensors } = readSafetensors(files.get(path)!, path);
  const names = [...tensors.keys()];
  const name = pick(rnd, names);
  const t = tensors.get(name)!;
  const kind = pick(rnd, ['grow', 'shrink', 'transpose', 'add-dim', 'drop-dim', 'scalar', 'drop', 'extra']);
  let shape = [...t.shape];
  if (kind === 'drop') {
    tensors.delete(name);
  } else if (kind === 'extra') {
    tensors.set(`layers.${int(rnd, 0, 9)}.W_extra`, { dtype: 'F32', shape: [2, 2], data: new Float32Array(4) });
  } else {
    if (kind === 'grow') shape[int(rnd, 0, shape.length - 1)] += int(rnd, 1, 3);
    else if (kind === 'shrink')
      shape[int(rnd, 0, shape.length - 1)] = Math.max(0, shape[int(rnd, 0, shape.length - 1)] - int(rnd, 1, 3));
    else if (kind === 'transpose') shape = [...shape].reverse();
    else if (kind === 'add-dim') shape = [...shape, 1];
    else if (kind === 'drop-dim') shape = shape.slice(1);
    else shape = [];
    const n = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = t.data[i % Math.max(1, t.data.length)] ?? 0;
    tensors.set(name, { dtype: 'F32', shape, data });
  }
  files.set(path, writeSafetensors(tensors, { dtype: rnd() < 0.5 ? 'F32' : 'F16' }));
  return `shape:${kind}:${name}`;
}

function mutateSafetensorsHeader(rnd: Random, files: PackageFiles): string {
  const path = weightsPath(files);
  if (!path) return 'header:no-weights';
  const bytes = files.get(path)!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(0, true);
  const kind = pick(rnd, ['length', 'json']);
  if (kind === 'length') {
    const out = bytes.slice();
    const v = new DataView(out.buffer);
    const value = pick(rnd, [
      0,
      1,
      2,
      headerLength - 1,
      headerLength + 1,
      headerLength + 8,
      0x7fffffff,
      0xffffffff,
      out.length,
      out.length - 8,
    ]);
    v.setUint32(0, value >>> 0, true);
    if (rnd() < 0.3) v.setUint32(4, pick(rnd, [1, 0xffffffff]), true);
    files.set(path, out);
    return `header:length=${value}`;
  }
  const header = JSON.parse(text(bytes.subarray(8, 8 + headerLength))) as Record<
    string,
    { dtype: unknown; shape: unknown; data_offsets: unknown }
  >;
  const names = Object.keys(header).filter((k) => k !== '__metadata__');
  const name = pick(rnd, names);
  const e = header[name];
  const field = pick(rnd, ['dtype', 'shape', 'offsets', 'entry', 'metadata', 'remove', 'duplicate-span']);
  if (field === 'dtype') e.dtype = pick(rnd, ['F64', 'I32', 'BF16', 'F8_E4M3', '', null, 5, 'f32']);
  else if (field === 'shape')
    e.shape = pick(rnd, [[-1], [1.5], [2 ** 40, 2 ** 40], ['3'], null, 7, [0], [1, 2, 3, 4, 5, 6, 7, 8], [2 ** 31]]);
  else if (field === 'offsets') {
    const [b, en] = e.data_offsets as number[];
    e.data_offsets = pick(rnd, [
      [en, b],
      [b, en + 4],
      [b, 2 ** 53],
      [-4, en],
      [b],
      null,
      [b + 1, en + 1],
      [0, 0],
      [b, en, 0],
      ['0', en],
    ]);
  } else if (field === 'entry') (header as Record<string, unknown>)[name] = pick(rnd, [null, 1, 'x', [], {}]);
  else if (field === 'metadata')
    (header as Record<string, unknown>).__metadata__ = pick(rnd, [null, 3, { a: 1 }, ['x'], { a: 'b' }]);
  else if (field === 'remove') delete header[name];
  else {
    const other = header[pick(rnd, names)];
    e.data_offsets = other.data_offsets;
  }
  const json = bytesOf(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + (bytes.length - 8 - headerLength));
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 8);
  out.set(bytes.subarray(8 + headerLength), 8 + json.length);
  files.set(path, out);
  return `header:${field}:${name}`;
}

function mutateLexicon(rnd: Random, files: PackageFiles): string {
  const path = [...files.keys()].find(
    (k) => k.startsWith('lexicon') || k.startsWith('vocabulary') || k.startsWith('word-counts'),
  );
  if (!path) return 'lexicon:none';
  const lines = text(files.get(path)!).split('\n');
  const kind = pick(rnd, [
    'bad-utf8',
    'no-phonemes',
    'unknown-phoneme',
    'only-comments',
    'empty',
    'long-line',
    'crlf',
    'bom',
    'duplicate',
    'tab-junk',
  ]);
  let out: Uint8Array;
  if (kind === 'bad-utf8') {
    const b = files.get(path)!;
    out = new Uint8Array(b.length + 2);
    out.set(b);
    out.set([0xc3, 0x28], int(rnd, 0, b.length));
  } else {
    let t: string;
    if (kind === 'no-phonemes') t = [...lines, 'lonely'].join('\n');
    else if (kind === 'unknown-phoneme') t = [...lines, 'zork ZZ QQ1 9'].join('\n');
    else if (kind === 'only-comments') t = ';;; nothing\n;;; here\n';
    else if (kind === 'empty') t = '';
    else if (kind === 'long-line') t = [...lines, `long ${'AH '.repeat(20_000)}`].join('\n');
    else if (kind === 'crlf') t = lines.join('\r\n');
    else if (kind === 'bom') t = `\ufeff${lines.join('\n')}`;
    else if (kind === 'duplicate') t = [...lines, ...lines].join('\n');
    else t = lines.map((l) => `${l}\t\t${rnd() < 0.5 ? 'x' : ''}`).join('\n');
    out = bytesOf(t);
  }
  files.set(path, out);
  return `lexicon:${kind}:${path}`;
}

function mutateBytes(rnd: Random, files: PackageFiles): string {
  const path = pick(rnd, [...files.keys()]);
  const bytes = files.get(path)!;
  const kind = pick(rnd, ['bitflip', 'truncate', 'random', 'remove', 'zero-run']);
  if (kind === 'bitflip') files.set(path, flipBits(rnd, bytes, int(rnd, 1, 16)));
  else if (kind === 'truncate') files.set(path, bytes.slice(0, int(rnd, 0, Math.max(0, bytes.length - 1))));
  else if (kind === 'random') files.set(path, randomBytes(rnd, int(rnd, 0, 4096)));
  else if (kind === 'remove') files.delete(path);
  else {
    const out = bytes.slice();
    const at = int(rnd, 0, Math.max(0, out.length - 1));
    out.fill(0, at, at + int(rnd, 1, 64));
    files.set(path, out);
  }
  return `bytes:${kind}:${path}`;
}

/** Zips the files, then (usually) damages the archive. */
function zipped(rnd: Random, files: PackageFiles): { label: string; bytes: Uint8Array } {
  const entries: Record<string, Uint8Array> = {};
  const top = rnd() < 0.3 ? 'pkg/' : '';
  for (const [p, b] of files) entries[`${top}${p}`] = b;
  if (rnd() < 0.1) entries['__MACOSX/._model.json'] = randomBytes(rnd, 16);
  if (rnd() < 0.1) entries['../evil.txt'] = bytesOf('x');
  const zip = zipSync(entries, { level: rnd() < 0.5 ? 0 : 6 });
  const kind = pick(rnd, [
    'intact',
    'bitflip',
    'truncate',
    'local-sizes',
    'central-sizes',
    'method',
    'name-length',
    'eocd',
  ]);
  const out = zip.slice();
  const v = new DataView(out.buffer);
  const find = (sig: number, from = 0): number => {
    for (let i = from; i + 4 <= out.length; i++) if (v.getUint32(i, true) === sig) return i;
    return -1;
  };
  const huge = pick(rnd, [0xffffffff, 0x7fffffff, 0x40000000, 0]);
  if (kind === 'bitflip') return { label: `zip:bitflip`, bytes: flipBits(rnd, out, int(rnd, 1, 8)) };
  if (kind === 'truncate') return { label: 'zip:truncate', bytes: out.slice(0, int(rnd, 0, out.length - 1)) };
  if (kind === 'local-sizes') {
    const at = find(0x04034b50);
    if (at >= 0) {
      v.setUint32(at + 18, huge, true);
      v.setUint32(at + 22, huge, true);
    }
  } else if (kind === 'central-sizes') {
    const at = find(0x02014b50);
    if (at >= 0) {
      v.setUint32(at + 20, huge, true);
      v.setUint32(at + 24, huge, true);
    }
  } else if (kind === 'method') {
    const at = find(0x02014b50);
    if (at >= 0) v.setUint16(at + 10, pick(rnd, [1, 9, 12, 14, 99, 0xffff]), true);
  } else if (kind === 'name-length') {
    const at = find(0x02014b50);
    if (at >= 0) v.setUint16(at + 28, pick(rnd, [0, 0xffff, 1000]), true);
  } else if (kind === 'eocd') {
    const at = find(0x06054b50);
    if (at >= 0) {
      v.setUint16(at + 10, pick(rnd, [0, 0xffff]), true);
      v.setUint32(at + 16, pick(rnd, [0, 0xffffffff, out.length]), true);
    }
  }
  return { label: `zip:${kind}${kind.includes('sizes') ? `=${huge}` : ''}`, bytes: out };
}

/** One fuzz case: a base package, 1-3 mutations, served from memory or as a zip. */
export function mutatePackage(rnd: Random, bases: Record<string, PackageFiles>): PackageCase {
  const base = pick(rnd, Object.keys(bases));
  const files: PackageFiles = new Map([...bases[base]].map(([k, v]) => [k, v.slice()]));
  const labels: string[] = [];
  for (let n = int(rnd, 1, 3); n > 0; n--) {
    const op = pick(rnd, [
      'json',
      'json',
      'json',
      'field',
      'field',
      'shape',
      'header',
      'header',
      'lexicon',
      'bytes',
      'bytes',
    ]);
    if (!files.has('model.json') && op === 'json') continue;
    try {
      if (op === 'json') labels.push(mutateModelJson(rnd, files));
      else if (op === 'field') labels.push(mutateRuntimeField(rnd, files));
      else if (op === 'shape') labels.push(mutateTensorShape(rnd, files));
      else if (op === 'header') labels.push(mutateSafetensorsHeader(rnd, files));
      else if (op === 'lexicon') labels.push(mutateLexicon(rnd, files));
      else labels.push(mutateBytes(rnd, files));
    } catch {
      // an earlier mutation left the file unparseable for this one: damage its bytes instead
      labels.push(mutateBytes(rnd, files));
    }
  }
  if (rnd() < 0.3) {
    const z = zipped(rnd, files);
    return { label: `${base}: ${[...labels, z.label].join(' + ')}`, base, source: zipSource(`${base}.zip`, z.bytes) };
  }
  return { label: `${base}: ${labels.join(' + ')}`, base, source: memorySource(base, files) };
}
