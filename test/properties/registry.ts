/**
 * The invariant registry: every invariant of the twin in one list, with its one-line statement and its run
 * count. The properties test runs them all; `npm run test:props -- --list` prints them; docs/testing.md
 * mirrors them (a test keeps the page in step).
 */
import type { Invariant } from './invariant.ts';
import { clockMonotone, isolatedMeetsFeasibleSlo, oneRequestOnDevice, servedOrDroppedOnce, ttftComponents } from './invariants/simulator.ts';
import { accuracyUnderSloBounded, sameSeedSameOutput } from './invariants/metrics.ts';
import { accuracySurfaceMonotone, latencyMonotone } from './invariants/cost-models.ts';
import { largerSloKeepsAccuracy } from './invariants/policies.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const INVARIANTS: ReadonlyArray<Invariant<any>> = [
  clockMonotone,
  servedOrDroppedOnce,
  ttftComponents,
  oneRequestOnDevice,
  accuracySurfaceMonotone,
  latencyMonotone,
  isolatedMeetsFeasibleSlo,
  sameSeedSameOutput,
  largerSloKeepsAccuracy,
  accuracyUnderSloBounded,
];

export function findInvariant(name: string): Invariant<unknown> {
  const inv = INVARIANTS.find((x) => x.name === name);
  if (!inv) throw new Error(`no invariant "${name}" (known: ${INVARIANTS.map((x) => x.name).join(', ')})`);
  return inv;
}
