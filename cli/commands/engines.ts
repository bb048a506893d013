/**
 * `elastitwin engines`: the inference engines and precisions (list), the fit of their SoC profiles to the
 * published measurements (fit), and the check of the shipped profiles against them (validate).
 */
import type { Command } from 'commander';
import { InputError } from '../../base/errors.ts';
import { fitProfiles } from '../../cost-models/engine-fit.ts';
import { writeFittedProfiles } from '../../cost-models/engine-files.ts';
import { validateEngines, type PhaseCheck } from '../../cost-models/engine-validate.ts';
import { listEngines } from '../../cost-models/engines.ts';
import { MEASUREMENTS_CSV, readMeasurements } from '../../cost-models/measurements.ts';
import { getPrecision } from '../../cost-models/precisions.ts';
import { shippedSocs, type EngineProfile } from '../../cost-models/socs.ts';

const pct = (x: number): string => (Number.isNaN(x) ? 'n/a (no rows)' : `${(x * 100).toFixed(1)} %`);

function shippedProfile(soc: string, engine: string): EngineProfile {
  const p = shippedSocs().get(soc)?.engines[engine] as EngineProfile | undefined;
  if (!p) throw new InputError(`SoC "${soc}"`, `has no shipped profile for engine ${engine}; run \`elastitwin engines fit\``);
  return p;
}

function cell(c: PhaseCheck | null): string {
  return (c ? `${c.published.toFixed(1)} → ${c.predicted.toFixed(1)} (${pct(c.error)})` : '–').padEnd(26);
}

export function register(program: Command): void {
  const engines = program.command('engines').description('inference engines: list them, fit their SoC profiles, validate them');
  engines
    .command('list', { isDefault: true })
    .description('engines, their processor and precisions (bits per weight)')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => {
      const list = listEngines().map((e) => ({ ...e, precisions: e.precisions.map((p) => getPrecision(p)) }));
      if (opts.json) return void process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
      const lines = ['engine      processor  precisions (bits per weight)'];
      for (const e of list) lines.push(`${e.id.padEnd(11)} ${e.processor.padEnd(10)} ${e.precisions.map((p) => `${p.id} (${p.bitsPerWeight})`).join(', ')}`);
      process.stdout.write(`${lines.join('\n')}\n`);
    });
  engines
    .command('fit')
    .description('fit the SoC x engine profiles to the measurements and write them into the shipped SoC files')
    .option('--measurements <file>', 'measurements CSV', MEASUREMENTS_CSV)
    .action((opts: { measurements: string }) => {
      const rows = readMeasurements(opts.measurements);
      const changed = writeFittedProfiles(fitProfiles(rows), new Date().toISOString().slice(0, 10));
      process.stdout.write(`${rows.length} rows; ${changed.length === 0 ? 'no profile changed' : `wrote ${changed.join(', ')}`}\n`);
    });
  engines
    .command('validate')
    .description('predicted vs published tokens/s per row, median and worst error, leave-one-source-out')
    .option('--measurements <file>', 'measurements CSV', MEASUREMENTS_CSV)
    .option('--json', 'print {"rows","prefill","decode","leaveOneSourceOut"} (errors as fractions)')
    .action((opts: { measurements: string; json?: boolean }) => {
      const rows = readMeasurements(opts.measurements);
      const v = validateEngines(rows, (m) => shippedProfile(m.soc, m.engine));
      if (opts.json) return void process.stdout.write(`${JSON.stringify(v, null, 2)}\n`);
      const lines = ['row                          engine      precision  prefill tok/s (error)     decode tok/s (error)'];
      for (const r of v.rows) lines.push(`${r.id.padEnd(28)} ${r.engine.padEnd(11)} ${r.precision.padEnd(10)} ${cell(r.prefill)} ${cell(r.decode)}`);
      lines.push(
        '',
        `prefill: median ${pct(v.prefill.median)}, worst ${pct(v.prefill.max)}; decode: median ${pct(v.decode.median)}, worst ${pct(v.decode.max)}`,
        `leave-one-source-out median: prefill ${pct(v.leaveOneSourceOut.prefill.median)}, decode ${pct(v.leaveOneSourceOut.decode.median)}`,
      );
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
