/** `elastitwin scenarios`: the shipped scenarios with their mode, device, model and description. */
import type { Command } from 'commander';
import { listScenarioNames, loadScenario } from '../../sim/scenario.ts';

export function register(program: Command): void {
  program
    .command('scenarios')
    .description('list the shipped scenarios')
    .option('--json', 'print JSON')
    .action((opts) => {
      const rows = listScenarioNames().map((name) => {
        const { scenario: s } = loadScenario(name);
        return { name, mode: s.mode, device: s.device, model: s.model, description: s.description ?? '' };
      });
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      const width = Math.max(...rows.map((r) => r.name.length));
      for (const r of rows) {
        process.stdout.write(`${r.name.padEnd(width)}  ${r.mode.padEnd(8)}  ${r.device.padEnd(12)}  ${r.model.padEnd(18)}  ${r.description}\n`);
      }
    });
}
