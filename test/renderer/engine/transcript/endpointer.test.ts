import { describe, expect, it } from 'vitest';
import { defaultEndpointConfig, Endpointer, type EndpointReason } from '../../../../renderer/engine/transcript/endpointer';

const SPS = 0.02; // 20 ms steps

/** Feeds steps: 'x' = a decoded unit, '.' = blank (with optional VAD flags); returns [step, reason] of the first endpoint. */
function run(ep: Endpointer, pattern: string, vad?: string): [number, EndpointReason] | null {
  let trailing = 0;
  let any = false;
  for (let t = 0; t < pattern.length; t++) {
    if (pattern[t] === 'x') {
      trailing = 0;
      any = true;
    } else trailing++;
    const reason = ep.push({ trailingBlankSteps: trailing, decodedAny: any, speech: vad ? vad[t] === 's' : undefined });
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

  it("with silenceSource 'both', waits until the VAD also hears silence", () => {
    const ep = new Endpointer(defaultEndpointConfig(), SPS);
    // decoder silent after step 2, VAD hears speech until step 29
    const pattern = 'xxx' + '.'.repeat(100);
    const vad = 's'.repeat(30) + '-'.repeat(73);
    expect(run(ep, pattern, vad)).toEqual([69, 'silence']); // 40 VAD-silent steps: 30..69
  });

  it("with silenceSource 'decoder', ignores the VAD", () => {
    const ep = new Endpointer({ ...defaultEndpointConfig(), silenceSource: 'decoder' }, SPS);
    expect(run(ep, 'xxx' + '.'.repeat(100), 's'.repeat(103))).toEqual([42, 'silence']);
  });
});
