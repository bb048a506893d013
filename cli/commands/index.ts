/** Every sub-command of the CLI: one module each, one line here. */
import type { Command } from 'commander';

type Registrar = (program: Command) => void;

const registrars: Registrar[] = [];

export function registerAll(program: Command): void {
  for (const register of registrars) register(program);
}
