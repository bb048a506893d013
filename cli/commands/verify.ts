/** `elastitwin verify`: measure held-out configurations and report how well a profile predicts them. */
import type { Command } from 'commander';
import path from 'node:path';
import { InputError } from '../../base/errors.ts';
import { AgentError, readTokenFile } from '../../hil/controller.ts';
import { writeJsonAtomic } from '../../hil/files.ts';
import { progressSink } from '../../hil/progress-bar.ts';
import { verify } from '../../hil/verify.ts';
import { describeAjvErrors, schemaValidator } from '../../base/json-file.ts';

const CALIBRATION_SCHEMA = new URL('../../reports/schemas/calibration.schema.json', import.meta.url);

export function register(program: Command): void {
  program
    .command('verify')
    .description('measure held-out configurations on a HIL agent and compare them with a profile\'s predictions')
    .requiredOption('--agent <url>', 'agent address, e.g. ws://127.0.0.1:8765')
    .option('--token-file <file>', 'file holding the agent token')
    .requiredOption('--profile <file>', 'device profile written by calibrate')
    .option('--out <dir>', 'also write <dir>/calibration.json (predicted vs measured rows for the report)')
    .option('--journal <file>', 'JSONL journal of results; default <profile>.verify.jsonl')
    .option('--json', 'print {"mape","p95","noiseFloor","samples","worst"} (fractions) instead of a table')
    .action(async (f: { agent: string; tokenFile?: string; profile: string; out?: string; journal?: string; json?: boolean }) => {
      if (!/^wss?:\/\//.test(f.agent)) throw new InputError('--agent', `expected ws://HOST:PORT, got ${f.agent}`);
      const token = f.tokenFile ? await readTokenFile(f.tokenFile) : null;
      const bar = progressSink('verify');
      let report;
      try {
        report = await verify({
          url: f.agent, token, profile: f.profile, journal: f.journal ?? `${f.profile}.verify.jsonl`,
          onProgress: (p) => bar.update(p), log: (line) => void process.stderr.write(`${line}\n`),
        });
      } catch (e) {
        // refusals and unreachable agents are the user's to fix (URL, token, a busy or missing agent)
        if (e instanceof AgentError) throw new InputError(`--agent ${f.agent}`, e.message);
        throw e;
      } finally {
        bar.stop();
      }
      if (f.out) {
        const file = { schemaVersion: 1, rows: report.rows, provenance: { profile: path.resolve(f.profile), agent: f.agent, mape: report.mape, p95: report.p95, noiseFloor: report.noiseFloor } };
        const validate = schemaValidator(CALIBRATION_SCHEMA);
        if (!validate(file)) throw new Error(`calibration.json would be invalid: ${describeAjvErrors(validate.errors)}`);
        writeJsonAtomic(path.join(f.out, 'calibration.json'), file);
      }
      for (const t of report.throttled) process.stderr.write(`throttled: ${t.jobId}: ${t.reason}\n`);
      if (f.json) {
        const { mape, p95, noiseFloor, samples, worst } = report;
        process.stdout.write(`${JSON.stringify({ mape, p95, noiseFloor, samples, worst })}\n`);
        return;
      }
      const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
      const lines = [
        `held-out configurations: ${report.rows.length} (${report.samples} samples, two passes)`,
        `MAPE ${pct(report.mape)}   p95 |error| ${pct(report.p95)}   noise floor (pass B vs A) ${pct(report.noiseFloor)}`,
        'worst cases:',
        ...report.worst.map((w) => `  ${w.config.padEnd(28)} predicted ${w.predictedMs.toFixed(3)} ms  measured ${w.measuredMs.toFixed(3)} ms  error ${pct(w.error)}`),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
