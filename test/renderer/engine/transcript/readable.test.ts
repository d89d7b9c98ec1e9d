import { describe, expect, it } from 'vitest';
import { createPunctuator } from '../../../../models/language/punctuator';
import { createSpeller } from '../../../../models/language/speller';
import { parseModelPackage } from '../../../../models/package/load-package';
import type { DecodedWord } from '../../../../renderer/engine/decoding/decode-result';
import { toTranscriptJson } from '../../../../renderer/engine/export/json';
import { ReadableText } from '../../../../renderer/engine/transcript/readable';
import type { Segment } from '../../../../renderer/engine/transcript/segment';
import { makePunctuationModel, makeSpellingModel, testPackageFiles } from '../../../fixtures/make-test-models';

const punctPkg = parseModelPackage(testPackageFiles(makePunctuationModel({ seed: 41 })));
const spellPkg = parseModelPackage(testPackageFiles(makeSpellingModel({ seed: 42 })));

/** Words split on spaces, or on '|' when one holds spaces (a `/PH PH/` word). */
function segment(id: number, text: string, extra: Partial<DecodedWord>[] = []): Segment {
  const words = text
    .split(text.includes('|') ? '|' : ' ')
    .map((word, i) => ({ word, start: id + i * 0.1, end: id + i * 0.1 + 0.08, confidence: 0.9, ...extra[i] }));
  return {
    id,
    start: words[0].start,
    end: words[words.length - 1].end,
    text: words.map((w) => w.word).join(' '),
    words,
    final: true,
  };
}

describe('ReadableText', () => {
  it("writes the punctuator's display into word and text, keeps the recogniser's word as raw, and carries the state across finals", async () => {
    const punctuator = await createPunctuator(punctPkg, { backend: 'js' });
    const readable = new ReadableText({ punctuator });
    const a = segment(0, 'the cat is where');
    const b = segment(1, 'you i see the dog');
    await readable.final(a);
    await readable.final(b);
    for (const s of [a, b]) {
      expect(s.text).toBe(s.words.map((w) => w.word).join(' '));
      for (const w of s.words) expect((w.raw ?? w.word).toLowerCase()).toBe(w.raw ?? w.word);
      expect(s.words.map((w) => w.raw ?? w.word).join(' ')).toBe(s === a ? 'the cat is where' : 'you i see the dog');
    }
    // the second segment read after the first is tagged as the stream's own tag() does, not from a fresh state
    const fresh = punctuator.createStream();
    const carried = punctuator.createStream();
    await carried.tag('the cat is where'.split(' '));
    const after = await carried.tag('you i see the dog'.split(' '));
    expect(b.words.map((w) => w.word)).toEqual(
      'you i see the dog'.split(' ').map((w, i) => {
        const t = after[i];
        const c = t.case === 'lower' ? w : t.case === 'upper' ? w.toUpperCase() : w[0].toUpperCase() + w.slice(1);
        return c + t.mark;
      }),
    );
    expect(await fresh.tag(['you'])).toBeDefined();
    // JSON keeps the raw words with their timings and the display text
    const json = toTranscriptJson([a]);
    expect(json.segments[0].text).toBe(a.text);
    expect(json.segments[0].words.map((w) => w.word)).toEqual(['the', 'cat', 'is', 'where']);
    punctuator.dispose();
  });

  it('tags a partial without moving the state, and only when asked', async () => {
    const punctuator = await createPunctuator(punctPkg, { backend: 'reference' });
    const on = new ReadableText({ punctuator, partial: true });
    const off = new ReadableText({ punctuator });
    const p = { ...segment(0, 'where is the'), final: false };
    expect(await off.partial(p)).toBe(p);
    const shown = await on.partial(p);
    expect(shown).not.toBe(p);
    expect(p.text).toBe('where is the'); // the partial itself is not changed
    const a = segment(0, 'where is the cat');
    const b = segment(0, 'where is the cat');
    await on.final(a); // after a peek
    await new ReadableText({ punctuator }).final(b); // without one
    expect(a.text).toBe(b.text);
    punctuator.dispose();
  });

  it('spells a /PH PH/ unknown word as a guess with its phonemes, and leaves other words alone', async () => {
    const speller = await createSpeller(spellPkg, { backend: 'js' });
    const readable = new ReadableText({ speller });
    const s = segment(0, 'the|/K AE T/|sat', [{}, { unknown: true }, {}]);
    await readable.final(s);
    const guess = s.words[1];
    expect(guess.guess).toBe(true);
    expect(guess.phonemes).toBe('K AE T');
    expect(guess.raw).toBe('/K AE T/');
    expect(guess.word).toBe(await speller.spell('K AE T'));
    expect(guess.word).toMatch(/^[a-z']+$/);
    expect(s.words[0]).toMatchObject({ word: 'the' });
    expect(s.words[0].guess).toBeUndefined();
    expect(s.text).toBe(`the ${guess.word} sat`);
    const json = toTranscriptJson([s]);
    expect(json.segments[0].words[1]).toMatchObject({
      word: '/K AE T/',
      display: guess.word,
      guess: true,
      phonemes: 'K AE T',
    });
    speller.dispose();
  });
});

describe('the engine with readable models', () => {
  it('rewrites its finals (raw kept), and params.readable = false leaves the raw words', async () => {
    const { createEngine } = await import('../../../../renderer/engine');
    const { makePhonemeCtcModel } = await import('../../../fixtures/make-test-models');
    const acoustic = parseModelPackage(testPackageFiles(makePhonemeCtcModel({ hiddenSizes: [8], seed: 31 })));
    // a seeded noise burst: the random test model decodes it to some words
    let x = 7;
    const audio = new Float32Array(16000 * 2).map(
      () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5) * 0.6,
    );
    const run = async (readable: boolean): Promise<Segment[]> => {
      const engine = await createEngine({ acoustic, punctuation: punctPkg }, { backend: 'js', readable });
      expect(engine.info.punctuationName).toBe(readable ? punctPkg.json.name : null);
      const { segments } = await engine.transcribe(audio, 16000);
      engine.dispose();
      return segments;
    };
    const raw = await run(false);
    const shown = await run(true);
    expect(raw.length).toBeGreaterThan(0);
    expect(shown.map((s) => s.words.map((w) => w.raw ?? w.word).join(' '))).toEqual(raw.map((s) => s.text));
    for (const s of shown) expect(s.text).toBe(s.words.map((w) => w.word).join(' '));
    for (const s of raw) for (const w of s.words) expect(w.raw).toBeUndefined();
    // the random tagger changes some word
    expect(shown.some((s) => s.words.some((w) => w.raw !== undefined))).toBe(true);
  });
});
