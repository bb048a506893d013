/** A scenario's engine: absent = mllm (byte-identical), another engine changes latencies, split engines, a sweep axis. */
import { describe, it, expect } from 'vitest';
import { runScenario } from '../../sim/run.ts';
import { validateScenario, type LoadedScenario } from '../../sim/scenario.ts';
import { sweepFromJson } from '../../sim/sweep/sweep-file.ts';
import { expandSweep } from '../../sim/sweep/expand.ts';

const base = {
  name: 'engine-test', mode: 'timed', device: 'mi14', model: 'orca-mini-3b', latency: { kind: 'roofline' },
  policies: ['elastilm', 'full'], queue: 'fcfs', seed: 3,
  trace: { kind: 'paper', requests: 40, alpha: 0, arrival: { process: 'poisson', ratePerMin: 1 } },
};
const loaded = (extra: Record<string, unknown>): LoadedScenario => ({
  scenario: validateScenario({ ...base, ...extra }, 'test'), baseDir: process.cwd(), file: 'test',
});
const ttftP50 = (r: Awaited<ReturnType<typeof runScenario>>) => r.summary.policies.map((p) => p.overall.ttftMs.p50);

describe('engine in scenarios', () => {
  it('prices "mllm" exactly as a scenario without an engine', { timeout: 120_000 }, async () => {
    const plain = await runScenario(loaded({}));
    const named = await runScenario(loaded({ engine: 'mllm' }));
    expect(ttftP50(named)).toEqual(ttftP50(plain));
    expect(named.summary.latency).toEqual(plain.summary.latency);
  });

  it('runs on llama.cpp q4_0 and with an NPU prefill, both faster than mllm fp16', { timeout: 120_000 }, async () => {
    const paper = ttftP50(await runScenario(loaded({})));
    const cpu = await runScenario(loaded({ engine: 'llama.cpp', dtype: 'q4_0' }));
    const npu = await runScenario(loaded({ engine: { prefill: 'qnn', decode: 'llama.cpp' }, dtype: 'q4_0' }));
    expect(cpu.summary.latency.detail.engine).toEqual({ prefill: 'llama.cpp', decode: 'llama.cpp' });
    ttftP50(cpu).forEach((t, i) => expect(t).toBeLessThan(paper[i]!));
    ttftP50(npu).forEach((t, i) => expect(t).toBeLessThan(ttftP50(cpu)[i]!));
  });

  it('refuses an unknown engine at /engine and a precision the engine lacks', async () => {
    expect(() => loaded({ engine: 'tensorrt' })).toThrow(/\/engine/);
    await expect(runScenario(loaded({ engine: 'mlc', dtype: 'q4_0' }))).rejects.toThrow(/engine mlc has no precision "q4_0"; it runs q4f16/);
  });

  it('sweeps the engine as an axis', () => {
    const sweep = sweepFromJson({ name: 'engines', base: base as never, axes: { engine: ['mllm', 'llama.cpp', { prefill: 'qnn', decode: 'llama.cpp' }] }, seeds: [1] }, 'sweep.json');
    expect(expandSweep(sweep).map((r) => r.scenario.engine)).toEqual(['mllm', 'llama.cpp', { prefill: 'qnn', decode: 'llama.cpp' }]);
  });
});
