/**
 * PFS with `faithful: false` runs the scenario's own LLM at m = 1.0 (the artifact's intent before its bug).
 * The shipped priors have no 'pfs' surface for the elastic LLMs, so the run names the missing key; with a
 * user surface for it (here: the full model's prior, a fixture) the fix runs end to end.
 */
import { describe, it, expect } from 'vitest';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { validateScenario } from '../../sim/scenario.ts';
import { runScenario } from '../../sim/run.ts';

const fixtures = path.dirname(fileURLToPath(new URL('./fixtures/pfs-full-llama-7b.json', import.meta.url)));

const scenario = (files: string[]) =>
  validateScenario(
    {
      name: 'pfs-fixed',
      mode: 'isolated',
      device: 'mi14',
      model: 'llama-7b',
      dtype: 'fp16',
      threads: 4,
      latency: { kind: 'roofline' },
      accuracy: { files },
      policies: [{ name: 'pfs', label: 'pfs-fixed', options: { faithful: false } }, 'pfs', 'full'],
      trace: { kind: 'paper', requests: 60, alpha: 0, arrival: { process: 'none' } },
      seed: 3,
    },
    'pfs-fixed scenario',
  );

describe('pfs, faithful: false', () => {
  it('needs a pfs surface for the LLM itself and says which', async () => {
    await expect(runScenario({ scenario: scenario([]), baseDir: fixtures, file: 'pfs-fixed' })).rejects.toThrow(
      /method 'pfs' has no surface for model 'llama-7b'/,
    );
  });

  it('runs the full LLM for ⟨1, 1⟩ requests and the OPT models elsewhere', async () => {
    const { rows } = await runScenario({ scenario: scenario(['pfs-full-llama-7b.json']), baseDir: fixtures, file: 'pfs-fixed' });
    const of = (policy: string) => rows!.filter((r) => r.policy === policy);
    const [fixed, faithful, full] = [of('pfs-fixed'), of('pfs'), of('full')];
    expect(fixed.length).toBe(60);
    let relaxed = 0;
    for (let k = 0; k < fixed.length; k++) {
      const [x, y, z] = [fixed[k]!, faithful[k]!, full[k]!];
      if (x.dataset === 'OBQA') {
        relaxed++;
        expect(x.prefillMs).toBe(z.prefillMs);
        expect(x.quality).toBe(z.quality);
        expect(y.prefillMs!).toBeLessThan(z.prefillMs!);
      } else {
        expect(x.prefillMs).toBe(y.prefillMs);
        expect(x.quality).toBe(y.quality);
      }
    }
    expect(relaxed).toBe(10);
  }, 600_000);
});
