/** `elastitwin report <run dir>`: rebuild report.html from a run's summary.json, requests.csv (+ calibration.json). */
import path from 'node:path';
import type { Command } from 'commander';
import { buildHtmlReport } from '../../reports/index.ts';

export function register(program: Command): void {
  program
    .command('report')
    .description('rebuild <run dir>/report.html from the run\'s summary.json and requests.csv (and calibration.json if present)')
    .argument('<run-dir>', 'a run output folder, e.g. out/default')
    .action(async (runDir: string) => {
      const file = await buildHtmlReport(path.resolve(runDir));
      process.stdout.write(`wrote ${path.relative(process.cwd(), file) || file}\n`);
    });
}
