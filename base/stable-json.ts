/**
 * Deterministic JSON for run outputs: members appear in the order their JSON Schema lists them (so
 * summary.json reads top-down: tool, scenario, … policies), and members the schema does not name (free-form
 * objects such as the scenario spec) in code-point order. Same value → same bytes, whatever order the
 * producer happened to build its objects in.
 */
type SchemaNode = {
  $ref?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  definitions?: Record<string, SchemaNode>;
};

function resolve(node: SchemaNode | undefined, root: SchemaNode): SchemaNode | undefined {
  let n = node;
  while (n?.$ref) {
    const name = n.$ref.replace(/^#\/definitions\//, '');
    n = root.definitions?.[name];
  }
  return n;
}

function canonical(value: unknown, node: SchemaNode | undefined, root: SchemaNode): unknown {
  const schema = resolve(node, root);
  if (Array.isArray(value)) return value.map((v) => canonical(v, schema?.items, root));
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  const known = Object.keys(schema?.properties ?? {}).filter((k) => k in obj);
  const rest = Object.keys(obj).filter((k) => !known.includes(k)).sort();
  const out: Record<string, unknown> = {};
  for (const k of [...known, ...rest]) {
    if (obj[k] !== undefined) out[k] = canonical(obj[k], schema?.properties?.[k], root);
  }
  return out;
}

/** 2-space indented JSON with a trailing newline, member order fixed by `schema` (see above). */
export function stableJson(value: unknown, schema: object = {}): string {
  const root = schema as SchemaNode;
  return JSON.stringify(canonical(value, root, root), null, 2) + '\n';
}
