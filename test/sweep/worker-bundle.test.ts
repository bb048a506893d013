import { describe, it, expect } from 'vitest';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { buildWorkerBundle } from '../../cli/sweep/worker-bundle.ts';
import runFromSources, { type WorkerTask } from '../../cli/sweep/worker.ts';
import { smallScenario } from './helpers.ts';

describe('bundled sweep worker', () => {
  it('builds into node_modules/.cache under a content hash, deterministically', async () => {
    const a = await buildWorkerBundle();
    const b = await buildWorkerBundle();
    expect(a).toBe(b);
    expect(a).toMatch(/node_modules\/\.cache\/elastitwin\/sweep-worker-[0-9a-f]{16}\.mjs$/);
    expect(existsSync(fileURLToPath(a))).toBe(true);
  });

  it('finds its data files from the bundle and gives the same results as the sources', async () => {
    const { default: runFromBundle } = (await import(await buildWorkerBundle())) as { default: typeof runFromSources };
    const task: WorkerTask = {
      kind: 'evaluate',
      loaded: { scenario: smallScenario(40, { policies: ['elastilm', 'oracle', 'full'] }) as never, baseDir: process.cwd(), file: 'scenario' },
    };
    const fromBundle = await runFromBundle(task);
    expect(fromBundle.ok).toBe(true);
    expect(fromBundle).toEqual(await runFromSources(task));
  });
});
