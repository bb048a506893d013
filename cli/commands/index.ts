/** Every sub-command of the CLI: one module each, one line here. */
import type { Command } from 'commander';
import { register as run } from './run.ts';
import { register as scenarios } from './scenarios.ts';
import { register as report } from './report.ts';
import { register as trace } from './trace.ts';
import { register as agent } from './agent.ts';
import { register as calibrate } from './calibrate.ts';
import { register as verify } from './verify.ts';
import { register as models } from './models.ts';
import { register as devices } from './devices.ts';
import { register as cost } from './cost.ts';
import { register as sweep } from './sweep.ts';
import { register as goodput } from './goodput.ts';
import { register as merge } from './merge.ts';
import { register as accuracy } from './accuracy.ts';
import { register as engines } from './engines.ts';

type Registrar = (program: Command) => void;

const registrars: Registrar[] = [
  accuracy,
  run,
  scenarios,
  report,
  trace,
  agent,
  calibrate,
  verify,
  models,
  devices,
  engines,
  cost,
  sweep,
  goodput,
  merge,
];

export function registerAll(program: Command): void {
  for (const register of registrars) register(program);
}
