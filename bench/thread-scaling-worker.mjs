// A thread of bench:sweep's reference measurement (see timeThreads there): it loads the sweep workers'
// bundle, runs the same I/O-free simulation task until its code is warm, waits for every thread of the
// measurement to be warm too, then times a fixed number of the same tasks. Plain JavaScript because a
// worker thread cannot use the main thread's TypeScript loader; the bundle it loads is already JavaScript.
import { parentPort, workerData } from 'node:worker_threads';

const { entry, task, warm, timed, start } = workerData;
const { default: runTask } = await import(entry);
const once = async () => {
  const r = await runTask(task);
  if (!r.ok) throw new Error(r.message);
};
for (let k = 0; k < warm; k++) await once();
parentPort.postMessage({ warm: true });
// every thread starts its timed part together: a thread still warming up would take the other's CPU
Atomics.wait(new Int32Array(start), 0, 0);
const t0 = performance.now();
for (let k = 0; k < timed; k++) await once();
parentPort.postMessage({ ms: performance.now() - t0 });
