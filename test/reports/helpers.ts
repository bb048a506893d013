/** Shared helpers of the report tests: a scratch folder per test and the InputError message of a call. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { isInputError } from '../../base/errors.ts';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary folder, removed after the test. */
export function scratchDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'elastitwin-reports-'));
  made.push(dir);
  return dir;
}

/** The message of the InputError that `fn` throws (fails the test if it throws something else or nothing). */
export async function inputErrorOf(fn: () => unknown): Promise<string> {
  try {
    await fn();
  } catch (e) {
    if (isInputError(e)) return e.message;
    throw e;
  }
  throw new Error('expected an InputError, nothing was thrown');
}
