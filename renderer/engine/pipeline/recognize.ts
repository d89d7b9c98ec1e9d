import { identity, map, type OperatorFunction } from 'rxjs';
import type { CtcDecoder } from '../decoding/decode-result';
import { featureSize } from '../features/log-mel';
import type { EndpointConfig } from '../transcript/endpointer';
import { readable } from '../transcript/readable.operator';
import type { ReadableModels } from '../transcript/readable';
import { transcribe } from '../transcript/transcribe.operator';
import type { AcousticModel } from './acoustic-model';
import { levelDb, type AudioBlock, type EngineUpdate, type StageClock } from './blocks';
import { acousticStep, type StepModel } from './operators/acoustic-step.operator';
import { featurize } from './operators/featurize.operator';
import { normalize } from './operators/normalize.operator';
import { resampleTo } from './operators/resample.operator';
import { stackFrames } from './operators/stack-frames.operator';

export interface RecognizeOptions {
  /** The acoustic model's spec; `rnn` may be a synchronous test double. */
  model: Pick<AcousticModel, 'features' | 'stacking' | 'output' | 'secondsPerStep'> & { rnn: StepModel };
  /** The decoder of this stream (each subscription needs its own: it holds the beam). */
  decoder: CtcDecoder;
  endpoint: EndpointConfig;
  /** Punctuation, capitals and spelled guesses; null: the recogniser's own words. */
  readable: ReadableModels | null;
  /** Where each stage adds its time. */
  clock?: StageClock;
}

/**
 * The whole streaming pipeline as one operator, its stages piped in the order the data flows:
 *
 *   audio$ → resampleTo (the model's rate, level meter) → featurize (meyda) → normalize → stackFrames
 *   → acousticStep (the RNN, one step per stacked frame) → transcribe (CTC decoding with the LM,
 *   endpointing) → readable (punctuation, capitals, spelled guesses) → updates$
 *
 * One update per audio block, in order, then one more when the input completes (the partial flushed
 * as final). Every stage holds its own state for this subscription; unsubscribing stops the work and
 * lets it all go. The same audio gives the same transcript whatever the block sizes.
 */
export function recognize(options: RecognizeOptions): OperatorFunction<AudioBlock, EngineUpdate> {
  const { model, decoder, clock } = options;
  const size = featureSize(model.features);
  return (audio$) =>
    audio$.pipe(
      resampleTo(model.features.sampleRate, clock),
      featurize(model.features, clock),
      normalize(model.features.normalization, size, clock),
      stackFrames(model.stacking.frames, model.stacking.stride, size, clock),
      acousticStep(model.rnn, clock),
      transcribe(decoder, {
        secondsPerStep: model.secondsPerStep,
        alphabetSize: model.output.alphabet.length,
        endpoint: options.endpoint,
        clock,
      }),
      map(({ finals, partial, chunk }): EngineUpdate => ({
        finals,
        partial,
        features: chunk?.features ?? [],
        level: chunk ? levelDb(chunk.level) : -Infinity,
        steps: chunk?.steps ?? 0,
        samples: chunk?.level.count ?? 0,
      })),
      options.readable ? readable<EngineUpdate>(options.readable, clock) : identity,
    );
}
