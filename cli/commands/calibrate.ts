/** `elastitwin calibrate`: fit a device profile from block timings measured by a HIL agent. */
import type { Command } from 'commander';
import { InputError } from '../../base/errors.ts';
import { calibrate, DEFAULT_BUDGET_S } from '../../hil/calibrate.ts';
import { DEFAULT_GRID } from '../../hil/calibration-plan.ts';
import { AgentError, readTokenFile } from '../../hil/controller.ts';
import { writeJsonAtomic } from '../../hil/files.ts';
import { progressSink } from '../../hil/progress-bar.ts';
import { validateProfile } from '../../hil/profile-file.ts';

interface Flags {
  agent: string; tokenFile?: string; device: string; model: string; out: string; journal?: string;
  budgetS: string; blockScale: string; threads?: string; dtype: string; cooldownMs: string;
  promptTokens?: string; contextTokens?: string;
}

function lengths(flag: string, value: string | undefined, fallback: number[]): number[] {
  if (value === undefined) return fallback;
  const xs = value.split(',').map((v) => Number(v.trim()));
  if (xs.length < 3 || xs.some((x) => !Number.isInteger(x) || x < 1 || x > 16384) || xs.some((x, i) => i > 0 && x <= xs[i - 1]!)) {
    throw new InputError(flag, `expected at least 3 increasing token counts in 1..16384, comma-separated; got ${JSON.stringify(value)}`);
  }
  return xs;
}

function positive(flag: string, value: string, integer: boolean): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) throw new InputError(flag, `must be a positive ${integer ? 'integer' : 'number'}, got ${JSON.stringify(value)}`);
  return n;
}

export function register(program: Command): void {
  program
    .command('calibrate')
    .description('measure decoder blocks on a HIL agent and fit a calibrated device profile')
    .requiredOption('--agent <url>', 'agent address, e.g. ws://127.0.0.1:8765')
    .option('--token-file <file>', 'file holding the agent token')
    .requiredOption('--device <name>', 'device id written into the profile')
    .requiredOption('--model <id>', 'architecture whose blocks are measured (e.g. orca-mini-3b)')
    .option('--out <file>', 'profile to write', 'out/profile.json')
    .option('--journal <file>', 'JSONL journal of results (re-run the same command to resume); default <out>.journal.jsonl')
    .option('--budget-s <seconds>', 'time budget the plan is sized to', String(DEFAULT_BUDGET_S))
    .option('--block-scale <s>', 'shrink heads and FFN of the measured block by s (0 < s ≤ 1)', '1')
    .option('--threads <n>', 'kernel threads (default: all the agent has)')
    .option('--dtype <dtype>', 'weights: fp32 or fp16', 'fp32')
    .option('--cooldown-ms <ms>', 'pause after each job (thermal cool-down)', '0')
    .option('--prompt-tokens <list>', `prompt lengths of the grid (default ${DEFAULT_GRID.promptTokens.join(',')})`)
    .option('--context-tokens <list>', `context lengths of the grid (default ${DEFAULT_GRID.contextTokens.join(',')})`)
    .action(async (f: Flags) => {
      if (!/^wss?:\/\//.test(f.agent)) throw new InputError('--agent', `expected ws://HOST:PORT, got ${f.agent}`);
      if (f.dtype !== 'fp32' && f.dtype !== 'fp16') throw new InputError('--dtype', 'must be fp32 or fp16');
      const blockScale = positive('--block-scale', f.blockScale, false);
      if (blockScale > 1) throw new InputError('--block-scale', 'must be at most 1');
      const token = f.tokenFile ? await readTokenFile(f.tokenFile) : null;
      const bar = progressSink('calibrate');
      const log = (line: string): void => void process.stderr.write(`${line}\n`);
      let result;
      try {
        result = await calibrate({
          url: f.agent, token, device: f.device, model: f.model, journal: f.journal ?? `${f.out}.journal.jsonl`,
          grid: {
            levels: DEFAULT_GRID.levels,
            promptTokens: lengths('--prompt-tokens', f.promptTokens, DEFAULT_GRID.promptTokens),
            contextTokens: lengths('--context-tokens', f.contextTokens, DEFAULT_GRID.contextTokens),
          },
          budgetS: positive('--budget-s', f.budgetS, false), blockScale, dtype: f.dtype,
          threads: f.threads === undefined ? undefined : positive('--threads', f.threads, true),
          cooldownMs: Number(f.cooldownMs) === 0 ? 0 : positive('--cooldown-ms', f.cooldownMs, true),
          onProgress: (p) => bar.update(p), log,
        });
      } catch (e) {
        // refusals and unreachable agents are the user's to fix (URL, token, a busy or missing agent)
        if (e instanceof AgentError) throw new InputError(`--agent ${f.agent}`, e.message);
        throw e;
      } finally {
        bar.stop();
      }
      const { profile, report } = result;
      validateProfile(profile, f.out);
      writeJsonAtomic(f.out, profile);
      const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
      for (const t of report.throttled) log(`throttled (left out of the fit): ${t.jobId}: ${t.reason}`);
      for (const o of report.outliers) log(`outlier repetitions set aside: ${o.jobId} #${o.repetitions.join(', #')}`);
      if (report.fitSetAside.length) log(`set aside by the robust fit (far off the others; likely load bursts): ${report.fitSetAside.join(', ')}`);
      for (const x of report.failures) log(`failed: ${x.jobId}: ${x.code} ${x.message}`);
      process.stdout.write(
        `wrote ${f.out}: ${report.jobs} jobs, ${report.samples} samples in ${report.measuredS.toFixed(0)} s` +
          `${report.resumedResults ? ` (${report.resumedResults} results resumed from the journal)` : ''}; ` +
          `fit MAPE prefill ${pct(report.residuals.prefill.mape)}, decode ${pct(report.residuals.decode.mape)}; ` +
          `${report.outliers.length} jobs with outliers, ${report.throttled.length} throttled, ${report.fitSetAside.length} set aside by the fit\n`,
      );
    });
}
