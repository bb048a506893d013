/**
 * The paper's six SLO classes (Table 3 of the paper; the same list heads the artifact's
 * generate_traces.py), each tied to one dataset. SLOs are ratios of the full model's TTFT / TPOT.
 */
import type { Dataset, Slo } from '../types.ts';

export interface TraceClass {
  /** App name (the SLO class), e.g. 'Rewind'. */
  app: string;
  dataset: Dataset;
  slo: Slo;
}

const ratio = (ttft: number, tpot: number): Slo => ({ ttft, tpot, unit: 'ratio' });

/**
 * In the artifact's code order i = 1..6: from the most relaxed SLO (Rewind ⟨1, 1⟩) to the tightest
 * (XiaoAi ⟨0.2, 0.5⟩). Frozen so callers cannot edit the shared definition.
 */
export const PAPER_CLASSES: readonly Readonly<TraceClass>[] = Object.freeze(
  ([
    { app: 'Rewind', dataset: 'OBQA', slo: ratio(1, 1) },
    { app: 'GMail', dataset: 'ARC_E', slo: ratio(0.8, 0.9) },
    { app: 'Octopus', dataset: 'octopus', slo: ratio(0.6, 0.8) },
    { app: 'Shortcuts', dataset: 'llamatouch', slo: ratio(0.4, 0.7) },
    { app: 'Gboard', dataset: 'PIQA', slo: ratio(0.2, 0.6) },
    { app: 'XiaoAi', dataset: 'SCIQ', slo: ratio(0.2, 0.5) },
  ] satisfies TraceClass[]).map((c) => Object.freeze({ ...c, slo: Object.freeze(c.slo) })),
);

export function paperClassOf(dataset: Dataset): Readonly<TraceClass> {
  const c = PAPER_CLASSES.find((x) => x.dataset === dataset);
  if (!c) throw new Error(`no paper class for dataset ${dataset}`);
  return c;
}
