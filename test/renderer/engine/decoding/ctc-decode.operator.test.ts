import { from, lastValueFrom, map, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { ctcDecode } from '../../../../renderer/engine/decoding/ctc-decode.operator';
import { GreedyDecoder } from '../../../../renderer/engine/decoding/greedy-decoder';
import { ARPABET_39 } from '../../../../renderer/engine/decoding/lexicon';
import { buildLexiconTrie } from '../../../../renderer/engine/decoding/lexicon-trie';
import { defaultLexiconBeamConfig, LexiconBeamDecoder } from '../../../../renderer/engine/decoding/lexicon-beam-decoder';
import type { LogProbChunk } from '../../../../renderer/engine/decoding/log-prob-chunk';
import { FakeBigramScorer } from './fake-bigram-scorer';
import { logProbsFrom } from './posterior-builder';

const CHARS = ['_', ' ', ...'abcdefghijklmnopqrstuvwxyz'];
const chunk = (frames: string[]): LogProbChunk => ({ logProbs: logProbsFrom(CHARS, frames), steps: frames.length });

describe('ctcDecode operator', () => {
  it('emits the partial text in the frame of each chunk, then the final text on completion (marbles)', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold<LogProbChunk>('a-b--c|', { a: chunk(['h', 'i']), b: chunk([' ', '_', 'y']), c: chunk(['o', '_']) });
      const decoder = new GreedyDecoder({ alphabet: CHARS, blank: 0, wordSeparator: ' ', units: 'characters' });
      expectObservable(source.pipe(ctcDecode(decoder), map((r) => r.text))).toBe('a-b--c(f|)', {
        a: 'hi', b: 'hi y', c: 'hi yo', f: 'hi yo',
      });
    });
  });

  it('propagates a malformed chunk as an error (marbles)', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ cold, expectObservable }) => {
      const bad: LogProbChunk = { logProbs: new Float32Array(3), steps: 2 };
      const source = cold<LogProbChunk>('a-b|', { a: chunk(['o']), b: bad });
      const decoder = new GreedyDecoder({ alphabet: CHARS, blank: 0, wordSeparator: ' ', units: 'characters' });
      expectObservable(source.pipe(ctcDecode(decoder), map((r) => r.text))).toBe(
        'a-#', { a: 'o' }, new RangeError(`logProbs holds 3 values, expected steps × K = 2 × ${CHARS.length} = ${2 * CHARS.length}`),
      );
    });
  });

  it('runs an async (scorer) decoder chunk by chunk and finalizes with the LM', async () => {
    const phones = ['_', ...ARPABET_39];
    const { trie } = buildLexiconTrie({ alphabet: phones, lexicon: 'there DH EH R\ntheir DH EH R\ncar K AA R\n' });
    const scorer = new FakeBigramScorer(1, 0, ['there', 'their', 'car'], { 'their car': -1 }, -6);
    const decoder = new LexiconBeamDecoder({ alphabet: phones, blank: 0 }, trie, defaultLexiconBeamConfig(), scorer);
    const f = ['_', 'DH', 'EH', 'R', '_', 'K', 'AA', 'R', '_'];
    const chunks: LogProbChunk[] = [
      { logProbs: logProbsFrom(phones, f.slice(0, 4)), steps: 4 },
      { logProbs: logProbsFrom(phones, f.slice(4)), steps: 5 },
    ];
    const results = await lastValueFrom(from(chunks).pipe(ctcDecode(decoder), toArray()));
    expect(results).toHaveLength(3);
    expect(results[2].text).toBe('their car');
  });
});
