import { defer, map, type Observable, type OperatorFunction } from 'rxjs';
import type { FeatureSpec } from '../../../../models/package/model-spec';
import { Normalizer } from '../../features/normalizer';

/**
 * features$ → normalised features$: (x - mean) / std with the model's statistics. Each subscription
 * is a stream of its own: with running normalisation its mean starts again from the stored one.
 *
 * @example
 * features$.pipe(normalize(spec.normalization, 40))
 */
export function normalize(normalization: FeatureSpec['normalization'], size: number): OperatorFunction<Float32Array, Float32Array> {
  return (source: Observable<Float32Array>) =>
    defer(() => {
      const normalizer = new Normalizer(normalization, size);
      return source.pipe(map((x) => normalizer.apply(Float32Array.from(x))));
    });
}
