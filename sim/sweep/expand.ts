/**
 * Expansion: the cross product of a sweep's axis values and seeds, as a list of fully specified runs. The
 * order is fixed (axes in file order, the first slowest, seeds fastest), and each run gets an id made of its
 * position and a hash of its scenario, so a run folder can only ever be reused by the same simulation.
 */
import { createHash } from 'node:crypto';
import { InputError, isInputError } from '../../base/errors.ts';
import { stableJson } from '../../base/stable-json.ts';
import { validateScenario, type Scenario } from '../scenario.ts';
import { axisPathExists, setAtPath } from './axis-path.ts';
import { axisWhere, type Axis, type LoadedSweep } from './sweep-file.ts';

export interface RunSpec {
  /** Position in the full (unsharded) sweep, from 0. */
  index: number;
  /** Folder name under runs/: zero-padded index + 10 hex digits of the scenario's hash. */
  id: string;
  /** The value of each axis for this run, in axis order. */
  axisValues: unknown[];
  seed: number;
  /** The validated scenario of this run (axes applied, seed set). */
  scenario: Scenario;
}

/** Every combination of one item from each list, the first list varying slowest. */
export function crossProduct<T>(lists: readonly (readonly T[])[]): T[][] {
  let combos: T[][] = [[]];
  for (const list of lists) combos = combos.flatMap((prefix) => list.map((item) => [...prefix, item]));
  return combos;
}

/** Hash of a scenario's canonical JSON (key order does not matter). */
export function scenarioHash(scenario: Scenario): string {
  return createHash('sha256').update(stableJson(scenario)).digest('hex');
}

/** "trace.arrival.ratePerMin=4, policies=["full"]": how error messages and progress name a run. */
export function describeSetting(axes: readonly Axis[], values: readonly unknown[], seed?: number): string {
  const parts = axes.map((a, k) => `${a.path}=${JSON.stringify(values[k])}`);
  if (seed !== undefined) parts.push(`seed=${seed}`);
  return parts.join(', ');
}

/** Strips InputError's own location so the message can be re-anchored at the sweep file. */
const reason = (e: unknown): string =>
  isInputError(e) ? e.message.slice(e.where.length + 2) : e instanceof Error ? e.message : String(e);

function applyAxes(base: Scenario, axes: readonly Axis[], values: readonly unknown[]): Record<string, unknown> {
  const copy = structuredClone(base) as unknown as Record<string, unknown>;
  axes.forEach((axis, k) => setAtPath(copy, axis.path, values[k]));
  return copy;
}

/**
 * Checks each axis value on its own against the base scenario first, so an error names the one axis (and
 * value) at fault; a combination that only fails together is reported with all its axis values.
 */
function checkAxesOneByOne(sweep: LoadedSweep): void {
  for (const axis of sweep.axes) {
    const isNew = !axisPathExists(sweep.base.scenario, axis.path);
    axis.values.forEach((value, i) => {
      try {
        validateScenario(applyAxes(sweep.base.scenario, [axis], [value]), 'axis');
      } catch (e) {
        const hint = isNew ? ` ("${axis.path}" is not set in the base scenario: is the path right?)` : '';
        throw new InputError(
          `${axisWhere(sweep.file, axis.path)}/${i}`,
          `setting ${axis.path} to ${JSON.stringify(value)} makes an invalid scenario: ${reason(e)}${hint}`,
        );
      }
    });
  }
}

/** All runs of the sweep, in order, each scenario validated (InputError naming the axis otherwise). */
export function expandSweep(sweep: LoadedSweep): RunSpec[] {
  checkAxesOneByOne(sweep);
  const combos = crossProduct(sweep.axes.map((a) => a.values));
  const total = combos.length * sweep.seeds.length;
  const width = Math.max(4, String(total - 1).length);
  const runs: RunSpec[] = [];
  for (const values of combos) {
    let scenario: Scenario;
    try {
      scenario = validateScenario(applyAxes(sweep.base.scenario, sweep.axes, values), 'axes');
    } catch (e) {
      throw new InputError(`${sweep.file}: /axes`, `the combination ${describeSetting(sweep.axes, values)} makes an invalid scenario: ${reason(e)}`);
    }
    for (const seed of sweep.seeds) {
      const index = runs.length;
      const run = { ...scenario, seed };
      const id = `${String(index).padStart(width, '0')}-${scenarioHash(run).slice(0, 10)}`;
      runs.push({ index, id, axisValues: values, seed, scenario: run });
    }
  }
  return runs;
}
