/** Prints the invariant registry (`npm run test:props -- --list`): name, runs, area and statement. */
import { INVARIANTS } from './registry.ts';

const lines = INVARIANTS.map((i) => `${i.name}  (${i.runs} runs, ${i.area})\n    ${i.statement}\n`);
process.stdout.write(lines.join('') + 'model-based-service  (120 runs of up to 40 commands, simulator)\n    The simulator and the plain reference loop agree on order, per-request times, verdicts, drops and metrics.\n');
