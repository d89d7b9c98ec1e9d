import { settledSegments, type Segment } from '../transcript/segment';

export const TRANSCRIPT_JSON_FORMAT = 'earshot-transcript';
export const TRANSCRIPT_JSON_VERSION = 1;

export interface TranscriptJson {
  format: typeof TRANSCRIPT_JSON_FORMAT;
  version: number;
  segments: Array<{
    start: number;
    end: number;
    /** The displayed text (punctuation, capitals, spelled guesses when those models ran). */
    text: string;
    /**
     * `word` is the recogniser's own word (lower case; `/PH PH/` for sounds outside the lexicon), with its timing;
     * `display` the word as shown when that differs; `guess` and `phonemes` mark a spelled guess.
     */
    words: Array<{
      word: string;
      start: number;
      end: number;
      confidence: number;
      display?: string;
      guess?: boolean;
      phonemes?: string;
    }>;
  }>;
}

/**
 * Seconds rounded to the millisecond, confidences to 3 decimals (stable, compact files). Tentative words are left out.
 */
export function toTranscriptJson(segments: readonly Segment[]): TranscriptJson {
  return {
    format: TRANSCRIPT_JSON_FORMAT,
    version: TRANSCRIPT_JSON_VERSION,
    segments: settledSegments(segments).map((s) => ({
      start: ms(s.start),
      end: ms(s.end),
      text: s.text,
      words: s.words.map((w) => ({
        word: w.raw ?? w.word,
        start: ms(w.start),
        end: ms(w.end),
        confidence: Math.round(w.confidence * 1000) / 1000,
        ...(w.raw !== undefined && w.raw !== w.word ? { display: w.word } : {}),
        ...(w.guess ? { guess: true, phonemes: w.phonemes } : {}),
      })),
    })),
  };
}

export function toJson(segments: readonly Segment[]): string {
  return JSON.stringify(toTranscriptJson(segments), null, 2) + '\n';
}

/** Reads a transcript JSON file back; throws with the offending path on a wrong shape or a newer version. */
export function parseTranscriptJson(text: string): TranscriptJson {
  const data = JSON.parse(text) as Partial<TranscriptJson>;
  if (data.format !== TRANSCRIPT_JSON_FORMAT)
    throw new Error(`transcript JSON: format is '${String(data.format)}', expected '${TRANSCRIPT_JSON_FORMAT}'`);
  if (typeof data.version !== 'number' || data.version > TRANSCRIPT_JSON_VERSION) {
    throw new Error(
      `transcript JSON: version ${String(data.version)} is not supported (max ${TRANSCRIPT_JSON_VERSION})`,
    );
  }
  if (!Array.isArray(data.segments)) throw new Error('transcript JSON: segments must be an array');
  data.segments.forEach((s, i) => {
    if (
      typeof s.start !== 'number' ||
      typeof s.end !== 'number' ||
      typeof s.text !== 'string' ||
      !Array.isArray(s.words)
    ) {
      throw new Error(`transcript JSON: segments[${i}] needs start, end (numbers), text (string), words (array)`);
    }
  });
  return data as TranscriptJson;
}

function ms(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}
