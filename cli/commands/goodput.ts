/**
 * `elastitwin goodput SCENARIO --target 0.9 [--seeds 3] [--precision 0.05]`: per policy, the highest arrival
 * rate at which at least the target share of requests meets both SLOs (sim/sweep/goodput.ts).
 */
import type { Command } from 'commander';
import { InputError } from '../../base/errors.ts';
import { loadScenario, validateScenario } from '../../sim/scenario.ts';
import { goodputForScenario, arrivalRateOf, type GoodputReport, type PolicyGoodput } from '../../sim/sweep/goodput.ts';
import { SimPool, defaultWorkers } from '../sweep/pool.ts';
import { parseList, parseEngineFlag } from './parse.ts';
import { parsePositiveInt } from './sweep.ts';
import { collectPlugin, loadPlugins, pluginsOfFlags, pluginsOfScenario, unionOf } from '../plugins.ts';

/** A number in (0, 1], e.g. a target share or a relative precision. */
export function parseShare(value: string, flag: string): number {
  const x = Number(value);
  if (value.trim() === '' || !Number.isFinite(x) || x <= 0 || x > 1) throw new InputError(flag, `expected a number in (0, 1], got "${value}"`);
  return x;
}

const num = (x: number | null): string => (x === null ? '–' : Number(x.toPrecision(4)).toString());
const pct = (x: number | null): string => (x === null ? '–' : `${(x * 100).toFixed(1)}%`);

function goodputText(p: PolicyGoodput): string {
  if (p.status === 'above-range') return `≥ ${num(p.lo)}`;
  if (p.status === 'below-range') return `< ${num(p.hi)}`;
  return num(p.goodputPerMin);
}

export function formatGoodputTable(r: GoodputReport): string {
  const lines = [
    `Goodput of ${r.scenario}: highest arrival rate (requests/min) with ≥ ${pct(r.target)} of requests within both SLOs`,
    `(mean over seeds ${r.seeds.join(', ')}; bisection to a relative precision of ${pct(r.precision)}; search started at ${num(r.startRatePerMin)}/min)`,
    '',
    '| policy | goodput (req/min) | bracket [meets, misses) | attainment at bracket | runs |',
    '|---|---:|---|---|---:|',
    ...r.policies.map((p) =>
      `| ${p.policy} | ${goodputText(p)} | [${num(p.lo)}, ${num(p.hi)}) | ${pct(p.attainmentAtLo)} / ${pct(p.attainmentAtHi)} | ${p.evaluations.length * r.seeds.length} |`),
  ];
  return lines.join('\n') + '\n';
}

export function register(program: Command): void {
  program
    .command('goodput')
    .description('find, per policy, the highest arrival rate meeting an SLO-attainment target (timed scenarios)')
    .argument('<scenario>', 'scenario name or path to a scenario JSON file (timed mode, Poisson or bursty arrivals)')
    .requiredOption('--target <share>', 'share of requests that must meet both SLOs, e.g. 0.9')
    .option('--seeds <n>', 'seeds averaged per rate (the scenario\'s seed, seed+1, …)', '3')
    .option('--precision <share>', 'relative width of the final bracket', '0.05')
    .option('--policies <list>', 'comma-separated policy labels (default: all of the scenario\'s)')
    .option('--workers <n>', 'worker threads (default: the number of CPUs)')
    .option('--engine <name>', 'inference engine (see `elastitwin engines`), or prefill=NAME,decode=NAME')
    .option('--dtype <dtype>', 'weight precision the engine runs')
    .option('--json', 'print the result as JSON')
    .option('--plugin <file>', 'load a plug-in (policies, queues, latency kinds) in every worker; repeatable', collectPlugin)
    .action(async (name: string, opts) => {
      const loaded = loadScenario(name);
      const plugins = unionOf(pluginsOfFlags(opts.plugin), pluginsOfScenario(loaded));
      await loadPlugins(plugins); // a bad plug-in fails here, before any worker starts
      if (opts.engine !== undefined || opts.dtype !== undefined) {
        const s = { ...loaded.scenario };
        if (opts.engine !== undefined) s.engine = parseEngineFlag(opts.engine);
        if (opts.dtype !== undefined) s.dtype = opts.dtype;
        loaded.scenario = validateScenario(s, `${loaded.file} with --engine/--dtype`);
      }
      arrivalRateOf(loaded); // reject isolated / rate-less scenarios before starting workers
      const options = {
        target: parseShare(opts.target, '--target'),
        precision: parseShare(opts.precision, '--precision'),
        seeds: parsePositiveInt(opts.seeds, '--seeds'),
        ...(opts.policies !== undefined ? { policies: parseList(opts.policies, '--policies') } : {}),
      };
      const pool = await SimPool.start(opts.workers === undefined ? defaultWorkers() : parsePositiveInt(opts.workers, '--workers'), plugins);
      let report: GoodputReport;
      try {
        report = await goodputForScenario(loaded, options, pool);
      } finally {
        await pool.close();
      }
      process.stdout.write(opts.json ? JSON.stringify(report, null, 2) + '\n' : formatGoodputTable(report));
    });
}
