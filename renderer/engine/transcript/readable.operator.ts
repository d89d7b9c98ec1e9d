import type { OperatorFunction } from 'rxjs';
import type { StageClock } from '../pipeline/blocks';
import { asyncStage } from '../pipeline/operators/stage';
import { ReadableText, type ReadableModels } from './readable';
import type { Segment } from './segment';

/**
 * updates$ → readable updates$: final segments get their spelled guesses, capitals and punctuation
 * (rewritten in place, so the punctuator's state runs on from one final to the next), the partial a
 * displayed copy. Updates are taken one after the other: none is dropped or reordered. Each
 * subscription has its own punctuator state.
 *
 * @example
 * updates$.pipe(readable({ punctuator, speller }))
 */
export function readable<T extends { finals: Segment[]; partial: Segment | null }>(
  models: ReadableModels,
  clock?: StageClock,
): OperatorFunction<T, T> {
  return asyncStage('readable text', () => {
    const text = new ReadableText(models);
    return {
      next: async (update: T): Promise<T> => {
        const t0 = clock?.now() ?? 0;
        for (const f of update.finals) await text.final(f);
        const partial = update.partial ? await text.partial(update.partial) : null;
        if (clock) clock.times.readableMs += clock.now() - t0;
        return { ...update, partial };
      },
      free: () => text.reset(),
    };
  });
}
