/** Package validation of the two readable-text kinds: 'punctuation' (tagger) and 'spelling' (seq2seq). */
import { describe, expect, it } from 'vitest';
import { describePackage, loadModelPackage } from '../../../models/package/load-package';
import { memorySource } from '../../../models/package/package-source';
import { writeModelPackage } from '../../../models/package/write-package';
import {
  makePunctuationModel,
  makeSpellingModel,
  testPackageFiles,
  type TestModel,
} from '../../fixtures/make-test-models';
import { loadError, withJson, type JsonObject, type PackageFiles as Files } from '../../helpers/package-files';

function withText(files: Files, path: string, text: string): Files {
  return new Map(files).set(path, new TextEncoder().encode(text));
}

function withTensors(model: TestModel, edit: (t: TestModel['tensors']) => void): Files {
  const tensors = new Map(model.tensors);
  edit(tensors);
  return writeModelPackage(model.json, tensors, model.extraFiles, { dtype: 'F32', verify: false });
}

const punct = makePunctuationModel();
const spell = makeSpellingModel();
const punctFiles = testPackageFiles(punct);
const spellFiles = testPackageFiles(spell);

describe('punctuation packages', () => {
  it('load with their vocabulary and mixed-case list', async () => {
    const pkg = await loadModelPackage(memorySource('pkg', punctFiles));
    expect(pkg.json.kind).toBe('punctuation');
    expect(pkg.files.vocabulary).toContain('<pad>');
    expect(pkg.files.mixedCase).toBe('mcdonald\tMcDonald\n');
    expect(describePackage(pkg)).toMatchObject({ kind: 'punctuation', vocabularySize: 11, architecture: 'GRU 8' });
  });

  it.each([
    ['a wrong output type', (j: JsonObject) => (j.output.type = 'lm'), 'output.type'],
    ['an unknown case', (j: JsonObject) => (j.output.cases[1] = 'title'), 'output.cases[1]'],
    ['a mark with letters', (j: JsonObject) => (j.output.marks[1] = 'and'), 'output.marks[1]'],
    ['a repeated mark', (j: JsonObject) => (j.output.marks[2] = ','), 'output.marks'],
    ['a look-ahead of 1000 words', (j: JsonObject) => (j.output.lookahead = 1000), 'output.lookahead'],
    ['pad equal to unk', (j: JsonObject) => (j.output.pad = '<unk>'), 'output.pad'],
    [
      'an embedding size the layer does not read',
      (j: JsonObject) => (j.output.embeddingSize = 9),
      'layers[0].inputSize',
    ],
    ['segmentEnd that is not a boolean', (j: JsonObject) => (j.output.segmentEnd = 'yes'), 'output.segmentEnd'],
    [
      "segmentEnd without '.' among the marks",
      (j: JsonObject) => ((j.output.segmentEnd = true), (j.output.marks = ['', ',', '?'])),
      'output.segmentEnd',
    ],
    [
      'midSentenceCapitalBias that is not a number',
      (j: JsonObject) => (j.output.midSentenceCapitalBias = '-1'),
      'output.midSentenceCapitalBias',
    ],
    [
      "midSentenceCapitalBias without the 'capitalized' case",
      (j: JsonObject) => (
        (j.output.midSentenceCapitalBias = -1),
        (j.output.cases = ['lower', 'upper', 'mixed', 'lower'])
      ),
      'output.midSentenceCapitalBias',
    ],
  ])('are refused with %s', async (_what, edit, field) => {
    expect((await loadError(withJson(punctFiles, edit))).field).toBe(field);
  });

  it('take segmentEnd (a final segment ends a sentence) when the marks have a period', async () => {
    const pkg = await loadModelPackage(
      memorySource(
        'pkg',
        withJson(punctFiles, (j) => (j.output.segmentEnd = true)),
      ),
    );
    expect(pkg.json.output).toMatchObject({ type: 'tagger', segmentEnd: true });
  });

  it('take midSentenceCapitalBias (a capital inside a sentence needs more confidence)', async () => {
    const pkg = await loadModelPackage(
      memorySource(
        'pkg',
        withJson(punctFiles, (j) => (j.output.midSentenceCapitalBias = -1)),
      ),
    );
    expect(pkg.json.output).toMatchObject({ type: 'tagger', midSentenceCapitalBias: -1 });
  });

  it('are refused when the vocabulary lacks <pad>, or a mixed form spells another word', async () => {
    expect((await loadError(withText(punctFiles, 'vocab.txt', '<unk>\nthe\n'))).message).toMatch(/<pad>.*output\.pad/);
    expect((await loadError(withText(punctFiles, 'mixed.tsv', 'mcdonald\tMacDonald\n'))).field).toBe('line 1');
  });

  it('are refused when the embedding rows do not match the vocabulary, or the tag rows cases × marks', async () => {
    const e1 = await loadError(withText(punctFiles, 'vocab.txt', '<unk>\n<pad>\nthe\n'));
    expect(e1.tensor).toBe('embedding');
    const e2 = await loadError(withJson(punctFiles, (j) => j.output.marks.pop()));
    expect(e2.tensor).toBe('output.W_ya');
    expect(e2.expected).toBe('[16, 8]');
  });
});

describe('spelling packages', () => {
  it('load with their encoder', async () => {
    const pkg = await loadModelPackage(memorySource('pkg', spellFiles));
    expect(pkg.json.kind).toBe('spelling');
    expect(pkg.json.encoder).toEqual([{ cell: 'gru', inputSize: 5, hiddenSize: 7 }]);
    expect(pkg.tensors.get('encoder.layers.0.W_aa')!.shape).toEqual([21, 7]);
    expect(describePackage(pkg)).toMatchObject({ kind: 'spelling', alphabetSize: 28 });
  });

  it.each([
    ['no encoder', (j: JsonObject) => delete j.encoder, 'encoder'],
    [
      'an encoder that does not read the embedding',
      (j: JsonObject) => (j.encoder[0].inputSize = 4),
      'encoder[0].inputSize',
    ],
    [
      'a decoder input that is not embedding + encoder state',
      (j: JsonObject) => (j.layers[0].inputSize = 5),
      'layers[0].inputSize',
    ],
    ['a duplicate source symbol', (j: JsonObject) => (j.output.source[1] = j.output.source[0]), 'output.source[1]'],
    ['an unknown direction', (j: JsonObject) => (j.output.direction = 'both'), 'output.direction'],
    ['a maximum length of 10,000', (j: JsonObject) => (j.output.maxLength = 10000), 'output.maxLength'],
  ])('are refused with %s', async (_what, edit, field) => {
    expect((await loadError(withJson(spellFiles, edit))).field).toBe(field);
  });

  it('load letters → phonemes (g2p) too, and are refused where the phoneme side is not ARPAbet-like (it becomes a Pronunciations line)', async () => {
    const g2pFiles = testPackageFiles(makeSpellingModel({ direction: 'g2p', seed: 8 }));
    const pkg = await loadModelPackage(memorySource('g2p', g2pFiles));
    expect(pkg.json.output).toMatchObject({ type: 'seq2seq', direction: 'g2p' });
    expect(pkg.tensors.get('encoder.embedding')!.shape).toEqual([27, 5]); // a-z and '
    expect((await loadError(withJson(g2pFiles, (j) => (j.output.target[2] = 'k')))).field).toBe('output.target[2]');
    expect((await loadError(withJson(g2pFiles, (j) => (j.output.target[0] = 'AH1')))).field).toBe('output.target[0]');
    expect((await loadError(withJson(spellFiles, (j) => (j.output.source[3] = 'ae')))).field).toBe('output.source[3]');
  });

  it('are refused when an encoder tensor is missing or the decoder embedding lacks the <s> row', async () => {
    expect((await loadError(withTensors(spell, (t) => t.delete('encoder.layers.0.b_ax')))).tensor).toBe(
      'encoder.layers.0.b_ax',
    );
    const e = await loadError(
      withTensors(spell, (t) => t.set('decoder.embedding', { shape: [28, 5], data: new Float32Array(140) })),
    );
    expect(e.tensor).toBe('decoder.embedding');
    expect(e.expected).toBe('[29, 5]');
  });
});
