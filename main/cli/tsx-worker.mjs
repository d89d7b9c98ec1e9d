// Starts a TypeScript worker module when the CLI runs from its sources: tsx's loader is registered
// per thread, so this plain-JavaScript entry registers it, then imports the module that
// workerData.tsEntry names (a file: URL).
import { workerData } from 'node:worker_threads';

const { register } = await import('tsx/esm/api');
register();
await import(workerData.tsEntry);
