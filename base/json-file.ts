/**
 * Reading JSON inputs with ajv, turning every failure into an InputError that names the file and the JSON
 * path, so a user can find the line to fix.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { InputError } from './errors.ts';

/**
 * The one Ajv of the project. `useDefaults` fills scenario defaults in place (only the scenario schema has
 * any); `allErrors` lets the formatter below pick the branch the user meant.
 */
const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });
const compiled = new Map<string, ValidateFunction>();

/** The validator of a schema file, compiled once per process. */
export function schemaValidator<T = unknown>(schemaPath: URL): ValidateFunction<T> {
  const key = schemaPath.href;
  let v = compiled.get(key);
  if (!v) {
    const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as { $id?: string };
    // A schema another one $refs may already be registered under its $id (see compileSchema).
    v = (schema.$id !== undefined ? ajv.getSchema(schema.$id) : undefined) ?? ajv.compile(schema);
    compiled.set(key, v);
  }
  return v as ValidateFunction<T>;
}

/** The validator of a schema given as an object (compiled by the same Ajv); `refs` are schemas it $refs. */
export function compileSchema<T = unknown>(schema: object, refs: object[] = []): ValidateFunction<T> {
  for (const r of refs) {
    const id = (r as { $id?: string }).$id;
    if (id === undefined || !ajv.getSchema(id)) ajv.addSchema(r);
  }
  return ajv.compile<T>(schema);
}

/**
 * The useful ajv errors, as "path: message" lines. A `oneOf` over tagged objects (kind/process) makes ajv
 * report every branch's complaints; the branches whose tag does not match are dropped, so the message
 * speaks of the branch the user meant.
 */
export function describeAjvErrors(errors: ErrorObject[] | null | undefined, most = 6): string {
  if (!errors || errors.length === 0) return 'invalid';
  const mismatched: string[] = [];
  for (const e of errors) {
    if ((e.keyword === 'const' || e.keyword === 'not') && /\/(kind|process)$/.test(e.instancePath)) {
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
    if (lines.length === most) break;
  }
  return lines.join('; ');
}

export function readJsonFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(path, `cannot read ${what}: file not found`);
    throw new InputError(path, `cannot read ${what}: ${code ?? (e as Error).message}`);
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
