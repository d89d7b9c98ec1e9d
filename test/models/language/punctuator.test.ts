/**
 * The punctuator's case decision inside a sentence (output.midSentenceCapitalBias): a capital on a word that does not
 * start a sentence needs more confidence, the mark is never changed by it, and the bundled tagger no longer
 * capitalises a mid-sentence verb.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyTag, createPunctuator, type Punctuator } from '../../../models/language/punctuator';
import { loadModelPackage, parseModelPackage } from '../../../models/package/load-package';
import { nodeSource } from '../../../models/package/node-source';
import { makePunctuationModel, testPackageFiles } from '../../fixtures/make-test-models';

const BUNDLED = resolve(__dirname, '../../../models/default/punct');
const MARKS = ['', ',', '.', '?', '!'];
const CASES = ['lower', 'capitalized', 'upper', 'mixed'];

/**
 * A tagger whose tag scores are the same for every word: output.W_ya is zero, output.b_y holds `scores`
 * ('c,' = capitalized + ','; every other tag -10).
 */
async function constantTagger(
  scores: Record<string, number>,
  output: { midSentenceCapitalBias?: number; segmentEnd?: boolean },
): Promise<Punctuator> {
  const model = makePunctuationModel({ seed: 3 });
  Object.assign(model.json.output, output);
  const W = model.tensors.get('output.W_ya')!;
  const b = model.tensors.get('output.b_y')!;
  W.data.fill(0);
  b.data.fill(-10);
  for (const [tag, score] of Object.entries(scores)) {
    const c = CASES.findIndex((name) => name[0] === tag[0]);
    b.data[c * MARKS.length + MARKS.indexOf(tag.slice(1))] = score;
  }
  return createPunctuator(parseModelPackage(testPackageFiles(model)), { backend: 'js' });
}

async function shown(p: Punctuator, segments: string[], peek?: string): Promise<string[]> {
  const stream = p.createStream();
  const out: string[] = [];
  for (const s of segments) {
    const words = s.split(' ');
    const tags = await stream.tag(words);
    out.push(words.map((w, i) => applyTag(w, tags[i], p.mixedCase)).join(' '));
  }
  if (peek !== undefined) {
    const words = peek.split(' ');
    const tags = await stream.peek(words);
    out.push(words.map((w, i) => applyTag(w, tags[i], p.mixedCase)).join(' '));
  }
  return out;
}

describe('midSentenceCapitalBias', () => {
  it('lowers a capital inside a sentence that is less sure than the bias, but not a sentence-initial one', async () => {
    const scores = { c: 0.5, l: 0 };
    expect(await shown(await constantTagger(scores, {}), ['where is the cat'])).toEqual(['Where Is The Cat']);
    const p = await constantTagger(scores, { midSentenceCapitalBias: -1 });
    expect(await shown(p, ['where is the cat'])).toEqual(['Where is the cat']);
    // a surer capital (margin 1.5 > 1) stays
    const sure = await constantTagger({ c: 1.5, l: 0 }, { midSentenceCapitalBias: -1 });
    expect(await shown(sure, ['where is the cat'])).toEqual(['Where Is The Cat']);
  });

  it('chooses the case for the mark already chosen: the mark never changes, a capital stays if it wins within its mark', async () => {
    // best tag 'c,'; with the bias, 'l' (0.4) would beat 'c,' (0.5 - 1) across marks, but the mark stays ','
    const keep = await constantTagger({ 'c,': 0.5, l: 0.4, 'l,': -0.6 }, { midSentenceCapitalBias: -1 });
    expect(await shown(keep, ['where is the cat'])).toEqual(['Where, Is, The, Cat,']);
    const lower = await constantTagger({ 'c,': 0.5, l: 0.4, 'l,': -0.4 }, { midSentenceCapitalBias: -1 });
    expect(await shown(lower, ['where is the cat'])).toEqual(['Where, is, the, cat,']);
  });

  it('treats a word after . ? ! as starting a sentence', async () => {
    const p = await constantTagger({ 'c.': 0.5, 'l.': 0 }, { midSentenceCapitalBias: -1 });
    expect(await shown(p, ['where is the cat'])).toEqual(['Where. Is. The. Cat.']);
  });

  it('carries the sentence across finals without segmentEnd (and in a peek), and starts one with it', async () => {
    const scores = { c: 0.5, l: 0 };
    const carried = await constantTagger(scores, { midSentenceCapitalBias: -1 });
    expect(await shown(carried, ['where is', 'the cat'], 'a dog')).toEqual(['Where is', 'the cat', 'a dog']);
    const ended = await constantTagger(scores, { midSentenceCapitalBias: -1, segmentEnd: true });
    expect(await shown(ended, ['where is', 'the cat'], 'a dog')).toEqual(['Where is.', 'The cat.', 'A dog']);
  });
});

describe.skipIf(!existsSync(join(BUNDLED, 'model.json')))('the bundled tagger (models/default/punct)', () => {
  it('does not capitalise a common verb in mid-sentence, and still capitalises I and a sentence start', async () => {
    const p = await createPunctuator(await loadModelPackage(await nodeSource(BUNDLED)), { backend: 'js' });
    try {
      expect(p.lookahead).toBeGreaterThan(0);
      // before the capital bias: 'The cat sat on the mat and the dog Ate a bat.' (P(capitalized | 'ate') 0.64)
      expect(await shown(p, ['the cat sat on the mat and the dog ate a bat'])).toEqual([
        'The cat sat on the mat and the dog ate a bat.',
      ]);
      const [text] = await shown(p, ['hello how are you today i am fine thank you']);
      expect(text).toMatch(/^Hello/);
      expect(text).toContain(' I ');
    } finally {
      p.dispose();
    }
  }, 30_000);
});
