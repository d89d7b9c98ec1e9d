import { map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { GreedyDecoder } from '../../../../renderer/engine/decoding/greedy-decoder';
import type { LogProbChunk } from '../../../../renderer/engine/decoding/log-prob-chunk';
import { transcribe } from '../../../../renderer/engine/transcript/transcribe.operator';
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
      const decoder = new GreedyDecoder({ alphabet: CHARS, blank: 0, wordSeparator: ' ', units: 'characters' }, { secondsPerStep: 0.02 });
      const view = source.pipe(
        transcribe(decoder, { secondsPerStep: 0.02, alphabetSize: CHARS.length }),
        map((u) => `${u.finals.map((s) => s.text).join('+')}|${u.partial?.text ?? ''}`),
      );
      expectObservable(view).toBe('a-b-c(f|)', { a: '|hi', b: 'hi|', c: '|ok', f: 'ok|' });
    });
  });
});
