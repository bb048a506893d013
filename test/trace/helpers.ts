/** Shared by the trace tests: fixture paths and catching the InputError a call must throw. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../../base/errors.ts';

export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
export const fixture = (name: string): string => path.join(FIXTURES, name);

export function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}
