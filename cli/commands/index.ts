/** Every sub-command of the CLI: one module each, one line here. */
import type { Command } from 'commander';
import { register as run } from './run.ts';
import { register as scenarios } from './scenarios.ts';
import { register as report } from './report.ts';

type Registrar = (program: Command) => void;

const registrars: Registrar[] = [
  run,
  scenarios,
  report,
];

export function registerAll(program: Command): void {
  for (const register of registrars) register(program);
}
