import { describe, expect, it } from 'vitest';
import { GreedyDecoder } from '../../../../renderer/engine/decoding/greedy-decoder';
import { defaultPrefixBeamConfig, PrefixBeamDecoder } from '../../../../renderer/engine/decoding/prefix-beam-decoder';
import { defaultEndpointConfig } from '../../../../renderer/engine/transcript/endpointer';
import type { Segment } from '../../../../renderer/engine/transcript/segment';
import { Transcriber } from '../../../../renderer/engine/transcript/transcriber';
import { FakeBigramScorer } from '../decoding/fake-bigram-scorer';
import { chunked, logProbsFrom } from '../decoding/posterior-builder';

const CHARS = ['_', ' ', ...'abcdefghijklmnopqrstuvwxyz'];
const UNITS = { alphabet: CHARS, blank: 0, wordSeparator: ' ', units: 'characters' as const };
const K = CHARS.length;
const SPS = 0.02;
const blanks = (n: number): string[] => new Array<string>(n).fill('_');
// "hi there" — 1 s of silence — "yo" — trailing 0.2 s
const FRAMES = [...blanks(5), 'h', 'i', ' ', 't', 'h', 'e', 'r', 'e', ...blanks(50), 'y', 'o', ...blanks(10)];
const LP = logProbsFrom(CHARS, FRAMES);

function transcribeSync(sizes: number[]): Segment[] {
  const tr = new Transcriber(new GreedyDecoder(UNITS, { secondsPerStep: SPS }), defaultEndpointConfig(), SPS, K);
  for (const c of chunked(LP, K, sizes)) tr.pushSync(c);
  tr.flushSync();
  return [...tr.transcript.finals];
}

describe('Transcriber', () => {
  it('finalizes a segment after 800 ms of silence and keeps absolute times across segments', () => {
    const tr = new Transcriber(new GreedyDecoder(UNITS, { secondsPerStep: SPS }), defaultEndpointConfig(), SPS, K);
    const update = tr.pushSync({ logProbs: LP, steps: FRAMES.length });
    expect(update.finals.map((s) => s.text)).toEqual(['hi there']);
    expect(update.finals[0]).toMatchObject({ id: 0, final: true });
    expect(update.finals[0].start).toBeCloseTo(5 * SPS);
    expect(update.partial).toMatchObject({ id: 1, text: 'yo', final: false });
    expect(update.partial!.start).toBeCloseTo(63 * SPS); // 'y' is step 63 of the stream
    const last = tr.flushSync();
    expect(last.finals.map((s) => s.text)).toEqual(['yo']);
    expect(last.partial).toBeNull();
    expect(tr.transcript.text()).toBe('hi there\nyo');
  });

  it('gives the same segments for any chunking of the stream', () => {
    const expected = transcribeSync([FRAMES.length]);
    expect(expected).toHaveLength(2);
    for (const sizes of [[1], [7], [3, 40, 2]]) expect(transcribeSync(sizes)).toEqual(expected);
  });

  it('drops long silence without producing empty segments', () => {
    const tr = new Transcriber(new GreedyDecoder(UNITS, { secondsPerStep: SPS }), defaultEndpointConfig(), SPS, K);
    const silence = logProbsFrom(CHARS, blanks(400));
    const update = tr.pushSync({ logProbs: silence, steps: 400 });
    expect(update).toEqual({ finals: [], partial: null });
    tr.pushSync({ logProbs: logProbsFrom(CHARS, ['o', 'k']), steps: 2 });
    const [ok] = tr.flushSync().finals;
    expect(ok.text).toBe('ok');
    expect(ok.start).toBeCloseTo(400 * SPS);
  });

  it('works with an async (scorer) decoder', async () => {
    const scorer = new FakeBigramScorer(0.5, 0, ['hi', 'there', 'yo'], {});
    const decoder = new PrefixBeamDecoder(UNITS, { ...defaultPrefixBeamConfig(), secondsPerStep: SPS }, scorer);
    const tr = new Transcriber(decoder, defaultEndpointConfig(), SPS, K);
    for (const c of chunked(LP, K, [9])) await tr.push(c);
    await tr.flush();
    expect(tr.transcript.finals.map((s) => s.text)).toEqual(['hi there', 'yo']);
  });
});
