/**
 * bench:sweep — runs one sweep of ≥ 200 small runs (the default scenario's 600-request trace: 10 arrival
 * rates × 2 policy lists × 20 seeds = 400 runs) on a pool of 1 worker and on a pool of 2, into fresh folders, and
 * prints the speed-up (time with 1 ÷ time with 2) and runs per second with 2 workers. Both timings include
 * starting the pool and writing every run's files and the tidy table (not the HTML charts), i.e. what a user
 * waits for. The 1-worker run is the reference measured in the same process, so the ratio does not depend on
 * the machine's speed, but it does depend on what else is running: the load average is printed beside it.
 * Target (issue 9): speed-up ≥ 1.7 on a 2-core machine.
 * Each sweep is run --repeat times (default 3), 1 and 2 workers alternating, and the medians are reported:
 * on a shared machine one sweep's time swings by ±20 % from one run to the next. Beside the speed-up it prints
 * the speed-up over the last three quarters of the runs (`warmSpeedup`), once every worker has started and
 * optimized its code: the gap between the two is what starting and warming up a second worker costs.
 * It also estimates, in the same process, what this machine gives two threads at that moment
 * (`referenceSpeedup`): the sweep's first simulation, warm and with no requests.csv to format or files to
 * write, repeated on 1 and on 2 threads at once. `speedupOverReference` is the sweep's speed-up over it.
 * Usage: npm run bench:sweep [-- --json] [-- --requests N] [-- --seeds N] [-- --repeat K]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { loadScenario } from '../sim/scenario.ts';
import { sweepFromJson } from '../sim/sweep/sweep-file.ts';
import { expandSweep } from '../sim/sweep/expand.ts';
import { runSweep } from '../cli/sweep/runner.ts';
import { workerEntry } from '../cli/sweep/worker-bundle.ts';
import type { WorkerTask } from '../cli/sweep/worker.ts';
import { median } from 'simple-statistics';

const args = process.argv.slice(2);
const json = args.includes('--json');
const flag = (name: string, fallback: number): number => {
  const k = args.indexOf(name);
  return k >= 0 ? Number(args[k + 1]) : fallback;
};
const REQUESTS = flag('--requests', 600);
const SEEDS = flag('--seeds', 20);
const REPEAT = flag('--repeat', 3);
if (![REQUESTS, SEEDS, REPEAT].every((x) => Number.isInteger(x) && x > 0)) {
  console.error('usage: npm run bench:sweep [-- --json] [-- --requests N] [-- --seeds N] [-- --repeat K] (positive integers)');
  process.exit(2);
}

const { scenario: base } = loadScenario('default');
const rates = [1, 2, 3, 4, 5, 6, 8, 10, 12, 15];
const sweep = sweepFromJson(
  {
    name: 'bench',
    base: { ...base, trace: { ...base.trace, requests: REQUESTS }, output: { requestsCsv: true, timelineSamples: 100 } },
    axes: { 'trace.arrival.ratePerMin': rates, policies: [['elastilm'], ['oracle', 'full']] },
    seeds: Array.from({ length: SEEDS }, (_v, k) => k + 1),
  },
  path.join(process.cwd(), 'bench-sweep.json'),
);
const runs = rates.length * 2 * SEEDS;
/** Runs after the first quarter count as warm (workers started, their hot code optimized). */
const WARM_FROM = Math.max(1, Math.floor(runs / 4));

/**
 * Wall time of one sweep, and the CPUs it actually got (process CPU time ÷ wall time, all threads): on a
 * shared machine a 2-worker sweep may get well under 2, which caps the speed-up whatever the code does.
 */
async function timeSweep(workers: number): Promise<{ seconds: number; cpusUsed: number; warmSeconds: number; csv: string }> {
  const out = mkdtempSync(path.join(tmpdir(), `elastitwin-bench-sweep-${workers}-`));
  try {
    const done: number[] = [];
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const outcome = await runSweep(sweep, { outDir: out, workers, html: false, onRunDone: () => done.push(performance.now()) });
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    if (outcome.pending !== runs) throw new Error(`expected ${runs} runs, ran ${outcome.pending}`);
    // the time its last three quarters of runs took: workers started and their code compiled
    const warmSeconds = (done[runs - 1]! - done[WARM_FROM - 1]!) / 1000;
    return { seconds, cpusUsed: (cpu.user + cpu.system) / 1e6 / seconds, warmSeconds, csv: readFileSync(path.join(out, 'results.csv'), 'utf8') };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/**
 * Wall time for each of `threads` threads, started together, to run `timed` warm simulations (the sweep's
 * first run, without writing it) after `warm` untimed ones: with 2 threads doing what 1 did, their time
 * over the time of 1 is what the machine loses to running two at once (shared caches, memory bandwidth,
 * the hypervisor's scheduling), before any cost of a sweep's own.
 */
async function timeThreads(threads: number, task: WorkerTask, entry: string): Promise<number> {
  const start = new SharedArrayBuffer(4);
  const workers: Worker[] = [];
  try {
    for (let k = 0; k < threads; k++) {
      workers.push(new Worker(new URL('./thread-scaling-worker.mjs', import.meta.url), { workerData: { entry, task, warm: 150, timed: 150, start } }));
    }
    let warm = 0;
    const times = await Promise.all(workers.map((w) => new Promise<number>((resolve, reject) => {
      w.on('error', reject);
      // a thread that ends without an error and without its time (process.exit in task code) must not leave
      // the others waiting for it forever (after resolve, this reject does nothing)
      w.on('exit', (code) => reject(new Error(`a reference thread exited (code ${code}) before reporting its time`)));
      w.on('message', (m: { warm?: boolean; ms?: number }) => {
        if (m.warm && ++warm === threads) {
          Atomics.store(new Int32Array(start), 0, 1);
          Atomics.notify(new Int32Array(start), 0);
        }
        if (m.ms !== undefined) resolve(m.ms);
      });
    })));
    return Math.max(...times);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

const loadBefore = loadavg()[0]!;
const ones: Array<Awaited<ReturnType<typeof timeSweep>>> = [];
const twos: Array<Awaited<ReturnType<typeof timeSweep>>> = [];
const threadOnes: number[] = [];
const threadTwos: number[] = [];
const firstRun = expandSweep(sweep)[0]!;
const evaluate: WorkerTask = { kind: 'evaluate', loaded: { scenario: firstRun.scenario, baseDir: sweep.base.baseDir, file: 'bench' } };
const entry = await workerEntry();
for (let k = 0; k < REPEAT; k++) {
  ones.push(await timeSweep(1));
  twos.push(await timeSweep(2));
  threadOnes.push(await timeThreads(1, evaluate, entry));
  threadTwos.push(await timeThreads(2, evaluate, entry));
}
const loadAfter = loadavg()[0]!;
if (ones.concat(twos).some((r) => r.csv !== ones[0]!.csv)) throw new Error('the 1-worker and 2-worker sweeps wrote different tables');
const one = { seconds: median(ones.map((r) => r.seconds)), cpusUsed: median(ones.map((r) => r.cpusUsed)) };
const two = { seconds: median(twos.map((r) => r.seconds)), cpusUsed: median(twos.map((r) => r.cpusUsed)) };
const speedup = one.seconds / two.seconds;
// once warm, how much faster 2 workers get through the same runs (a diagnostic, not the target's figure)
const warmSpeedup = median(ones.map((r) => r.warmSeconds)) / median(twos.map((r) => r.warmSeconds));
// A single worker already keeps more than one CPU busy (V8's GC and compiler threads run beside it), so on
// 2 CPUs two workers can at best be 2 ÷ (CPUs used by one) times faster.
const ceiling = Math.min(2, availableParallelism()) / one.cpusUsed;
const runsPerSecond = runs / two.seconds;
// each of the 2 threads did what the 1 did: twice the work in their time
const referenceSpeedup = (2 * median(threadOnes)) / median(threadTwos);

if (json) {
  process.stdout.write(JSON.stringify({
    speedup, runsPerSecond, runs, requestsPerRun: REQUESTS, repeats: REPEAT, seconds1: one.seconds, seconds2: two.seconds, warmSpeedup,
    speedups: ones.map((r, k) => r.seconds / twos[k]!.seconds),
    cpusUsed1: one.cpusUsed, cpusUsed2: two.cpusUsed, speedupCeiling: ceiling,
    referenceSpeedup, speedupOverReference: speedup / referenceSpeedup, referenceSpeedups: threadOnes.map((t, k) => (2 * t) / threadTwos[k]!),
    loadAverage1m: [loadBefore, loadAfter],
  }) + '\n');
} else {
  const f = (x: number, d = 2) => x.toFixed(d);
  process.stdout.write(
    `bench:sweep — ${runs} runs of ${REQUESTS} requests (default scenario), ${availableParallelism()} CPUs\n\n` +
    `| workers | seconds | runs/s | CPUs used (CPU time ÷ wall time) |\n|---:|---:|---:|---:|\n` +
    `| 1 | ${f(one.seconds)} | ${f(runs / one.seconds, 1)} | ${f(one.cpusUsed)} |\n` +
    `| 2 | ${f(two.seconds)} | ${f(runsPerSecond, 1)} | ${f(two.cpusUsed)} |\n\n` +
    `speed-up (1 worker ÷ 2 workers, medians of ${REPEAT}): ${f(speedup)}× (target ≥ 1.70×); pairwise ${ones.map((r, k) => f(r.seconds / twos[k]!.seconds)).join(', ')}\n` +
    `ceiling on this machine: ${f(ceiling)}× (2 CPUs ÷ ${f(one.cpusUsed)} CPUs already used by one worker with V8's GC/compiler threads)\n` +
    `after warm-up (runs ${WARM_FROM + 1}-${runs}, workers started and their code optimized): ${f(warmSpeedup)}× — a diagnostic; the target is on the whole sweep\n` +
    `reference, same process: 2 threads running warm simulations that write nothing get ${f(referenceSpeedup)}× the work of 1 done (pairwise ${threadOnes.map((t, k) => f((2 * t) / threadTwos[k]!)).join(', ')}); the sweep's speed-up is ${f(speedup / referenceSpeedup)} of that\n` +
    `1-min load average before/after: ${f(loadBefore)} / ${f(loadAfter)} (other processes share the CPUs)\n` +
    `tables identical: yes\n`,
  );
}
