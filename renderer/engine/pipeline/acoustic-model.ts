import type { LoadedPackage } from '../../../models/package/load-package';
import type { CtcOutputSpec, FeatureSpec, StackingSpec } from '../../../models/package/model-spec';
import type { BackendName } from '../../../models/rnn/backend';
import { createRnnStack } from '../../../models/rnn/rnn-stack';
import type { RnnStack } from '../../../models/rnn/rnn-types';

/**
 * An acoustic model ready to run: the package's feature spec, stacking and CTC output, with its
 * RNN stack placed on one backend. Immutable; per-stream state lives in the stream.
 */
export interface AcousticModel {
  readonly name: string;
  readonly features: FeatureSpec;
  readonly stacking: StackingSpec;
  readonly output: CtcOutputSpec;
  readonly rnn: RnnStack;
  /** Seconds of audio per RNN step: hopSize × stride / sampleRate. */
  readonly secondsPerStep: number;
}

/** @param rnn a stack already built from this package (e.g. by chooseBackend), else one is built on `backend` */
export async function createAcousticModel(
  pkg: LoadedPackage,
  backend: BackendName,
  rnn?: RnnStack,
): Promise<AcousticModel> {
  const json = pkg.json;
  if (json.kind !== 'acoustic' || !json.features || !json.stacking || json.output.type !== 'ctc') {
    throw new Error(`${pkg.source}: "${json.name}" is a ${json.kind} model, not an acoustic CTC model`);
  }
  rnn ??= await createRnnStack(json.layers, pkg.tensors, { backend });
  return {
    name: json.name,
    features: json.features,
    stacking: json.stacking,
    output: json.output,
    rnn,
    secondsPerStep: (json.features.hopSize * json.stacking.stride) / json.features.sampleRate,
  };
}
