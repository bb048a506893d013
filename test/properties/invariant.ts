/** What an invariant of the registry is: a name, a one-line statement, its run count and its property. */
import type fc from 'fast-check';

export interface Invariant<P> {
  /** Kebab-case id, used by `npm run test:props -- --only NAME` and in docs/testing.md. */
  name: string;
  /** One line: what must always hold. */
  statement: string;
  /** Which part of the twin it constrains. */
  area: 'simulator' | 'cost models' | 'policies' | 'metrics';
  /** Generated cases per CI run (ELASTITWIN_FC_RUNS overrides). */
  runs: number;
  /** The real parts the property checks; mutation tests pass broken ones instead. */
  defaults(): P;
  property(parts: P): fc.IRawProperty<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Identity helper that keeps each invariant's parts type while the registry holds them together. */
export function defineInvariant<P>(inv: Invariant<P>): Invariant<P> {
  return inv;
}
