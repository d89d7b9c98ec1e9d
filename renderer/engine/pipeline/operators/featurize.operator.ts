import { Observable, type OperatorFunction } from 'rxjs';
import type { FeatureSpec } from '../../../../models/package/model-spec';
import { Featurizer } from '../../features/featurizer';

/**
 * audio$ → features$: blocks of samples (any size, at spec.sampleRate) in, one feature vector per
 * hop out, computed by meyda (log-mel or MFCC as the model's spec says).
 *
 * @example
 * audio$.pipe(featurize(model.features)).subscribe((token) => console.log(token.length)); // 40
 */
export function featurize(spec: FeatureSpec): OperatorFunction<Float32Array, Float32Array> {
  return (source) =>
    new Observable<Float32Array>((subscriber) => {
      const featurizer = new Featurizer(spec);
      const sub = source.subscribe({
        next: (block) => {
          for (const f of featurizer.push(block)) subscriber.next(f);
        },
        error: (e) => subscriber.error(e),
        complete: () => subscriber.complete(),
      });
      return () => {
        sub.unsubscribe();
        featurizer.reset();
      };
    });
}
