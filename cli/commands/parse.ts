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

/** --engine NAME, or prefill=NAME,decode=NAME to split the phases across engines. */
export function parseEngineFlag(value: string, flag = '--engine'): string | { prefill: string; decode: string } {
  if (!value.includes('=')) {
    if (value.trim() === '') throw new InputError(flag, 'expected an engine name (see `elastitwin engines`)');
    return value.trim();
  }
  const parts = Object.fromEntries(value.split(',').map((kv) => kv.split('=').map((x) => x.trim()) as [string, string]));
  const keys = Object.keys(parts).sort().join(',');
  if (keys !== 'decode,prefill' || !parts.prefill || !parts.decode) {
    throw new InputError(flag, `expected NAME or prefill=NAME,decode=NAME, got "${value}"`);
  }
  return { prefill: parts.prefill, decode: parts.decode };
}
