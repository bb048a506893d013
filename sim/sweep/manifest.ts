/**
 * sweep.json, the manifest of a sweep output folder: the fully expanded sweep (every run's id, axis values
 * and seed) plus, in a shard's output, which slice it ran. Everything a re-run or `merge` needs to know what
 * the folder should contain. It holds no paths or dates, so shards run on different machines agree byte for
 * byte on everything but their shard member.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../base/errors.ts';
import { stableJson } from '../../base/stable-json.ts';
import { readValidatedJson } from '../../base/json-file.ts';
import type { Scenario } from '../scenario.ts';
import { VERSION } from '../../base/version.ts';
import type { RunSpec } from './expand.ts';
import type { Shard } from './shard.ts';
import type { Axis, LoadedSweep } from './sweep-file.ts';

/** The manifest's name inside a sweep output folder (the rest of the layout: reports/sweep-layout.ts). */
export const MANIFEST_FILE = 'sweep.json';
export const MANIFEST_SCHEMA = new URL('./schemas/manifest.schema.json', import.meta.url);

export interface ManifestRun {
  id: string;
  axisValues: unknown[];
  seed: number;
}

export interface SweepManifest {
  schemaVersion: 1;
  tool: { name: 'elastitwin'; version: string };
  name: string;
  description?: string;
  axes: Axis[];
  seeds: number[];
  base: Scenario;
  runs: ManifestRun[];
  shard?: Shard;
}

export function buildManifest(sweep: LoadedSweep, runs: readonly RunSpec[], shard?: Shard): SweepManifest {
  const m: SweepManifest = {
    schemaVersion: 1,
    tool: { name: 'elastitwin', version: VERSION },
    name: sweep.name,
    axes: sweep.axes.map((a) => ({ path: a.path, values: a.values })),
    seeds: sweep.seeds,
    base: sweep.base.scenario,
    runs: runs.map((r) => ({ id: r.id, axisValues: r.axisValues, seed: r.seed })),
  };
  if (sweep.description !== undefined) m.description = sweep.description;
  if (shard) m.shard = shard;
  return m;
}

/** The manifest's bytes: canonical JSON (members in code-point order), so equal manifests are equal files. */
export const formatManifest = (m: SweepManifest): string => stableJson(m);

/** The same sweep, whichever slice of it a folder holds. */
export function withoutShard(m: SweepManifest): SweepManifest {
  const { shard: _shard, ...rest } = m;
  return rest;
}

export const sameSweep = (a: SweepManifest, b: SweepManifest): boolean =>
  formatManifest(withoutShard(a)) === formatManifest(withoutShard(b));

export function readManifest(dir: string): SweepManifest {
  const file = path.join(dir, MANIFEST_FILE);
  if (!existsSync(file)) throw new InputError(dir, `not a sweep output folder (no ${MANIFEST_FILE})`);
  return readValidatedJson<SweepManifest>(file, MANIFEST_SCHEMA, 'sweep manifest');
}
