import type { OperatorFunction } from 'rxjs';
import type { FeatureSpec } from '../../../../models/package/model-spec';
import { Normalizer } from '../../features/normalizer';
import type { FeatureBlock, NormalizedBlock, StageClock } from '../blocks';
import { syncStage } from './stage';

/**
 * features$ → normalised features$: (x - mean) / std with the model's statistics, token by token, on
 * copies (the raw frames stay in `features` for the spectrogram). Each subscription is a stream of its
 * own: with running normalisation its mean starts again from the stored one.
 *
 * @example
 * features$.pipe(normalize(spec.normalization, 40))
 */
export function normalize(
  normalization: FeatureSpec['normalization'],
  size: number,
  clock?: StageClock,
): OperatorFunction<FeatureBlock, NormalizedBlock> {
  return syncStage(
    'normalize',
    () => {
      const normalizer = new Normalizer(normalization, size);
      return {
        next: (block) => ({ ...block, normalized: block.features.map((f) => normalizer.apply(Float32Array.from(f))) }),
        free: () => normalizer.reset(),
      };
    },
    clock,
    'featuresMs',
  );
}
