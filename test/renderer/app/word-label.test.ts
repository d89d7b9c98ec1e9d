import { describe, expect, it } from 'vitest';
import { bareWord, guessSpelling, pronunciationOffer, withPronunciation } from '../../../renderer/app/view/word-label';
import type { DecodedWord } from '../../../renderer/worker/protocol';

const at = { start: 1, end: 1.5, confidence: 0.4 };
/** What readable.ts makes of /IH N S IH L AH P IY CH/ at the end of a sentence. */
const guess: DecodedWord = {
  ...at,
  word: 'incilopech.',
  raw: '/IH N S IH L AH P IY CH/',
  unknown: true,
  guess: true,
  phonemes: 'IH N S IH L AH P IY CH',
};

describe('the word a popover names', () => {
  it('is a spelled guess without the mark or quotes around it', () => {
    expect(bareWord(guess)).toBe('incilopech');
    expect(bareWord({ ...guess, word: 'Incilopech,' })).toBe('Incilopech');
    expect(bareWord({ ...guess, word: '“incilopech?!”' })).toBe('incilopech');
    expect(bareWord({ ...guess, word: "students'." })).toBe("students'");
  });

  it('is a lexicon word in its displayed case, without the mark the punctuator appended', () => {
    expect(bareWord({ ...at, word: 'There.', raw: 'there' })).toBe('There');
    expect(bareWord({ ...at, word: 'McDonald,', raw: 'mcdonald' })).toBe('McDonald');
    expect(bareWord({ ...at, word: 'U.S.', raw: 'u.s.' })).toBe('U.S.'); // its own dots are the word's
    expect(bareWord({ ...at, word: 'U.S.?', raw: 'u.s.' })).toBe('U.S.');
  });

  it('is the word as is without the readable-text stage (raw words, /PH PH/ unknowns, edited words)', () => {
    expect(bareWord({ ...at, word: 'there' })).toBe('there');
    expect(bareWord({ ...at, word: '/IH N S/', unknown: true })).toBe('/IH N S/');
    expect(bareWord({ ...at, word: 'ok.' })).toBe('ok.'); // a person typed it so
  });

  it('adds a guess to the pronunciations in lower case, letters and apostrophes only', () => {
    expect(guessSpelling({ ...guess, word: 'Incilopech.' })).toBe('incilopech');
    expect(guessSpelling({ ...guess, word: '!' })).toBe('');
  });
});

describe('a spelled guess → Settings → Pronunciations', () => {
  it('offers and writes the bare word, not the displayed "Incilopech."', () => {
    const offer = pronunciationOffer({ ...guess, word: 'Incilopech.' });
    expect(offer).toEqual({
      spelling: 'incilopech',
      phonemes: 'IH N S IH L AH P IY CH',
      line: 'incilopech IH N S IH L AH P IY CH',
    });
    expect(withPronunciation('cat K AE T', offer!.line)).toBe('cat K AE T\nincilopech IH N S IH L AH P IY CH\n');
    expect(withPronunciation('\n  \n', offer!.line)).toBe('incilopech IH N S IH L AH P IY CH\n');
    // a second click finds the line already there (spacing aside)
    expect(withPronunciation('cat K AE T\r\n incilopech  IH N S IH L AH P IY CH \n', offer!.line)).toBeNull();
  });

  it('offers nothing for a lexicon word, a raw unknown or a guess without letters', () => {
    expect(pronunciationOffer({ ...at, word: 'There.', raw: 'there' })).toBeNull();
    expect(pronunciationOffer({ ...at, word: '/IH N S/', unknown: true })).toBeNull();
    expect(pronunciationOffer({ ...guess, word: '?' })).toBeNull();
    expect(pronunciationOffer({ ...guess, phonemes: undefined })).toBeNull();
  });
});
