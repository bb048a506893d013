/**
 * Reading JSON inputs with ajv, turning every failure into an InputError that names the file and the JSON
 * path, so a user can find the line to fix.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { InputError } from '../cli/errors.ts';

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });
const compiled = new Map<string, ValidateFunction>();

export function schemaValidator(schemaPath: URL): ValidateFunction {
  const key = schemaPath.href;
  let v = compiled.get(key);
  if (!v) {
    v = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
    compiled.set(key, v);
  }
  return v;
}

/**
 * The useful ajv errors, as "path: message" lines. A `oneOf` over tagged objects (kind/process) makes ajv
 * report every branch's complaints; the branches whose tag does not match are dropped, so the message
 * speaks of the branch the user meant.
 */
export function describeAjvErrors(errors: ErrorObject[] | null | undefined): string {
  if (!errors || errors.length === 0) return 'invalid';
  const mismatched: string[] = [];
  for (const e of errors) {
    if (e.keyword === 'const' && /\/(kind|process)$/.test(e.instancePath)) {
      const m = /^(.*\/oneOf\/\d+)\//.exec(e.schemaPath);
      if (m) mismatched.push(`${m[1]}/`);
    }
  }
  let kept = errors.filter((e) => !mismatched.some((prefix) => e.schemaPath.startsWith(prefix)));
  const specific = kept.filter((e) => e.keyword !== 'oneOf');
  if (specific.length > 0) kept = specific;
  const lines: string[] = [];
  for (const e of kept) {
    const where = e.instancePath === '' ? '(root)' : e.instancePath;
    let msg = e.message ?? 'invalid';
    if (e.keyword === 'additionalProperties') msg = `unknown property "${(e.params as { additionalProperty: string }).additionalProperty}"`;
    if (e.keyword === 'enum') msg = `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((x) => JSON.stringify(x)).join(', ')}`;
    if (e.keyword === 'const') msg = `must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`;
    const line = `${where} ${msg}`;
    if (!lines.includes(line)) lines.push(line);
    if (lines.length === 6) break;
  }
  return lines.join('; ');
}

export function readJsonFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError(path, `cannot read ${what}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(path, `${what} is not valid JSON: ${(e as Error).message}`);
  }
}

/** Parses and validates (filling schema defaults in place); throws InputError naming file and JSON path. */
export function readValidatedJson<T>(path: string, schema: URL, what: string): T {
  const data = readJsonFile(path, what);
  const validate = schemaValidator(schema);
  if (!validate(data)) throw new InputError(path, `invalid ${what}: ${describeAjvErrors(validate.errors)}`);
  return data as T;
}
