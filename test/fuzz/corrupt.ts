/**
 * Generated corruptions of valid JSON inputs: pick one location of a valid document and break it (a value
 * of another type, a deleted member, an unknown member). Each corruption knows its JSON pointer, so a test
 * can demand that the error message names it (or, for a member deleted or added, the object holding it).
 */
import fc from 'fast-check';

export interface Corruption {
  kind: 'replace' | 'delete' | 'add';
  /** JSON pointer of the location changed ('' = the root). */
  pointer: string;
  /** Pointer of the object or array holding it, and the member name. */
  parent: string;
  key: string;
  value?: unknown;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const escape = (k: string): string => k.replace(/~/g, '~0').replace(/\//g, '~1');

/** Every location inside a document: [pointer, parent pointer, key, is a container]. */
function locations(doc: Json, pointer = ''): Array<{ pointer: string; parent: string; key: string; container: boolean }> {
  const out: Array<{ pointer: string; parent: string; key: string; container: boolean }> = [];
  if (doc !== null && typeof doc === 'object') {
    const entries: Array<[string, Json]> = Array.isArray(doc) ? doc.map((v, i) => [String(i), v]) : Object.entries(doc);
    for (const [k, v] of entries) {
      const p = `${pointer}/${escape(k)}`;
      out.push({ pointer: p, parent: pointer, key: k, container: v !== null && typeof v === 'object' });
      out.push(...locations(v, p));
    }
  }
  return out;
}

/** Values of every JSON type, among them the usual suspects (negative, NaN-free huge, empty). */
export const wrongValueArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, -1, 0, 1.5, 1e300, '', 'zzz', [], {}, [1, 2], { x: 1 }),
  fc.string({ maxLength: 8 }),
  fc.integer({ min: -1000, max: 1000 }),
);

/** A corruption of `doc` (which must have at least one member). */
export function corruptionArb(doc: unknown): fc.Arbitrary<Corruption> {
  const locs = locations(doc as Json);
  const objects = [{ pointer: '' }, ...locs.filter((l) => l.container)].map((l) => l.pointer).filter((p) => !Array.isArray(at(doc, p)));
  return fc.oneof(
    fc.record({ loc: fc.constantFrom(...locs), value: wrongValueArb }).map(({ loc, value }) => ({ kind: 'replace' as const, pointer: loc.pointer, parent: loc.parent, key: loc.key, value })),
    fc.constantFrom(...locs.filter((l) => !/^\d+$/.test(l.key))).map((loc) => ({ kind: 'delete' as const, pointer: loc.pointer, parent: loc.parent, key: loc.key })),
    fc.record({ parent: fc.constantFrom(...objects), key: fc.constantFrom('bogus', 'extra_member', 'Name') }).map(({ parent, key }) => ({ kind: 'add' as const, pointer: `${parent}/${key}`, parent, key, value: 1 })),
  );
}

function at(doc: unknown, pointer: string): unknown {
  if (pointer === '') return doc;
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')).reduce<unknown>((v, k) => (v as Record<string, unknown>)?.[k], doc);
}

/** A deep copy of `doc` with the corruption applied. */
export function applyCorruption<T>(doc: T, c: Corruption): T {
  const copy = structuredClone(doc) as unknown;
  if (c.pointer === '' && c.kind === 'replace') return c.value as T;
  const holder = at(copy, c.parent) as Record<string, unknown>;
  if (c.kind === 'delete') delete holder[c.key];
  else holder[c.key] = structuredClone(c.value);
  return copy as T;
}

/**
 * Whether an error message points at the corruption: its pointer, or its parent's (ajv reports a missing or
 * unknown member on the object holding it; '(root)' for the top level) together with the member's name.
 */
export function namesLocation(message: string, c: Corruption): boolean {
  if (c.pointer !== '' && message.includes(c.pointer)) return true;
  const parent = c.parent === '' ? '(root)' : c.parent;
  return message.includes(parent) && (message.includes(c.key) || c.kind === 'replace');
}
