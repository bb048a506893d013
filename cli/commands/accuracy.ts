/**
 * `elastitwin accuracy show <model>`: print a surface as a model level × prompt ratio grid.
 * `elastitwin accuracy fit [--out DIR]`: re-fit the shipped priors to constraints.json and write them.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../../base/errors.ts';
import { DATASETS, METHODS, loadAccuracySurfaces, SHIPPED_SURFACES_DIR } from '../../cost-models/accuracy/index.ts';
import { fitPriors, writeFit } from '../../cost-models/accuracy/fit.ts';
import type { SurfaceRecord } from '../../cost-models/accuracy/surface-file.ts';

function collectFile(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function formatGrid(rec: SurfaceRecord): string {
  // paper order: prompt ratio 1.0 → 0.1 across, model level 1.0 → 0.2 down
  const cols = rec.promptRatios.map((_, j) => j).reverse();
  const rows = rec.modelRatios.map((_, i) => i).reverse();
  const head = ['level \\ prompt', ...cols.map((j) => rec.promptRatios[j]!.toFixed(1))];
  const lines = [head.map((h, k) => (k === 0 ? h.padEnd(14) : h.padStart(6))).join(' ')];
  for (const i of rows)
    lines.push([rec.modelRatios[i]!.toFixed(1).padEnd(14), ...cols.map((j) => rec.values[i]![j]!.toFixed(4).padStart(6))].join(' '));
  return lines.join('\n');
}

export function register(program: Command): void {
  const accuracy = program.command('accuracy').description('accuracy surfaces: show them, re-fit the shipped priors');

  accuracy
    .command('show')
    .description('print accuracy surfaces of a model as a model level × prompt ratio grid')
    .argument('<model>', "model id (e.g. llama-7b; for --method pfs an OPT model such as opt-1.3b)")
    .option('--method <method>', `method key (${METHODS.join(', ')})`, 'elastilm')
    .option('--dataset <dataset>', `one dataset (${DATASETS.join(', ')}); default all`)
    .option('--file <path>', 'surface file (JSON or CSV) overriding the shipped priors; repeatable', collectFile, [])
    .option('--json', 'print the surfaces as JSON')
    .action((model: string, opts: { method: string; dataset?: string; file: string[]; json?: boolean }) => {
      if (!(METHODS as readonly string[]).includes(opts.method))
        throw new InputError('--method', `unknown method '${opts.method}' (known: ${METHODS.join(', ')})`);
      if (opts.dataset !== undefined && !(DATASETS as readonly string[]).includes(opts.dataset))
        throw new InputError('--dataset', `unknown dataset '${opts.dataset}' (known: ${DATASETS.join(', ')})`);
      const set = loadAccuracySurfaces({ files: opts.file.map((f) => path.resolve(f)) });
      const datasets = opts.dataset ? [opts.dataset] : [...DATASETS];
      const records = datasets.map((d) => set.record(opts.method, model, d)).filter((r): r is SurfaceRecord => r !== undefined);
      if (records.length === 0) throw new InputError('<model>', `no '${opts.method}' surface for model '${model}'${opts.dataset ? ` on ${opts.dataset}` : ''}`);
      if (opts.json) {
        process.stdout.write(JSON.stringify({ surfaces: records }, null, 2) + '\n');
        return;
      }
      for (const rec of records) {
        process.stdout.write(`${rec.method} · ${rec.model} · ${rec.dataset}  (source: ${rec.provenance.source}, ${rec.provenance.date})\n`);
        process.stdout.write(formatGrid(rec) + '\n\n');
      }
    });

  accuracy
    .command('fit')
    .description('re-fit the prior surfaces to the published constraints (cost-models/accuracy/constraints.json)')
    .option('--out <dir>', 'output folder', SHIPPED_SURFACES_DIR)
    .option('--force', 'write the surfaces even if a constraint is missed')
    .action((opts: { out: string; force?: boolean }) => {
      const result = fitPriors();
      const width = Math.max(...result.results.map((r) => r.id.length));
      for (const r of result.results) {
        const bound = r.sense === 'eq' ? `${r.target} ± ${r.tolerance}` : `${r.sense === 'ge' ? '≥' : '≤'} ${r.target}`;
        process.stdout.write(`${r.ok ? 'ok  ' : 'MISS'} ${r.id.padEnd(width)}  ${r.value.toFixed(4)}  (${bound})\n`);
      }
      const missed = result.results.filter((r) => !r.ok);
      if (missed.length > 0 && !opts.force) {
        process.stderr.write(`elastitwin: ${missed.length} constraint(s) missed; nothing written (use --force to write anyway)\n`);
        process.exitCode = 1;
        return;
      }
      for (const f of writeFit(result, path.resolve(opts.out))) process.stdout.write(`wrote ${f}\n`);
    });
}
