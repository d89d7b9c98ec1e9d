/**
 * Pronunciation lexicon text formats.
 *
 * Lexicon (CMUdict style), one entry per line:
 *     word PH1 PH2 ...          e.g.  `read R EH1 D`
 *     word(2) PH1 PH2 ...       a pronunciation variant of `word`
 *     word                      (user lexicons) a word without a pronunciation: reported as unknown
 * Lines starting with `;;;` or `#` are comments; a `#` token ends the line. Words are lowercased,
 * stress digits are stripped (`EH1` → `EH`) so the phoneme set is the 39 ARPAbet phonemes.
 *
 * Word counts, one per line: `word<TAB>count` (any whitespace accepted).
 *
 * Pure functions, no I/O: the caller reads the files (Node, fetch, or a model package).
 */
import { parseWordCountLines } from '../../../models/package/word-counts';

/**
 * The 39 stress-free ARPAbet phonemes used by CMUdict, in the order of the recipe's phoneme models' output rows
 * after the blank (models/recipe/phonemes.ts; models/recipe/gmm_gen/generate.py reads this list from this file).
 */
export const ARPABET_39: readonly string[] = [
  'AA',
  'AE',
  'AH',
  'AO',
  'AW',
  'AY',
  'B',
  'CH',
  'D',
  'DH',
  'EH',
  'ER',
  'EY',
  'F',
  'G',
  'HH',
  'IH',
  'IY',
  'JH',
  'K',
  'L',
  'M',
  'N',
  'NG',
  'OW',
  'OY',
  'P',
  'R',
  'S',
  'SH',
  'T',
  'TH',
  'UH',
  'UW',
  'V',
  'W',
  'Y',
  'Z',
  'ZH',
];

export interface LexiconEntry {
  /** Lowercased spelling without the `(n)` variant marker. */
  word: string;
  /** Stress-free phoneme symbols, e.g. ['R', 'EH', 'D']. */
  phonemes: string[];
}

export interface LexiconProblem {
  /** 1-based line number in the parsed text. */
  line: number;
  text: string;
  reason: string;
}

export interface ParsedLexicon {
  entries: LexiconEntry[];
  /** Words listed without a pronunciation, in order of appearance, deduplicated. */
  unknown: string[];
  /** Lines that could not be read (never silently dropped). */
  problems: LexiconProblem[];
}

const VARIANT_SUFFIX = /\(\d+\)$/;
const STRESS_SUFFIX = /[0-9]+$/;

/** `Read(2)` → `read`. */
export function normalizeWord(raw: string): string {
  const word = raw.charCodeAt(raw.length - 1) === 41 /* ) */ ? raw.replace(VARIANT_SUFFIX, '') : raw;
  return word.toLowerCase();
}

/** `EH1` → `EH`; also uppercases (`eh1` → `EH`). */
export function stripStress(phoneme: string): string {
  return phoneme.replace(STRESS_SUFFIX, '').toUpperCase();
}

/** What `forEachLexiconLine` reports, line by line, in order. */
export interface LexiconVisitor {
  /** A word with a pronunciation. `phonemes` is a fresh array the visitor may keep. `line` is 1-based. */
  entry(word: string, phonemes: string[], line: number): void;
  /** A word without a pronunciation (every occurrence; deduplicate if needed). */
  unknown(word: string, line: number): void;
  problem(problem: LexiconProblem): void;
}

export interface LexiconParseOptions {
  /**
   * Refuse phoneme symbols written in lower case (user lexicons: `cat k ae t` is reported, not
   * guessed at). CMUdict and the model packages write them in capitals; without this they are
   * upper-cased.
   */
  upperCasePhonemes?: boolean;
}

/**
 * Parses lexicon text, handing each line to `visit` as it goes: nothing is accumulated, so a
 * caller that consumes entries at once (the trie builder) never holds all 135k CMUdict entries.
 * Never throws on bad lines: they are reported as problems.
 * Hand-rolled tokenizer (no regex per token): the 134k-line CMUdict parses in ~100-200 ms.
 */
export function forEachLexiconLine(text: string, visit: LexiconVisitor, options: LexiconParseOptions = {}): void {
  const tokens: string[] = [];
  const symbols = new Map<string, string | null>(); // token → phoneme symbol: 'AH0' and friends repeat
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0; // BOM
  let lineNo = 0;
  while (pos < text.length) {
    let eol = text.indexOf('\n', pos);
    if (eol < 0) eol = text.length;
    lineNo++;
    const lineStart = pos;
    tokenize(text, pos, eol, tokens);
    pos = eol + 1;
    if (tokens.length === 0 || tokens[0].startsWith(';;;') || tokens[0].startsWith('#')) continue;
    const word = normalizeWord(tokens[0]);
    if (word.length === 0) {
      visit.problem({ line: lineNo, text: text.slice(lineStart, eol), reason: 'empty word' });
      continue;
    }
    if (tokens.length === 1) {
      visit.unknown(word, lineNo);
      continue;
    }
    const phonemes = new Array<string>(tokens.length - 1);
    let bad: string | null = null;
    for (let p = 1; p < tokens.length; p++) {
      let ph = symbols.get(tokens[p]);
      if (ph === undefined) {
        ph = phonemeSymbol(tokens[p]);
        symbols.set(tokens[p], ph);
      }
      if (ph === null) bad = tokens[p];
      else phonemes[p - 1] = ph;
    }
    if (bad !== null) {
      visit.problem({ line: lineNo, text: text.slice(lineStart, eol), reason: `bad phoneme symbol '${bad}'` });
      continue;
    }
    const lower = options.upperCasePhonemes ? tokens.find((t, p) => p > 0 && t !== t.toUpperCase()) : undefined;
    if (lower !== undefined) {
      visit.problem({
        line: lineNo,
        text: text.slice(lineStart, eol),
        reason: `phoneme '${lower}' is in lower case (ARPAbet symbols are capitals: ${stripStress(lower)})`,
      });
      continue;
    }
    visit.entry(word, phonemes, lineNo);
  }
}

/** Parses lexicon text into entries, unknown words and problems. Never throws on bad lines. */
export function parseLexicon(text: string): ParsedLexicon {
  const entries: LexiconEntry[] = [];
  const unknown: string[] = [];
  const unknownSeen = new Set<string>();
  const problems: LexiconProblem[] = [];
  forEachLexiconLine(text, {
    entry: (word, phonemes) => entries.push({ word, phonemes }),
    unknown: (word) => {
      if (!unknownSeen.has(word)) {
        unknownSeen.add(word);
        unknown.push(word);
      }
    },
    problem: (p) => problems.push(p),
  });
  return { entries, unknown, problems };
}

export interface UserLexiconCheck {
  /** The model's unit alphabet (phonemes, plus blank etc.); default: the 39 ARPAbet phonemes. */
  alphabet?: readonly string[];
  /** Whether a word has a pronunciation elsewhere (the model's lexicon): a bare line naming it is fine. */
  isKnown?: (word: string) => boolean;
}

/**
 * The lines of a user lexicon (`--lexicon FILE`, Settings → Pronunciations) that add nothing,
 * each with its 1-based line number and the reason: a word without a pronunciation that has none
 * elsewhere either (it stays unknown), a phoneme in lower case, a symbol that is not a phoneme of
 * the model, an unreadable token. Comments and blank lines are fine. The CLI prints these as
 * FILE:LINE: reason; the engine worker hands them to the app (EngineInfo.lexiconProblems).
 */
export function checkUserLexicon(text: string, check: UserLexiconCheck = {}): LexiconProblem[] {
  const units = new Set((check.alphabet ?? ARPABET_39).map((u) => u.toUpperCase()));
  const lines = text.split('\n');
  const lineText = (n: number) => (lines[n - 1] ?? '').replace(/^\ufeff/, '').replace(/\r$/, '');
  const problems: LexiconProblem[] = [];
  forEachLexiconLine(
    text,
    {
      entry: (word, phonemes, line) => {
        const missing = phonemes.find((p) => !units.has(p));
        if (missing !== undefined)
          problems.push({
            line,
            text: lineText(line),
            reason: `'${missing}' is not a phoneme of this model (ARPAbet without stress digits: AA AE AH … ZH)`,
          });
      },
      unknown: (word, line) => {
        if (!check.isKnown?.(word))
          problems.push({
            line,
            text: lineText(line),
            reason: `'${word}' has no pronunciation, so it stays unknown (write: ${word} PH PH …)`,
          });
      },
      problem: (p) => problems.push({ ...p, text: lineText(p.line) }),
    },
    { upperCasePhonemes: true },
  );
  return problems.sort((a, b) => a.line - b.line);
}

/** Splits text[begin, end) on whitespace into `out` (cleared first); stops at a lone `#` token. */
function tokenize(text: string, begin: number, end: number, out: string[]): void {
  out.length = 0;
  let i = begin;
  while (i < end) {
    while (i < end && text.charCodeAt(i) <= 32) i++;
    if (i >= end) break;
    const s = i;
    while (i < end && text.charCodeAt(i) > 32) i++;
    const token = text.slice(s, i);
    if (token === '#' && out.length > 0) break;
    out.push(token);
  }
}

/** `eh1` → `EH`; null when the token is not letters followed by optional stress digits. */
function phonemeSymbol(token: string): string | null {
  let end = token.length;
  while (end > 0 && isDigit(token.charCodeAt(end - 1))) end--;
  if (end === 0) return null;
  for (let i = 0; i < end; i++) {
    const c = token.charCodeAt(i) | 0x20; // ASCII lowercase
    if (c < 97 || c > 122) return null;
  }
  const letters = end === token.length ? token : token.slice(0, end);
  return letters.toUpperCase();
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Parses `word<TAB>count` lines into a map (lowercased words, pronunciation-variant suffixes dropped; repeated
 * words add up). Lines without a non-negative numeric count are skipped (the package format's parser).
 */
export function parseWordCounts(text: string): Map<string, number> {
  return parseWordCountLines(text, normalizeWord);
}
