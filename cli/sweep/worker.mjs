// Entry of a sweep pool worker thread. Node 20 cannot load TypeScript and a worker thread does not inherit
// the main thread's loader hooks, so each worker registers tsx's ESM loader itself (as bin/run-ts.js does)
// before importing the task handler.
import { register } from 'tsx/esm/api';

register();
const { default: runTask } = await import('./worker.ts');
export default runTask;
