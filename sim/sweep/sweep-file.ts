/**
 * Sweep files: JSON validated by sim/sweep/schemas/sweep.schema.json, naming a base scenario (shipped name,
 * path relative to the sweep file, or an inline object), axes (scenario field path → values) and seeds.
 * Loading checks every axis path against the base scenario, so a bad path fails before any run starts.
 */
import path from 'node:path';
import { InputError, isInputError } from '../../base/errors.ts';
import { readValidatedJson } from '../../base/json-file.ts';
import { loadScenario, validateScenario, type LoadedScenario } from '../scenario.ts';
import { axisPathProblem } from './axis-path.ts';

export const SWEEP_SCHEMA = new URL('./schemas/sweep.schema.json', import.meta.url);

export interface SweepFileJson {
  name: string;
  description?: string;
  base: string | Record<string, unknown>;
  axes: Record<string, unknown[]>;
  seeds: number[];
  plugins?: string[];
}

export interface Axis {
  /** Dotted scenario field path, also the axis' column name in the tidy table. */
  path: string;
  values: unknown[];
}

export interface LoadedSweep {
  name: string;
  description?: string;
  /** The sweep file (error messages name it). */
  file: string;
  base: LoadedScenario;
  axes: Axis[];
  seeds: number[];
  /** The sweep file's own plug-ins, as absolute paths (the base scenario's stay in its `plugins`). */
  plugins: string[];
}

/** JSON location of an axis inside the sweep file, as error messages show it. */
export const axisWhere = (file: string, axisPath: string): string => `${file}: /axes/${JSON.stringify(axisPath)}`;

function loadBase(json: SweepFileJson, file: string): LoadedScenario {
  const sweepDir = path.dirname(path.resolve(file));
  if (typeof json.base !== 'string') {
    return { scenario: validateScenario(json.base, `${file}: /base`), baseDir: sweepDir, file };
  }
  const looksLikePath = json.base.endsWith('.json') || json.base.includes('/') || json.base.includes(path.sep);
  try {
    return loadScenario(looksLikePath ? path.resolve(sweepDir, json.base) : json.base);
  } catch (e) {
    // say which sweep file and member pointed at the scenario, then what is wrong with it
    if (isInputError(e)) throw new InputError(`${file}: /base`, e.message);
    throw e;
  }
}

/** Builds a LoadedSweep from already parsed JSON (`file` names it in errors and anchors relative paths). */
export function sweepFromJson(json: SweepFileJson, file: string): LoadedSweep {
  const base = loadBase(json, file);
  const axes: Axis[] = Object.entries(json.axes).map(([axisPath, values]) => ({ path: axisPath, values }));
  for (const axis of axes) {
    if (axis.path === 'seed') {
      throw new InputError(axisWhere(file, axis.path), 'the seed is not an axis: list seeds in "seeds"');
    }
    const problem = axisPathProblem(base.scenario, axis.path);
    if (problem) throw new InputError(axisWhere(file, axis.path), `bad axis path: ${problem}`);
  }
  const sweepDir = path.dirname(path.resolve(file));
  const plugins = (json.plugins ?? []).map((p) => path.resolve(sweepDir, p));
  const out: LoadedSweep = { name: json.name, file, base, axes, seeds: json.seeds, plugins };
  if (json.description !== undefined) out.description = json.description;
  return out;
}

export function loadSweepFile(file: string): LoadedSweep {
  return sweepFromJson(readValidatedJson<SweepFileJson>(file, SWEEP_SCHEMA, 'sweep file'), file);
}
