/** `elastitwin run <scenario>`: simulate a scenario, write out/<name>/…, print the comparison table. */
import path from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../../base/errors.ts';
import { loadScenario } from '../../sim/scenario.ts';
import { parseLatencyFlag } from '../../sim/latency-kinds.ts';
import { runScenario, type RunOverrides } from '../../sim/run.ts';
import { readFileSync } from 'node:fs';
import {
  formatSummaryMarkdown, writeRunOutputs, formatRequestsCsv, RUN_FILES, warmUpChartRenderer,
} from '../../reports/index.ts';
import { collectPlugin, loadPlugins, pluginsOfFlags, pluginsOfScenario, unionOf } from '../plugins.ts';
import { parseSeed, parseList, parseEngineFlag } from './parse.ts';
import { getPrecision } from '../../cost-models/index.ts';

export function register(program: Command): void {
  program
    .command('run')
    .description('simulate a scenario (a shipped name or a JSON file) and print the policy comparison')
    .argument('<scenario>', 'scenario name (see `elastitwin scenarios`) or path to a scenario JSON file')
    .option('--policies <list>', 'comma-separated policies to run instead of the scenario\'s')
    .option('--seed <n>', 'override the scenario seed')
    .option('--out <dir>', 'output folder (default out/<scenario name>)')
    .option('--trace <file>', 'replace the scenario\'s trace with a file')
    .option('--trace-format <format>', 'format of --trace: jsonl (default) or elastilm')
    .option('--latency <spec>', 'latency model: roofline | calibrated:PATH | table:PATH | hil:ws://HOST:PORT')
    .option('--engine <name>', 'inference engine (see `elastitwin engines`), or prefill=NAME,decode=NAME')
    .option('--dtype <dtype>', 'weight precision the engine runs (see `elastitwin engines`)')
    .option('--token-file <file>', 'token file of the HIL agent (with --latency hil:…)')
    .option('--json', 'print summary.json instead of the Markdown table')
    .option('--no-html', 'do not write report.html')
    .option('--plugin <file>', 'load a plug-in file that registers policies, queues or latency kinds; repeatable', collectPlugin)
    .action(async (name: string, opts) => {
      const loaded = loadScenario(name);
      const overrides: RunOverrides = {};
      const flagPlugins = pluginsOfFlags(opts.plugin);
      await loadPlugins(unionOf(pluginsOfScenario(loaded), flagPlugins));
      if (flagPlugins.length > 0) overrides.plugins = flagPlugins;
      if (opts.policies !== undefined) overrides.policies = parseList(opts.policies, '--policies');
      if (opts.seed !== undefined) overrides.seed = parseSeed(opts.seed);
      if (opts.traceFormat !== undefined && opts.trace === undefined) {
        throw new InputError('--trace-format', 'applies to a trace file: give it with --trace FILE');
      }
      if (opts.trace !== undefined) {
        const format = opts.traceFormat ?? 'jsonl';
        if (format !== 'jsonl' && format !== 'elastilm') {
          throw new InputError('--trace-format', `expected jsonl or elastilm, got "${format}"`);
        }
        overrides.trace = { path: path.resolve(opts.trace), format };
      }
      if (opts.latency !== undefined) overrides.latency = parseLatencyFlag(opts.latency, { tokenFile: opts.tokenFile });
      if (opts.engine !== undefined) overrides.engine = parseEngineFlag(opts.engine);
      if (opts.dtype !== undefined) overrides.dtype = getPrecision(opts.dtype, '--dtype').id;
      const html = opts.html !== false && loaded.scenario.output?.html !== false;
      // chart workers load vega while the simulation runs (they are unref'd: they never hold the process)
      if (html) warmUpChartRenderer();
      const { summary, rows } = await runScenario(loaded, overrides);
      const dir = path.resolve(opts.out ?? path.join('out', loaded.scenario.name));
      await writeRunOutputs(dir, summary, formatRequestsCsv(rows ?? []), { html, requestRows: rows ?? [] });
      process.stdout.write(opts.json ? readFileSync(path.join(dir, RUN_FILES.summary), 'utf8') : `${formatSummaryMarkdown(summary)}\nwrote ${path.relative(process.cwd(), dir) || '.'}/\n`);
    });
}
