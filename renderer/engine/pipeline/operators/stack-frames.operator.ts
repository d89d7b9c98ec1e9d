import type { OperatorFunction } from 'rxjs';
import { Stacker } from '../../features/stacker';
import type { NormalizedBlock, StageClock, StepBlock } from '../blocks';
import { syncStage } from './stage';

/**
 * normalised features$ → steps$: concatenates `frames` consecutive feature vectors per RNN step,
 * advancing `stride` frames per step; frames of an unfinished step wait for the next block.
 *
 * @example
 * features$.pipe(stackFrames(3, 3, 40)) // one 120-value step per 3 frames (30 ms)
 */
export function stackFrames(
  frames: number,
  stride: number,
  featureSize: number,
  clock?: StageClock,
): OperatorFunction<NormalizedBlock, StepBlock> {
  return syncStage(
    'stack frames',
    () => {
      const stacker = new Stacker(frames, stride, featureSize);
      return {
        next: (block) => ({ features: block.features, level: block.level, inputs: stacker.push(block.normalized) }),
        free: () => stacker.reset(),
      };
    },
    clock,
    'featuresMs',
  );
}
