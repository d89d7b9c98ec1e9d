/**
 * The stream's input contract under the conditions the benchmarks and the fuzzer exercise:
 *   - audio accepted while a decode() is still running (the app's worker does this) is neither
 *     lost nor mixed into the chunk being run: the transcript equals the one-block-at-a-time run,
 *     on a backend that awaits between steps (gpu.js 'cpu');
 *   - a sample rate that is not finite is refused (Infinity used to send the resampler into an
 *     endless loop).
 */
import { describe, expect, it } from 'vitest';
import { parseModelPackage } from '../../../../models/package/load-package';
import { createRecognizer, defaultRecognizerConfig } from '../../../../renderer/engine/pipeline/recognizer';
import { makePhonemeCtcModel, testPackageFiles } from '../../../fixtures/make-test-models';

function speechLike(seconds: number, rate = 16000): Float32Array {
  return Float32Array.from({ length: seconds * rate }, (_, i) => {
    const t = i / rate;
    return (Math.floor(t * 4) % 3 !== 2 ? 1 : 0) * 0.3 * Math.sin(2 * Math.PI * (110 + 40 * Math.sin(t * 3)) * t);
  });
}

const pkg = parseModelPackage(testPackageFiles(makePhonemeCtcModel({ hiddenSizes: [16, 12], seed: 5 })));
const strip = (s: { finals: readonly { text: string; start: number; end: number }[] }) => JSON.stringify(s.finals.map((f) => [f.text, f.start, f.end]));

describe('RecognizerStream input', () => {
  it('keeps audio accepted during an in-flight decode() for the next one, in order (gpu.js cpu backend)', async () => {
    // two recognizers whose RNN outputs are recorded: same audio, same backend → same bits, unless
    // the overlapped stream's RNN input was overwritten while it was being read
    const recorded = async () => {
      const rec = await createRecognizer(pkg, null, { ...defaultRecognizerConfig(), backend: 'cpu', decoder: 'greedy' });
      const outputs: number[] = [];
      const forward = rec.model.rnn.forward.bind(rec.model.rnn);
      rec.model.rnn.forward = async (x, steps, state) => {
        const y = await forward(x, steps, state);
        outputs.push(...y);
        return y;
      };
      return { rec, outputs };
    };
    const seq = await recorded();
    const ovl = await recorded();
    const audio = speechLike(3);
    const block = 1600;
    const sequential = seq.rec.createStream();
    const overlapped = ovl.rec.createStream();
    for (let i = 0; i < audio.length; i += 2 * block) {
      const a = audio.subarray(i, i + block);
      const b = audio.subarray(i + block, i + 2 * block);
      sequential.acceptWaveform(16000, a);
      await sequential.decode();
      sequential.acceptWaveform(16000, b);
      await sequential.decode();

      overlapped.acceptWaveform(16000, a);
      const pending = overlapped.decode();       // runs a's steps, awaiting between them
      overlapped.acceptWaveform(16000, b);        // arrives meanwhile
      await pending;
      await overlapped.decode();
    }
    await sequential.finish();
    await overlapped.finish();
    expect(ovl.outputs.length).toBe(seq.outputs.length);
    expect(ovl.outputs.length).toBeGreaterThan(1000);
    expect(ovl.outputs).toEqual(seq.outputs);
    expect(strip({ finals: overlapped.finals() })).toBe(strip({ finals: sequential.finals() }));
    seq.rec.dispose();
    ovl.rec.dispose();
  });

  it('refuses a sample rate that is not a finite positive number', async () => {
    const rec = await createRecognizer(pkg, null, { ...defaultRecognizerConfig(), backend: 'js' });
    const s = rec.createStream();
    for (const rate of [Infinity, NaN, 0, -16000]) expect(() => s.acceptWaveform(rate, new Float32Array(160))).toThrow(/finite positive/);
    rec.dispose();
  });
});
