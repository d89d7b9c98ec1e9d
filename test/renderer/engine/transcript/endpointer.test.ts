import { describe, expect, it } from 'vitest';
import {
  defaultEndpointConfig,
  Endpointer,
  type EndpointReason,
} from '../../../../renderer/engine/transcript/endpointer';

const SPS = 0.02; // 20 ms steps

/** Feeds steps: 'x' = a decoded unit, '.' = blank; returns [step, reason] of the first endpoint. */
function run(ep: Endpointer, pattern: string): [number, EndpointReason] | null {
  let trailing = 0;
  let any = false;
  for (let t = 0; t < pattern.length; t++) {
    if (pattern[t] === 'x') {
      trailing = 0;
      any = true;
    } else trailing++;
    const reason = ep.push({ trailingBlankSteps: trailing, decodedAny: any });
    if (reason) return [t, reason];
  }
  return null;
}

describe('Endpointer', () => {
  it('ends the utterance after trailingSilenceMs (800 ms = 40 steps) of silence following speech', () => {
    const ep = new Endpointer(defaultEndpointConfig(), SPS);
    expect(run(ep, 'xxx' + '.'.repeat(39))).toBeNull();
    ep.reset();
    expect(run(ep, 'xxx' + '.'.repeat(45))).toEqual([42, 'silence']);
  });

  it('drops a silence-only utterance after maxSilenceWithoutSpeechMs', () => {
    const ep = new Endpointer(defaultEndpointConfig(), SPS);
    expect(run(ep, '.'.repeat(200))).toEqual([119, 'no-speech']); // 2400 ms / 20 ms = 120 steps
  });

  it('forces a split at maxSegmentMs during continuous speech', () => {
    const ep = new Endpointer({ ...defaultEndpointConfig(), maxSegmentMs: 1000 }, SPS);
    expect(run(ep, 'x.'.repeat(100))).toEqual([49, 'max-length']);
  });

  it('discards utterances with less speech than minSpeechMs', () => {
    const ep = new Endpointer({ ...defaultEndpointConfig(), minSpeechMs: 200 }, SPS);
    expect(run(ep, '..xx' + '.'.repeat(60))).toEqual([43, 'too-short']);
    ep.reset();
    expect(run(ep, '..' + 'x'.repeat(12) + '.'.repeat(60))).toEqual([53, 'silence']);
  });
});
