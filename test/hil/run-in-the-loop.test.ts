/**
 * `elastitwin run SCENARIO --latency hil:ws://…`: the simulator asks a real agent (real addon, loopback) for
 * the block timings its trace needs, and the run's summary records that the device was in the loop.
 * A tiny trace keeps the measured blocks (full-width Orca-mini-3B layers) within seconds.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startAgentProcess, tempDir, writeToken, type AgentProcess } from './agent-process.ts';

let agent: AgentProcess;
let dir: string;
let tokenFile: string;
beforeAll(async () => {
  dir = tempDir();
  ({ file: tokenFile } = writeToken(dir));
  agent = await startAgentProcess(['--listen', '127.0.0.1:0', '--token-file', tokenFile]);
});
afterAll(async () => agent?.kill('SIGTERM'));

describe('device in the loop of a simulation', () => {
  it('runs a scenario on live block timings and records HIL in the summary', async () => {
    const trace = path.join(dir, 'tiny.jsonl');
    const lines = Array.from({ length: 8 }, (_, i) =>
      JSON.stringify({
        id: i, app: i % 2 ? 'Gboard' : 'Rewind', dataset: i % 2 ? 'PIQA' : 'OBQA', arrivalMs: i * 2000,
        systemTokens: 16, queryTokens: 8, outputTokens: 3,
        slo: i % 2 ? { ttft: 0.4, tpot: 0.7, unit: 'ratio' } : { ttft: 1, tpot: 1, unit: 'ratio' },
      }),
    );
    writeFileSync(trace, `${lines.join('\n')}\n`);
    const scenario = path.join(dir, 'hil.json');
    writeFileSync(scenario, JSON.stringify({
      name: 'hil-tiny', mode: 'timed', device: 'mi14', model: 'orca-mini-3b', dtype: 'fp32', threads: 2,
      policies: ['elastilm', 'full'], trace: { kind: 'file', path: 'tiny.jsonl', format: 'jsonl' }, seed: 3,
    }));
    const out = path.join(dir, 'out');
    const r = await runCli(['run', scenario, '--latency', `hil:${agent.url}`, '--token-file', tokenFile, '--out', out, '--json', '--no-html'], 300_000);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8'));
    expect(summary.latency.kind).toBe('hil');
    expect(JSON.stringify(summary.latency.detail)).toContain(agent.url);
    expect(summary.scenario.spec.latency).toMatchObject({ kind: 'hil', url: agent.url });
    const [elastic, full] = summary.policies;
    expect(elastic.overall.served).toBe(8);
    // live timings are positive and the full model's TTFT is at least the elastic one's typical level
    expect(full.overall.ttftMs.p50).toBeGreaterThan(0);
    expect(full.overall.ttftMs.p50).toBeGreaterThanOrEqual(elastic.overall.ttftMs.p50 * 0.5);
  }, 600_000);

  it('refuses a wrong token with exit 2 and writes nothing', async () => {
    const bad = path.join(dir, 'bad-token');
    writeFileSync(bad, 'not-the-token\n');
    const out = path.join(dir, 'out-bad');
    const r = await runCli(['run', 'default', '--latency', `hil:${agent.url}`, '--token-file', bad, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/token|401|refused/i);
  });
});
