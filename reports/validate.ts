/**
 * Reading and checking the files of a run directory against their JSON Schemas. Every error names the file
 * and the JSON path of the offending value, so a user can fix a hand-edited or truncated file; the CLI turns
 * these InputErrors into exit code 2.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { InputError } from '../cli/errors.ts';
import type { RunSummary } from './summary-types.ts';
import type { CalibrationFile } from './calibration-types.ts';

function loadSchema(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`./schemas/${name}`, import.meta.url), 'utf8'));
}

export const SUMMARY_SCHEMA = loadSchema('summary.schema.json');
export const CALIBRATION_SCHEMA = loadSchema('calibration.schema.json');

const ajv = new Ajv({ allErrors: true, strict: true });
const checkSummary = ajv.compile<RunSummary>(SUMMARY_SCHEMA);
const checkCalibration = ajv.compile<CalibrationFile>(CALIBRATION_SCHEMA);

/** "/policies/0/overall/accuracy" → "$.policies[0].overall.accuracy" (the form people search for). */
function jsonPath(instancePath: string): string {
  if (instancePath === '') return '$';
  return '$' + instancePath.split('/').slice(1).map((part) => {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    return /^\d+$/.test(key) ? `[${key}]` : `.${key}`;
  }).join('');
}

function describe(e: ErrorObject): string {
  if (e.keyword === 'additionalProperties') {
    return `${jsonPath(e.instancePath)} has unknown member "${String(e.params.additionalProperty)}"`;
  }
  if (e.keyword === 'required') return `${jsonPath(e.instancePath)} is missing "${String(e.params.missingProperty)}"`;
  if (e.keyword === 'const' || e.keyword === 'enum') {
    const allowed = e.keyword === 'const' ? [e.params.allowedValue] : (e.params.allowedValues as unknown[]);
    return `${jsonPath(e.instancePath)} must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return `${jsonPath(e.instancePath)} ${e.message ?? 'is invalid'}`;
}

function assertValid<T>(check: ValidateFunction<T>, value: unknown, where: string): asserts value is T {
  if (check(value)) return;
  const errors = (check.errors ?? []).slice(0, 5).map(describe);
  const more = (check.errors?.length ?? 0) > 5 ? ` (and ${check.errors!.length - 5} more)` : '';
  throw new InputError(where, `${errors.join('; ')}${more}`);
}

/** What JSON Schema cannot say: parallel timeline arrays of equal length with non-decreasing time. */
function checkTimelines(summary: RunSummary, where: string): void {
  summary.policies.forEach((p, i) => {
    const t = p.timeline;
    if (!t) return;
    const path = `$.policies[${i}].timeline`;
    if (t.queueLength.length !== t.tMs.length || t.residentModelRatio.length !== t.tMs.length) {
      throw new InputError(where, `${path}: tMs, queueLength and residentModelRatio must have the same length`);
    }
    for (let k = 1; k < t.tMs.length; k++) {
      if (t.tMs[k]! < t.tMs[k - 1]!) throw new InputError(where, `${path}.tMs[${k}] goes back in time`);
    }
  });
}

export function assertRunSummary(value: unknown, where: string): asserts value is RunSummary {
  assertValid(checkSummary, value, where);
  checkTimelines(value, where);
}

export function assertCalibration(value: unknown, where: string): asserts value is CalibrationFile {
  assertValid(checkCalibration, value, where);
}

/** Reads a JSON file; a missing or malformed file is an InputError naming it. */
export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(file, code === 'ENOENT' ? 'file not found' : `cannot read (${code ?? String(e)})`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(file, `not valid JSON (${(e as Error).message})`);
  }
}

export function readRunSummary(file: string): RunSummary {
  const value = readJsonFile(file);
  assertRunSummary(value, file);
  return value;
}

export function readCalibration(file: string): CalibrationFile {
  const value = readJsonFile(file);
  assertCalibration(value, file);
  return value;
}
