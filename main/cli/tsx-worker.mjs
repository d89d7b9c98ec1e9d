// Starts a TypeScript worker module (a worker thread, or a child process) when the CLI runs from
// its sources: tsx's loader is registered per thread, so this plain-JavaScript entry registers it,
// then imports the module that workerData.tsEntry (a worker) or the first argument (a child
// process) names, as a file: URL.
import { workerData } from 'node:worker_threads';

const { register } = await import('tsx/esm/api');
register();
await import(workerData?.tsEntry ?? process.argv[2]);
