/**
 * The composition root's one wiring step: parts that live above the simulator but plug into its registries.
 * Imported for its effect by the CLI's entry and by sweep workers (each a fresh thread with its own
 * registries), before any scenario is loaded.
 */
import { latencyKinds } from '../sim/latency-kinds.ts';
import { hilLatencyKind } from '../hil/latency-kind.ts';

if (!latencyKinds.has('hil')) latencyKinds.register('hil', hilLatencyKind);
