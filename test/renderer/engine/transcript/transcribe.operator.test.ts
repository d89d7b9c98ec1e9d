import { from, lastValueFrom, map, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { GreedyDecoder } from '../../../../renderer/engine/decoding/greedy-decoder';
import { ARPABET_39 } from '../../../../renderer/engine/decoding/lexicon';
import {
  defaultLexiconBeamConfig,
  LexiconBeamDecoder,
} from '../../../../renderer/engine/decoding/lexicon-beam-decoder';
import { buildLexiconTrie } from '../../../../renderer/engine/decoding/lexicon-trie';
import type { LogProbChunk } from '../../../../renderer/engine/decoding/log-prob-chunk';
import { transcribe } from '../../../../renderer/engine/transcript/transcribe.operator';
import { FakeBigramScorer } from '../decoding/fake-bigram-scorer';
import { logProbsFrom } from '../decoding/posterior-builder';

const CHARS = ['_', ' ', ...'abcdefghijklmnopqrstuvwxyz'];
const chunk = (frames: string[]): LogProbChunk => ({ logProbs: logProbsFrom(CHARS, frames), steps: frames.length });
const blanks = (n: number): string[] => new Array<string>(n).fill('_');

describe('transcribe operator', () => {
  it('emits partials, a final at the silence endpoint, and flushes the last partial on completion (marbles)', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold<LogProbChunk>('a-b-c|', {
        a: chunk(['h', 'i']),
        b: chunk(blanks(45)), // 900 ms of silence at 20 ms/step: endpoint
        c: chunk(['o', 'k']),
      });
      const decoder = new GreedyDecoder(
        { alphabet: CHARS, blank: 0, wordSeparator: ' ', units: 'characters' },
        { secondsPerStep: 0.02 },
      );
      const view = source.pipe(
        transcribe(decoder, { secondsPerStep: 0.02, alphabetSize: CHARS.length }),
        map((u) => `${u.finals.map((s) => s.text).join('+')}|${u.partial?.text ?? ''}`),
      );
      expectObservable(view).toBe('a-b-c(f|)', { a: '|hi', b: 'hi|', c: '|ok', f: 'ok|' });
    });
  });

  it('passes a malformed chunk on as an error (marbles)', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ cold, expectObservable }) => {
      const bad: LogProbChunk = { logProbs: new Float32Array(3), steps: 2 };
      const source = cold<LogProbChunk>('a-b|', { a: chunk(['o']), b: bad });
      const decoder = new GreedyDecoder({ alphabet: CHARS, blank: 0, wordSeparator: ' ', units: 'characters' });
      const view = source.pipe(
        transcribe(decoder, { secondsPerStep: 0.02, alphabetSize: CHARS.length }),
        map((u) => u.partial?.text ?? ''),
      );
      expectObservable(view).toBe(
        'a-#',
        { a: 'o' },
        // the decoder is fed one step (row) at a time: the first row is short
        new RangeError(`logProbs holds 3 values, expected steps × K = 1 × ${CHARS.length} = ${CHARS.length}`),
      );
    });
  });

  it('runs an async (scorer) decoder chunk by chunk, none dropped, and the LM picks the final words', async () => {
    const phones = ['_', ...ARPABET_39];
    const { trie } = buildLexiconTrie({ alphabet: phones, lexicon: 'there DH EH R\ntheir DH EH R\ncar K AA R\n' });
    const scorer = new FakeBigramScorer(1, 0, ['there', 'their', 'car'], { 'their car': -1 }, -6);
    const decoder = new LexiconBeamDecoder({ alphabet: phones, blank: 0 }, trie, defaultLexiconBeamConfig(), scorer);
    expect(decoder.isAsync).toBe(true);
    const f = ['_', 'DH', 'EH', 'R', '_', 'K', 'AA', 'R', '_'];
    const chunks: LogProbChunk[] = [
      { logProbs: logProbsFrom(phones, f.slice(0, 4)), steps: 4 },
      { logProbs: logProbsFrom(phones, f.slice(4)), steps: 5 },
    ];
    const updates = await lastValueFrom(
      from(chunks).pipe(transcribe(decoder, { secondsPerStep: 0.02, alphabetSize: phones.length }), toArray()),
    );
    expect(updates).toHaveLength(3); // one per chunk, then the flush
    expect(updates.map((u) => u.chunk)).toEqual([chunks[0], chunks[1], null]);
    expect(updates.flatMap((u) => u.finals).map((s) => s.text)).toEqual(['their car']);
    expect(updates[2].partial).toBeNull();
  });
});
