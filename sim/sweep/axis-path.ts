/**
 * Axis paths: a sweep axis names the scenario field it varies with a dotted path ("trace.arrival.ratePerMin",
 * "policies", "policies.0.options.decisionQuality"); numeric segments index arrays. A path must lead through
 * fields that exist in the base scenario; only its last member may be new (the scenario schema then decides
 * whether that member is allowed), so a typo in the middle of a path is caught before anything runs.
 */

/** Splits a dotted path into its segments ("a.b.0" → ["a", "b", "0"]); empty segments are not allowed. */
export function parseAxisPath(axisPath: string): string[] {
  const segments = axisPath.split('.');
  if (segments.some((s) => s === '')) throw new Error(`"${axisPath}" has an empty segment`);
  return segments;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isIndex = (segment: string, length: number): boolean => /^\d+$/.test(segment) && Number(segment) < length;

function describeFields(v: unknown): string {
  if (Array.isArray(v)) return `an array of ${v.length} (indices 0..${v.length - 1})`;
  if (isObject(v)) return `an object with fields ${Object.keys(v).map((k) => `"${k}"`).join(', ') || '(none)'}`;
  return `a ${v === null ? 'null' : typeof v} (${JSON.stringify(v)}), which has no fields`;
}

/**
 * Why `axisPath` cannot be set on `base`, or null when it can. Every segment but the last must exist; the
 * last may name a new member of an object, but must be an existing index of an array.
 */
export function axisPathProblem(base: unknown, axisPath: string): string | null {
  let segments: string[];
  try {
    segments = parseAxisPath(axisPath);
  } catch (e) {
    return (e as Error).message;
  }
  let node: unknown = base;
  for (const [k, segment] of segments.entries()) {
    const last = k === segments.length - 1;
    const where = segments.slice(0, k).join('.') || '(the scenario root)';
    if (Array.isArray(node)) {
      if (!isIndex(segment, node.length)) return `"${segment}" is not an index of ${where}, ${describeFields(node)}`;
      node = node[Number(segment)];
    } else if (isObject(node)) {
      if (!(segment in node)) {
        if (last) return null;
        return `"${segment}" is not a field of ${where}, ${describeFields(node)}`;
      }
      node = node[segment];
    } else {
      return `${where} is ${describeFields(node)}`;
    }
  }
  return null;
}

/** True when the path exists in `base` as it is (its last member is not new). */
export function axisPathExists(base: unknown, axisPath: string): boolean {
  let node: unknown = base;
  for (const segment of parseAxisPath(axisPath)) {
    if (Array.isArray(node) && isIndex(segment, node.length)) node = node[Number(segment)];
    else if (isObject(node) && segment in node) node = node[segment];
    else return false;
  }
  return true;
}

/** Sets the value at `axisPath` in `target` (mutates it); the path must pass axisPathProblem first. */
export function setAtPath(target: unknown, axisPath: string, value: unknown): void {
  const segments = parseAxisPath(axisPath);
  let node = target as Record<string, unknown>;
  for (const segment of segments.slice(0, -1)) node = node[segment] as Record<string, unknown>;
  node[segments[segments.length - 1]!] = structuredClone(value);
}
