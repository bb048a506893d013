/** Reading a policy's options from its scenario entry, with errors that name the option. */
import { InputError } from '../../base/errors.ts';

export function numberOption(
  options: Record<string, unknown>,
  key: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const v = options[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw new InputError(`policy option "${key}"`, `expected a number in [${min}, ${max}], got ${JSON.stringify(v)}`);
  }
  return v;
}

export function enumOption<T extends string>(
  options: Record<string, unknown>,
  key: string,
  fallback: T,
  allowed: readonly T[],
): T {
  const v = options[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'string' || !allowed.includes(v as T)) {
    throw new InputError(`policy option "${key}"`, `expected one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
  }
  return v as T;
}

export function booleanOption(options: Record<string, unknown>, key: string, fallback: boolean): boolean {
  const v = options[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') throw new InputError(`policy option "${key}"`, `expected true or false, got ${JSON.stringify(v)}`);
  return v;
}
