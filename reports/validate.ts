/**
 * Reading and checking the files of a run directory against their JSON Schemas. Every error names the file
 * and the JSON path of the offending value, so a user can fix a hand-edited or truncated file; the CLI turns
 * these InputErrors into exit code 2.
 */
import { readFileSync } from 'node:fs';
import type { ValidateFunction } from 'ajv';
import { InputError } from '../base/errors.ts';
import { compileSchema, describeAjvErrors, readJsonFile } from '../base/json-file.ts';
import type { RunSummary } from '../sim/results.ts';
import type { CalibrationFile } from './calibration-types.ts';

function loadSchema(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`./schemas/${name}`, import.meta.url), 'utf8'));
}

export const SUMMARY_SCHEMA = loadSchema('summary.schema.json');
export const CALIBRATION_SCHEMA = loadSchema('calibration.schema.json');

const checkSummary = compileSchema<RunSummary>(SUMMARY_SCHEMA);
const checkCalibration = compileSchema<CalibrationFile>(CALIBRATION_SCHEMA);

function assertValid<T>(check: ValidateFunction<T>, value: unknown, where: string): asserts value is T {
  if (check(value)) return;
  throw new InputError(where, describeAjvErrors(check.errors, 5));
}

/** What JSON Schema cannot say: parallel timeline arrays of equal length with non-decreasing time. */
function checkTimelines(summary: RunSummary, where: string): void {
  summary.policies.forEach((p, i) => {
    const t = p.timeline;
    if (!t) return;
    const path = `/policies/${i}/timeline`;
    if (t.queueLength.length !== t.tMs.length || t.residentModelRatio.length !== t.tMs.length) {
      throw new InputError(where, `${path}: tMs, queueLength and residentModelRatio must have the same length`);
    }
    for (let k = 1; k < t.tMs.length; k++) {
      if (t.tMs[k]! < t.tMs[k - 1]!) throw new InputError(where, `${path}/tMs/${k} goes back in time`);
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

export function readRunSummary(file: string): RunSummary {
  const value = readJsonFile(file, 'run summary');
  assertRunSummary(value, file);
  return value;
}

export function readCalibration(file: string): CalibrationFile {
  const value = readJsonFile(file, 'calibration file');
  assertCalibration(value, file);
  return value;
}
