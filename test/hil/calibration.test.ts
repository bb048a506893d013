/**
 * End to end on loopback with the real addon: calibrate the `host` device for orca-mini-3b (scaled block),
 * verify the profile on held-out configurations, and put the agent in the loop of a short simulation-like
 * loop through createHilLatencyModel.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getArchitecture } from '../../cost-models/architectures.ts';
import { readDeviceProfile } from '../../cost-models/calibrated.ts';
import { elasticShape } from '../../cost-models/levels.ts';
import { MODEL_RATIOS } from '../../cost-models/types.ts';
import { scaleArchitecture } from '../../hil/block-shape.ts';
import { createHilLatencyModel } from '../../hil/latency-model.ts';
import { schemaValidator } from '../../base/json-file.ts';
import { runCli, startAgentProcess, tempDir, writeToken, type AgentProcess } from './agent-process.ts';

let agent: AgentProcess;
let dir: string;
let tokenFile: string;
let token: string;
beforeAll(async () => {
  dir = tempDir();
  ({ file: tokenFile, token } = writeToken(dir));
  agent = await startAgentProcess(['--listen', '127.0.0.1:0', '--token-file', tokenFile]);
});
afterAll(async () => agent?.kill('SIGTERM'));

describe('calibrate and verify the host device', () => {
  it('writes a schema-valid profile with provenance, then verifies it on held-out configurations', async () => {
    const profile = path.join(dir, 'host-orca.json');
    const cal = await runCli([
      'calibrate', '--agent', agent.url, '--token-file', tokenFile, '--device', 'host', '--model', 'orca-mini-3b',
      '--block-scale', '0.125', '--prompt-tokens', '16,48,128', '--context-tokens', '32,96,256', '--budget-s', '20', '--out', profile,
    ]);
    expect(cal.stderr + cal.stdout).toMatch(/wrote .*host-orca\.json/);
    expect(cal.code).toBe(0);
    const p = readDeviceProfile(profile);
    expect(p).toMatchObject({ device: 'host', dtype: 'fp32', form: 'block-v1', provenance: { source: 'hil-calibration' } });
    const prov = p.provenance as Record<string, any>;
    expect(prov.simd).toBe('avx2');
    expect(prov.kernelBuild).toMatch(/\+avx2/);
    expect(prov.sampleCounts.repetitions).toBeGreaterThanOrEqual(5 * prov.sampleCounts.jobs);
    expect(prov.fitResiduals.prefill.n).toBeGreaterThanOrEqual(9);
    expect(prov.hil).toMatchObject({ model: 'orca-mini-3b', blockScale: 0.125 });
    expect(prov.thermal).toHaveProperty('thermalZonesReadable');

    const out = path.join(dir, 'report');
    const ver = await runCli(['verify', '--agent', agent.url, '--token-file', tokenFile, '--profile', profile, '--json', '--out', out]);
    expect(ver.code, ver.stderr).toBe(0);
    const report = JSON.parse(ver.stdout) as { mape: number; p95: number; noiseFloor: number; samples: number; worst: { config: string; error: number }[] };
    expect(Object.keys(report).sort()).toEqual(['mape', 'noiseFloor', 'p95', 'samples', 'worst']);
    for (const k of ['mape', 'p95', 'noiseFloor'] as const) expect(report[k]).toBeGreaterThanOrEqual(0);
    expect(report.p95).toBeGreaterThan(0);
    expect(report.samples).toBeGreaterThan(0);
    expect(report.worst.length).toBeGreaterThan(0);
    expect(report.worst[0]!.error).toBeGreaterThanOrEqual(report.worst.at(-1)!.error);
    const calibration = JSON.parse(readFileSync(path.join(out, 'calibration.json'), 'utf8'));
    expect(schemaValidator(new URL('../../reports/schemas/calibration.schema.json', import.meta.url))(calibration)).toBe(true);
    // held out: no verified (op, tokens) pair was a grid length of the fit
    for (const row of calibration.rows as { config: string }[]) expect(row.config).not.toMatch(/ (n=(16|48|128)|ctx=(32|96|256))$/);
  }, 600_000);
});

describe('device in the loop', () => {
  it('prices a short request stream from live block measurements and says so in its provenance', async () => {
    const arch = scaleArchitecture(getArchitecture('orca-mini-3b'), 0.125);
    const model = await createHilLatencyModel({
      url: agent.url, token, arch, dtype: 'fp32', threads: 2, device: 'host',
      needs: { promptTokens: [40, 100], contextTokens: [120, 140] }, repetitions: 3,
    });
    try {
      expect(model.provenance.kind).toBe('hil');
      expect(model.provenance.detail).toMatchObject({ agent: agent.url, buckets: { promptTokens: [32, 64, 128], contextTokens: [64, 128, 256] } });
      // a little simulated service: each request's level picked round-robin, TTFT + decode of 8 tokens
      let clock = 0;
      const ttfts: number[] = [];
      for (const [i, prompt] of [40, 100, 64, 40, 100].entries()) {
        const shape = elasticShape(arch, MODEL_RATIOS[(i * 4) % 9]!, true);
        const ttft = model.prefillMs(shape, prompt);
        const decode = model.decodeMs(shape, prompt, 8);
        expect(ttft).toBeGreaterThan(0);
        expect(decode).toBeGreaterThan(0);
        ttfts.push(ttft);
        clock += ttft + decode;
      }
      expect(clock).toBeGreaterThan(0);
      // the same question twice gets the cached answer
      const full = elasticShape(arch, 1, false);
      expect(model.prefillMs(full, 100)).toBe(model.prefillMs(full, 100));
      // monotone in level and prompt length (measured tables are made monotone)
      const small = elasticShape(arch, 0.2, false);
      expect(model.prefillMs(small, 100)).toBeLessThanOrEqual(model.prefillMs(full, 100));
      expect(model.prefillMs(full, 40)).toBeLessThanOrEqual(model.prefillMs(full, 100));
      expect(model.decodeStepMs(full, 120)).toBeLessThanOrEqual(model.decodeStepMs(full, 140));
      // switching is priced from the device catalogue's speeds, which `host` lacks: a clear error, not a guess
      expect(model.switchMs('none', small, full)).toBe(0);
      expect(() => model.switchMs('pointer', small, full)).toThrow(/memcpy/);
    } finally {
      await model.close();
    }
  }, 600_000);
});
