/**
 * Worker thread (or child process) of model-loader.ts. Job 'time': times the backends (timeBackendsHere) and posts the
 * timings. Job 'load': loads the packages and builds the lexicon (loadModelsHere, without timing)
 * and posts them, the tensors' and the lexicon tree's buffers transferred. A package that cannot
 * be loaded is answered with its error's name and message. Bundled on its own as
 * out/cli/model-loader-worker.mjs; run from the sources through tsx-worker.mjs.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { answerOf, loadModelsHere, timeBackendsHere, type WorkerAnswer, type WorkerJob } from './model-loader';

async function run(job: WorkerJob, post: (answer: WorkerAnswer, transfer?: ArrayBuffer[]) => void): Promise<void> {
  try {
    if (job.job === 'time') {
      post({ timing: await timeBackendsHere(job.model) });
    } else {
      const { answer, transfer } = answerOf(await loadModelsHere({ ...job.request, timeBackends: false }));
      post(answer, transfer);
    }
  } catch (e) {
    post({ error: e instanceof Error ? { name: e.name, message: e.message } : { name: 'Error', message: String(e) } });
  }
}

if (!isMainThread) {
  await run((workerData as { job: WorkerJob }).job, (answer, transfer) =>
    parentPort!.postMessage(answer, transfer ?? []),
  );
} else if (process.send !== undefined) {
  // a child process (model-loader.ts's runChild): the job comes over IPC; answer, then let the parent disconnect
  process.once('message', (job) => void run(job as WorkerJob, (answer) => process.send!(answer)));
}
