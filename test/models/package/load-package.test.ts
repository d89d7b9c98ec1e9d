import { describe, expect, it } from 'vitest';
import { describePackage, loadModelPackage } from '../../../models/package/load-package';
import { MODEL_FORMAT_VERSION } from '../../../models/package/model-spec';
import { memorySource } from '../../../models/package/package-source';
import { writeModelPackage } from '../../../models/package/write-package';
import {
  type TestModel,
  TEST_VOCABULARY,
  makeCharacterCtcModel,
  makePhonemeCtcModel,
  makeWordLm,
  testPackageFiles,
} from '../../fixtures/make-test-models';
import { loadError, withJson, type PackageFiles as Files } from '../../helpers/package-files';

const SOURCE = 'test-package';

/** Package files for `model` after `edit` changes its tensors; written unverified (so it may be broken). */
function withTensors(
  model: TestModel,
  edit: (tensors: TestModel['tensors']) => void,
  dtype: 'F32' | 'F16' = 'F32',
): Files {
  const tensors = new Map(model.tensors);
  edit(tensors);
  return writeModelPackage(model.json, tensors, model.extraFiles, { dtype, verify: false });
}

function without(files: Files, path: string): Files {
  const copy = new Map(files);
  copy.delete(path);
  return copy;
}

function withText(files: Files, path: string, text: string): Files {
  return new Map(files).set(path, new TextEncoder().encode(text));
}

/** A weights file whose only difference from a valid one is a dtype the loader does not read. */
function withDtype(files: Files, tensor: string, dtype: string): Files {
  const bytes = files.get('weights.safetensors')!;
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
  header[tensor].dtype = dtype; // I64 and F32 differ in size: the dtype check must come first
  const json = new TextEncoder().encode(JSON.stringify(header).padEnd(headerLength, ' '));
  const patched = bytes.slice();
  patched.set(json, 8);
  expect(json.length).toBe(headerLength);
  return new Map(files).set('weights.safetensors', patched);
}

const charGru = makeCharacterCtcModel({ cell: 'gru', seed: 21 });
const charVanilla = makeCharacterCtcModel({ cell: 'vanilla', seed: 22 });
const phoneme = makePhonemeCtcModel({ seed: 23 });
const lm = makeWordLm({ seed: 24 });
const charFiles = testPackageFiles(charGru);
const vanillaFiles = testPackageFiles(charVanilla);
const phonemeFiles = testPackageFiles(phoneme);
const lmFiles = testPackageFiles(lm);

describe('loadModelPackage: valid packages', () => {
  it.each([
    ['character CTC (GRU)', charGru, charFiles],
    ['character CTC (vanilla)', charVanilla, vanillaFiles],
    ['phoneme CTC', phoneme, phonemeFiles],
    ['word LM', lm, lmFiles],
  ])('loads a %s package with every tensor intact', async (_, model, files) => {
    const pkg = await loadModelPackage(memorySource(SOURCE, files));
    expect(pkg.json).toEqual(model.json);
    expect([...pkg.tensors.keys()].sort()).toEqual([...model.tensors.keys()].sort());
    for (const [name, tensor] of model.tensors) {
      expect(pkg.tensors.get(name)?.shape).toEqual(tensor.shape);
      expect(pkg.tensors.get(name)?.data).toEqual(tensor.data);
    }
    const count = [...model.tensors.values()].reduce((sum, t) => sum + t.data.length, 0);
    expect(pkg.parameterCount).toBe(count);
    expect(pkg.source).toBe(SOURCE);
  });

  it('returns the lexicon, word counts and vocabulary files', async () => {
    const phonemePkg = await loadModelPackage(memorySource(SOURCE, phonemeFiles));
    expect(phonemePkg.files.lexicon).toBe(phoneme.extraFiles['lexicon.txt']);
    expect(phonemePkg.files.wordCounts).toBe(phoneme.extraFiles['word-counts.tsv']);
    const lmPkg = await loadModelPackage(memorySource(SOURCE, lmFiles));
    expect(lmPkg.files.vocabulary).toEqual(TEST_VOCABULARY);
  });

  it('reads a vocabulary with CRLF line endings and a UTF-8 BOM', async () => {
    const files = withText(lmFiles, 'vocabulary.txt', `\uFEFF${TEST_VOCABULARY.join('\r\n')}\r\n`);
    expect((await loadModelPackage(memorySource(SOURCE, files))).files.vocabulary).toEqual(TEST_VOCABULARY);
  });

  it('accepts an older format version and ignores unknown model.json fields', async () => {
    const files = withJson(charFiles, (json) => {
      json.futureField = { anything: true };
    });
    expect((await loadModelPackage(memorySource(SOURCE, files))).json.version).toBe(MODEL_FORMAT_VERSION);
  });

  it('accepts an MFCC model whose first layer takes nMfcc × frames inputs', async () => {
    const model = makeCharacterCtcModel({ seed: 25 });
    model.json.features = { ...model.json.features!, type: 'mfcc', nMfcc: 13 };
    model.json.layers[0].inputSize = 13 * 3;
    const files = writeModelPackage(model.json, withTensorsShaped(model), {}, { dtype: 'F32' });
    expect((await loadModelPackage(memorySource(SOURCE, files))).json.layers[0].inputSize).toBe(39);
  });

  it('describes a package for the model manager', async () => {
    const phonemeInfo = describePackage(await loadModelPackage(memorySource(SOURCE, phonemeFiles)));
    expect(phonemeInfo).toMatchObject({
      name: 'test-phoneme-ctc-gru',
      kind: 'acoustic',
      units: 'phonemes',
      alphabetSize: 12,
      architecture: 'GRU 16 + GRU 12',
      source: SOURCE,
    });
    expect(phonemeInfo.provenance).toMatchObject({ seed: 23 });
    expect(phonemeInfo.parameterCount).toBeGreaterThan(0);
    const lmInfo = describePackage(await loadModelPackage(memorySource(SOURCE, lmFiles)));
    expect(lmInfo).toMatchObject({ kind: 'language', vocabularySize: TEST_VOCABULARY.length, architecture: 'GRU 12' });
    expect(lmInfo.units).toBeUndefined();
  });
});

/** Random tensors re-shaped for a model whose json was edited (first layer input size). */
function withTensorsShaped(model: TestModel): TestModel['tensors'] {
  const tensors = new Map(model.tensors);
  const old = tensors.get('layers.0.W_ax')!;
  const inputSize = model.json.layers[0].inputSize;
  tensors.set('layers.0.W_ax', {
    shape: [old.shape[0], inputSize],
    data: new Float32Array(old.shape[0] * inputSize).fill(0.01),
  });
  return tensors;
}

interface FailureCase {
  /** The refusal the test protects. */
  name: string;
  files: () => Files;
  file: string;
  tensor?: string;
  field?: string;
  expected?: string;
  found?: string;
  /** Further text the message must contain. */
  says?: (string | RegExp)[];
}

const failures: FailureCase[] = [
  {
    name: 'a package without model.json',
    files: () => without(charFiles, 'model.json'),
    file: 'model.json',
    says: ['missing', 'weights.safetensors'],
  },
  {
    name: 'a package without its weights file',
    files: () => without(charFiles, 'weights.safetensors'),
    file: 'weights.safetensors',
    says: ['missing from the package', 'model.json weights'],
  },
  {
    name: 'model.json that is not JSON, with the line and column',
    files: () => withText(charFiles, 'model.json', '{\n  "format": "earshot-model",\n  "version": 1,,\n}'),
    file: 'model.json',
    says: ['invalid JSON', 'line 3, column 16'],
  },
  {
    name: 'model.json of another format',
    files: () => withJson(charFiles, (j) => (j.format = 'onnx')),
    file: 'model.json',
    field: 'format',
    found: '"onnx"',
    says: ['not an Earshot model package'],
  },
  {
    name: 'a version newer than this app reads',
    files: () => withJson(charFiles, (j) => (j.version = MODEL_FORMAT_VERSION + 1)),
    file: 'model.json',
    field: 'version',
    found: `version ${MODEL_FORMAT_VERSION + 1}`,
    says: ['made by a newer Earshot', 'update the app'],
  },
  {
    name: 'a version that is not a positive integer',
    files: () => withJson(charFiles, (j) => (j.version = '1')),
    file: 'model.json',
    field: 'version',
  },
  {
    name: 'an unknown kind',
    files: () => withJson(charFiles, (j) => (j.kind = 'vocoder')),
    file: 'model.json',
    field: 'kind',
    found: '"vocoder"',
    says: ['acoustic, language'],
  },
  {
    name: 'an unknown cell',
    files: () => withJson(charFiles, (j) => (j.layers[0].cell = 'transformer')),
    file: 'model.json',
    field: 'layers[0].cell',
    found: '"transformer"',
    says: ['unknown cell type', 'vanilla, gru, lstm'],
  },
  {
    name: 'a bad activation',
    files: () => withJson(vanillaFiles, (j) => (j.layers[0].activation = 'sigmoid')),
    file: 'model.json',
    field: 'layers[0].activation',
    found: '"sigmoid"',
    says: ['tanh, relu'],
  },
  {
    name: 'layer sizes that do not chain',
    files: () => withJson(phonemeFiles, (j) => (j.layers[1].inputSize = 15)),
    file: 'model.json',
    field: 'layers[1].inputSize',
    expected: '16',
    found: '15',
    says: ['layers[0].hiddenSize'],
  },
  {
    name: 'a first layer that does not take feature size × stacking frames',
    files: () => withJson(charFiles, (j) => (j.stacking.frames = 2)),
    file: 'model.json',
    field: 'layers[0].inputSize',
    expected: '80',
    found: '120',
    says: ['nMels 40 × 2 frames'],
  },
  {
    name: 'an MFCC model whose first layer is sized for the mel bands',
    files: () => withJson(charFiles, (j) => Object.assign(j.features, { type: 'mfcc', nMfcc: 13 })),
    file: 'model.json',
    field: 'layers[0].inputSize',
    expected: '39',
    found: '120',
    says: ['nMfcc 13'],
  },
  {
    name: 'a language model whose first layer is not the embedding size',
    files: () => withJson(lmFiles, (j) => (j.output.embeddingSize = 6)),
    file: 'model.json',
    field: 'layers[0].inputSize',
    expected: '6',
    found: '8',
  },
  {
    name: 'normalization arrays of the wrong length',
    files: () =>
      withJson(
        charFiles,
        (j) => (j.features.normalization = { mean: new Array(40).fill(0), std: new Array(39).fill(1) }),
      ),
    file: 'model.json',
    field: 'features.normalization.std',
    expected: '40 values',
    found: '39 values',
  },
  {
    name: 'a zero standard deviation in the normalization',
    files: () =>
      withJson(
        charFiles,
        (j) => (j.features.normalization = { mean: new Array(40).fill(0), std: new Array(40).fill(0) }),
      ),
    file: 'model.json',
    field: 'features.normalization.std[0]',
  },
  {
    name: 'an alphabet without the blank',
    files: () => withJson(charFiles, (j) => (j.output.blank = j.output.alphabet.length)),
    file: 'model.json',
    field: 'output.blank',
    found: '29',
    says: ['no CTC blank'],
  },
  {
    name: 'an alphabet with a repeated symbol',
    files: () => withJson(charFiles, (j) => (j.output.alphabet[5] = 'a')),
    file: 'model.json',
    field: 'output.alphabet[5]',
  },
  {
    name: 'a phoneme model without a lexicon entry in model.json',
    files: () => withJson(phonemeFiles, (j) => delete j.output.lexicon),
    file: 'model.json',
    field: 'output.lexicon',
  },
  {
    name: 'a file path that leaves the package',
    files: () => withJson(charFiles, (j) => (j.weights = '../other/weights.safetensors')),
    file: 'model.json',
    field: 'weights',
  },
  {
    name: 'a missing lexicon file',
    files: () => without(phonemeFiles, 'lexicon.txt'),
    file: 'lexicon.txt',
    says: ['model.json output.lexicon'],
  },
  {
    name: 'a malformed lexicon line',
    files: () => withText(phonemeFiles, 'lexicon.txt', 'CAT K AE T\nDOG\n'),
    file: 'lexicon.txt',
    field: 'line 2',
  },
  {
    name: 'a missing word-counts file',
    files: () => without(phonemeFiles, 'word-counts.tsv'),
    file: 'word-counts.tsv',
  },
  {
    name: 'a missing vocabulary file',
    files: () => without(lmFiles, 'vocabulary.txt'),
    file: 'vocabulary.txt',
    says: ['model.json output.vocabulary'],
  },
  {
    name: 'a vocabulary without <unk>',
    files: () => withText(lmFiles, 'vocabulary.txt', ['<oov>', ...TEST_VOCABULARY.slice(1)].join('\n')),
    file: 'vocabulary.txt',
    says: ['<unk>'],
  },
  {
    name: 'a vocabulary without <eos>',
    files: () => withText(lmFiles, 'vocabulary.txt', ['<unk>', '</s>', ...TEST_VOCABULARY.slice(2)].join('\n')),
    file: 'vocabulary.txt',
    says: ['<eos>'],
  },
  {
    name: 'a vocabulary whose size is not the number of output rows',
    files: () => withText(lmFiles, 'vocabulary.txt', [...TEST_VOCABULARY, 'extra'].join('\n')),
    file: 'vocabulary.txt',
    expected: `${TEST_VOCABULARY.length} words`,
    found: `${TEST_VOCABULARY.length + 1} words`,
    says: ['output.W_ya'],
  },
  {
    name: 'a vocabulary with a repeated word',
    files: () => withText(lmFiles, 'vocabulary.txt', [...TEST_VOCABULARY.slice(0, -1), 'cat'].join('\n')),
    file: 'vocabulary.txt',
    field: 'line 10',
  },
  {
    name: 'a missing tensor',
    files: () => withTensors(charGru, (t) => t.delete('layers.0.b_aa')),
    file: 'weights.safetensors',
    tensor: 'layers.0.b_aa',
    expected: '[48]',
    found: 'no such tensor',
  },
  {
    name: 'an unexpected extra tensor',
    files: () => withTensors(charGru, (t) => t.set('layers.1.W_ax', { shape: [2, 2], data: new Float32Array(4) })),
    file: 'weights.safetensors',
    tensor: 'layers.1.W_ax',
    expected: 'no such tensor',
    found: '[2, 2]',
  },
  {
    name: 'a tensor of the wrong shape',
    files: () =>
      withTensors(charGru, (t) => t.set('layers.0.W_ax', { shape: [48, 40], data: new Float32Array(48 * 40) })),
    file: 'weights.safetensors',
    tensor: 'layers.0.W_ax',
    expected: '[48, 120]',
    found: '[48, 40]',
    says: ['wrong shape', 'gru: 3 gates × hiddenSize 16, inputSize 120'],
  },
  {
    name: 'a transposed output matrix',
    files: () => withTensors(lm, (t) => t.set('output.W_ya', { shape: [12, 10], data: new Float32Array(120) })),
    file: 'vocabulary.txt', // 12 rows vs 10 words: reported as the vocabulary not matching
    expected: '12 words',
    found: '10 words',
  },
  {
    name: 'an embedding of the wrong width',
    files: () => withTensors(lm, (t) => t.set('embedding', { shape: [10, 7], data: new Float32Array(70) })),
    file: 'weights.safetensors',
    tensor: 'embedding',
    expected: '[10, 8]',
    found: '[10, 7]',
  },
  {
    name: 'truncated weights',
    files: () => {
      const files = new Map(charFiles);
      const bytes = files.get('weights.safetensors')!;
      return files.set('weights.safetensors', bytes.subarray(0, bytes.length - 100));
    },
    file: 'weights.safetensors',
    tensor: 'output.b_y',
    says: ['truncated'],
  },
  {
    name: 'weights of a dtype the app does not read (I64)',
    files: () => withDtype(charFiles, 'output.b_y', 'I64'),
    file: 'weights.safetensors',
    tensor: 'output.b_y',
    expected: 'F32, F16 or I8',
    found: 'I64',
  },
  {
    name: 'weights of a dtype the app does not read (BF16)',
    files: () => withDtype(charFiles, 'layers.0.W_aa', 'BF16'),
    file: 'weights.safetensors',
    tensor: 'layers.0.W_aa',
    found: 'BF16',
  },
  {
    name: 'a NaN weight, with its index',
    files: () =>
      withTensors(charGru, (t) => {
        const w = t.get('layers.0.W_aa')!;
        const data = w.data.slice();
        data[2 * 16 + 5] = NaN;
        t.set('layers.0.W_aa', { shape: w.shape, data });
      }),
    file: 'weights.safetensors',
    tensor: 'layers.0.W_aa',
    found: 'NaN',
    says: ['[2, 5]', 'finite values in [48, 16]'],
  },
  {
    name: 'an infinite weight from F16 overflow',
    files: () =>
      withTensors(
        charGru,
        (t) => {
          const b = t.get('output.b_y')!;
          const data = b.data.slice();
          data[3] = 1e6; // beyond float16's 65504
          t.set('output.b_y', { shape: b.shape, data });
        },
        'F16',
      ),
    file: 'weights.safetensors',
    tensor: 'output.b_y',
    found: 'Infinity',
    says: ['[3]'],
  },
];

describe('loadModelPackage refuses', () => {
  it.each(failures)('$name', async (failure) => {
    const error = await loadError(failure.files());
    expect(error.file).toBe(failure.file);
    expect(error.source).toBe(SOURCE);
    // The message alone names the package, the file, and for tensors the tensor and both shapes.
    expect(error.message).toContain(`"${SOURCE}"`);
    expect(error.message).toContain(failure.file);
    if (failure.tensor !== undefined) {
      expect(error.tensor).toBe(failure.tensor);
      expect(error.message).toContain(`"${failure.tensor}"`);
    }
    if (failure.field !== undefined) {
      expect(error.field).toBe(failure.field);
      expect(error.message).toContain(failure.field);
    }
    if (failure.expected !== undefined) {
      expect(error.expected).toBe(failure.expected);
      expect(error.message).toContain(`expected ${failure.expected}`);
    }
    if (failure.found !== undefined) {
      expect(error.found).toBe(failure.found);
      expect(error.message).toContain(`found ${failure.found}`);
    }
    if (error.tensor !== undefined && error.expected?.startsWith('[') && error.found?.startsWith('[')) {
      expect(error.message).toMatch(/expected \[[\d, ]*\].*found \[[\d, ]*\]/);
    }
    for (const text of failure.says ?? []) {
      if (typeof text === 'string') expect(error.message).toContain(text);
      else expect(error.message).toMatch(text);
    }
  });

  it('checks every failure fixture against a package that does load', async () => {
    // Guards the table above: each broken package differs from one of these valid ones.
    for (const files of [charFiles, vanillaFiles, phonemeFiles, lmFiles]) {
      await expect(loadModelPackage(memorySource(SOURCE, files))).resolves.toBeDefined();
    }
  });
});
