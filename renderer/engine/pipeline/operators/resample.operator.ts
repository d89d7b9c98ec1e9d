import type { OperatorFunction } from 'rxjs';
import { Resampler } from '../../audio/resampler';
import type { AudioBlock, SampleBlock, StageClock } from '../blocks';
import { syncStage } from './stage';

const EMPTY = new Float32Array(0);

function concat(a: Float32Array, b: Float32Array): Float32Array {
  if (!a.length) return b;
  if (!b.length) return a;
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/**
 * audio$ → samples$ at the model's rate: blocks of any size and rate in (the rate may change between
 * blocks: what the old rate's resampler holds is flushed first), the level meter of each block measured
 * on the input. When the input completes, what the resampler still holds comes out as one more block.
 *
 * @example
 * mic$.pipe(resampleTo(16000)) // 48 kHz blocks of 480 samples → 160 samples each
 */
export function resampleTo(rate: number, clock?: StageClock): OperatorFunction<AudioBlock, SampleBlock> {
  return syncStage(
    'resample',
    () => {
      let resampler: Resampler | null = null;
      return {
        next: ({ sampleRate, samples }) => {
          if (!(Number.isFinite(sampleRate) && sampleRate > 0))
            throw new RangeError(`sample rate ${sampleRate} is not a finite positive number`);
          let sumSquares = 0;
          for (let i = 0; i < samples.length; i++) sumSquares += samples[i] * samples[i];
          let held: Float32Array = EMPTY;
          if (!resampler || resampler.inRate !== sampleRate) {
            if (resampler) held = resampler.flush();
            resampler = new Resampler(sampleRate, rate);
          }
          return { samples: concat(held, resampler.push(samples)), level: { sumSquares, count: samples.length } };
        },
        end: () => (resampler ? { samples: resampler.flush(), level: { sumSquares: 0, count: 0 } } : null),
        free: () => {
          resampler = null;
        },
      };
    },
    clock,
    'featuresMs',
  );
}
