/** `elastitwin merge DIR… --out DIR`: join shard outputs into exactly what the unsharded sweep writes. */
import path from 'node:path';
import type { Command } from 'commander';
import { mergeSweeps } from '../../reports/sweep-merge.ts';
import { SWEEP_FILES } from '../../reports/sweep-outputs.ts';
import { stopChartRenderer } from '../../reports/index.ts';

export function register(program: Command): void {
  program
    .command('merge')
    .description('join the output folders of a sweep\'s shards (--shard i/n) into one, as if run unsharded')
    .argument('<dirs...>', 'shard output folders of one sweep')
    .requiredOption('--out <dir>', 'merged output folder (may be one of the inputs)')
    .option('--no-html', 'do not write report.html')
    .action(async (dirs: string[], opts) => {
      let outcome;
      try {
        outcome = await mergeSweeps(dirs, opts.out, { html: opts.html !== false });
      } finally {
        await stopChartRenderer(); // ends the render threads so the process can exit
      }
      const rel = path.relative(process.cwd(), outcome.outDir) || '.';
      process.stdout.write(
        `merged ${dirs.length} folder(s): ${outcome.runs} runs (${outcome.copied} copied)\n` +
        `wrote ${rel}/${SWEEP_FILES.csv} and ${SWEEP_FILES.json} (${outcome.table.rows.length} rows)` +
        `${opts.html !== false ? `, ${SWEEP_FILES.report}` : ''}\n`,
      );
    });
}
