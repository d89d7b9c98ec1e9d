import type { OperatorFunction } from 'rxjs';
import type { FeatureSpec } from '../../../../models/package/model-spec';
import { Featurizer } from '../../features/featurizer';
import type { FeatureBlock, SampleBlock, StageClock } from '../blocks';
import { syncStage } from './stage';

/**
 * samples$ → features$: blocks of samples (any size, at spec.sampleRate) in; out, per block, one feature
 * vector (token) per hop it completed, computed by meyda (log-mel or MFCC as the model's spec says).
 * The framer keeps the samples of an unfinished window for the next block.
 *
 * @example
 * samples$.pipe(featurize(model.features)).subscribe((b) => console.log(b.features.length)); // 10 per 100 ms
 */
export function featurize(spec: FeatureSpec, clock?: StageClock): OperatorFunction<SampleBlock, FeatureBlock> {
  return syncStage(
    'features',
    () => {
      const featurizer = new Featurizer(spec);
      return {
        next: (block) => ({ features: block.samples.length ? featurizer.push(block.samples) : [], level: block.level }),
        free: () => featurizer.reset(),
      };
    },
    clock,
    'featuresMs',
  );
}
