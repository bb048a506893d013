// Worker threads do not inherit the main thread's tsx loader on Node 20: register it here, then load the
// TypeScript worker. Messages posted before the import finishes wait in the port's queue.
import { register } from 'tsx/esm/api';

register();
await import('./job-worker.ts');
