import type { OperatorFunction } from 'rxjs';
import type { RnnStack } from '../../../../models/rnn/rnn-types';
import type { PosteriorBlock, StageClock, StepBlock } from '../blocks';
import { asyncStage } from './stage';

/** What the stage needs of an RNN stack; forward may answer synchronously (a test double). */
export type StepModel = Pick<RnnStack, 'inputSize' | 'outputSize' | 'initialState'> & {
  forward(
    x: Float32Array,
    steps: number,
    state: Parameters<RnnStack['forward']>[2],
  ): Promise<Float32Array> | Float32Array;
};

/**
 * steps$ → posteriors$: runs the many-to-many RNN one step per stacked input, carrying its state from
 * block to block (so the output does not depend on the block sizes), and emits steps × K log-posteriors
 * per block. A block that arrives while the RNN runs (a gpu.js backend awaits) waits its turn; none is
 * dropped. Unsubscribing drops the queued blocks and the state.
 *
 * @example
 * steps$.pipe(acousticStep(model.rnn)).subscribe(({ logProbs, steps }) => ...)
 */
export function acousticStep(rnn: StepModel, clock?: StageClock): OperatorFunction<StepBlock, PosteriorBlock> {
  return asyncStage('acoustic model', () => {
    let state = rnn.initialState(1);
    const size = rnn.inputSize;
    let x = new Float32Array(16 * size);
    return {
      next: (block) => {
        const n = block.inputs.length;
        if (n === 0) return { features: block.features, level: block.level, logProbs: new Float32Array(0), steps: 0 };
        if (n * size > x.length) x = new Float32Array(Math.max(2 * x.length, n * size));
        for (let i = 0; i < n; i++) x.set(block.inputs[i], i * size);
        const t0 = clock?.now() ?? 0;
        const done = (logProbs: Float32Array): PosteriorBlock => {
          if (clock) clock.times.acousticMs += clock.now() - t0;
          return { features: block.features, level: block.level, logProbs, steps: n };
        };
        const out = rnn.forward(x.subarray(0, n * size), n, state);
        return out instanceof Promise ? out.then(done) : done(out);
      },
      free: () => {
        state = rnn.initialState(1);
      },
    };
  });
}
