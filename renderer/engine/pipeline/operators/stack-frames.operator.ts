import { Observable, type OperatorFunction } from 'rxjs';
import { Stacker } from '../../features/stacker';

/**
 * features$ → steps$: concatenates `frames` consecutive feature vectors per RNN step, advancing
 * `stride` frames per step.
 *
 * @example
 * features$.pipe(stackFrames(3, 3, 40)) // one 120-value step per 3 frames (30 ms)
 */
export function stackFrames(frames: number, stride: number, featureSize: number): OperatorFunction<Float32Array, Float32Array> {
  return (source) =>
    new Observable<Float32Array>((subscriber) => {
      const stacker = new Stacker(frames, stride, featureSize);
      const sub = source.subscribe({
        next: (f) => {
          for (const s of stacker.push([f])) subscriber.next(s);
        },
        error: (e) => subscriber.error(e),
        complete: () => subscriber.complete(),
      });
      return () => {
        sub.unsubscribe();
        stacker.reset();
      };
    });
}
