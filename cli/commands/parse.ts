/** Flag parsers shared by sub-commands: each rejects bad values with an InputError naming the flag. */
import { InputError } from '../../base/errors.ts';

export function parseSeed(value: string, flag = '--seed'): number {
  if (!/^\d+$/.test(value) || Number(value) > 4294967295) {
    throw new InputError(flag, `expected an integer from 0 to 4294967295, got "${value}"`);
  }
  return Number(value);
}

export function parsePositiveNumber(value: string, flag: string): number {
  const x = Number(value);
  if (value.trim() === '' || !Number.isFinite(x) || x <= 0) throw new InputError(flag, `expected a positive number, got "${value}"`);
  return x;
}

export function parseNonNegativeInt(value: string, flag: string): number {
  if (!/^\d+$/.test(value)) throw new InputError(flag, `expected a non-negative integer, got "${value}"`);
  return Number(value);
}

export function parseList(value: string, flag: string): string[] {
  const items = value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (items.length === 0) throw new InputError(flag, 'expected a comma-separated, non-empty list');
  return items;
}
