import { map, type OperatorFunction } from 'rxjs';
import type { FeatureSpec } from '../../../../models/package/model-spec';
import { Normalizer } from '../../features/normalizer';

/**
 * features$ → normalised features$: (x - mean) / std with the model's training statistics.
 *
 * @example
 * features$.pipe(normalize(spec.normalization, 40))
 */
export function normalize(normalization: FeatureSpec['normalization'], size: number): OperatorFunction<Float32Array, Float32Array> {
  const normalizer = new Normalizer(normalization, size);
  return map((x) => normalizer.apply(Float32Array.from(x)));
}
