/**
 * Worker thread of backend-timing.ts: times the RNN backends on the model's weights (chooseBackend)
 * and posts the winner's name and the timings; nothing else of the CLI is loaded here. Bundled on
 * its own as out/cli/backend-timing-worker.mjs; run from the sources through tsx-worker.mjs.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { LayerSpec } from '../../models/package/model-spec';
import { chooseBackend, type ChooseBackendOptions } from '../../models/rnn/choose-backend';
import type { Tensor } from '../../models/rnn/tensor';

const data = workerData as { layers: LayerSpec[]; tensors: Array<[string, Tensor]>; options: ChooseBackendOptions };
try {
  const choice = await chooseBackend(data.layers, new Map(data.tensors), data.options);
  choice.stack.dispose();
  parentPort!.postMessage({ backend: choice.backend, timings: choice.timings });
} catch (e) {
  parentPort!.postMessage({ error: e instanceof Error ? e.message : String(e) });
}
