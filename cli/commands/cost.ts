/**
 * `elastitwin cost <model> <device>`: predicted TTFT, TPOT and memory of every level of a model on a device
 * under a latency model. TTFT here is the model's own prefill (no queueing, TLM or switching).
 */
import type { Command } from 'commander';
import { InputError } from '../../base/errors.ts';
import { parseLatencyFlag } from '../../sim/latency-kinds.ts';
import { parseEngineFlag, parseNonNegativeInt } from './parse.ts';
import {
  MODEL_RATIOS, DTYPES, createLatencyModel, elasticShape, getArchitecture, getDevice, isElastic, kvCacheBytes,
  getEngine, phaseDtype, phaseEngines, readDeviceProfile, readLatencyTable, realComputeFraction, shapeBytes, type Dtype, type LatencySpec,
} from '../../cost-models/index.ts';

interface CostOptions {
  prompt: string;
  context?: string;
  latency: string;
  dtype?: string;
  threads?: string;
  extrapolate?: boolean;
  engine?: string;
  json?: boolean;
}

function toSpec(flag: string, extrapolate: boolean): LatencySpec {
  const l = parseLatencyFlag(flag);
  if (l.kind === 'roofline') return { kind: 'roofline' };
  if (l.kind === 'calibrated') return { kind: 'calibrated', profile: String(l.profile) };
  if (l.kind === 'table') return { kind: 'table', table: String(l.table), extrapolate };
  throw new InputError('--latency', 'cost prices with roofline, calibrated:PATH or table:PATH (hil runs inside `run`)');
}

function engineLabel(p: { prefill: string; decode: string }, dtype: Dtype, split: boolean): string {
  if (!split) return p.decode === 'mllm' ? dtype : `${p.decode} ${dtype}`;
  return `prefill ${p.prefill} ${phaseDtype(p.prefill, dtype, true, '--dtype')}, decode ${p.decode} ${phaseDtype(p.decode, dtype, true, '--dtype')}`;
}

export function register(program: Command): void {
  program
    .command('cost')
    .description('predicted TTFT / TPOT / memory per level of a model on a device')
    .argument('<model>', 'model id (see `elastitwin models`) or a Hugging Face config.json')
    .argument('<device>', 'device id (see `elastitwin devices`) or a device file')
    .option('--prompt <n>', 'prompt tokens', '256')
    .option('--context <n>', 'KV-cache tokens for TPOT and memory (default: the prompt length)')
    .option('--latency <spec>', 'roofline | calibrated:PATH | table:PATH', 'roofline')
    .option('--engine <name>', 'inference engine (see `elastitwin engines`), or prefill=NAME,decode=NAME (default mllm)')
    .option('--dtype <dtype>', `weight precision: ${DTYPES.join(', ')} (default: the profile's/table's, else the engine's first: fp16 for mllm)`)
    .option('--threads <n>', "threads (default: the profile's/table's, else 4)")
    .option('--extrapolate', 'allow a table to extrapolate beyond its grid')
    .option('--json', 'print [{"level","ttftMs","tpotMs","memoryBytes"}, …]')
    .action((modelId: string, deviceId: string, opts: CostOptions) => {
      const arch = getArchitecture(modelId, process.cwd());
      const device = getDevice(deviceId);
      const prompt = parseNonNegativeInt(opts.prompt, '--prompt');
      if (prompt < 1) throw new InputError('--prompt', 'expected at least 1 token');
      const context = opts.context === undefined ? prompt : parseNonNegativeInt(opts.context, '--context');
      const spec = toSpec(opts.latency, opts.extrapolate === true);
      // a measured file fixes dtype and threads unless the user overrides them
      const measured = spec.kind === 'calibrated' ? readDeviceProfile(spec.profile) : spec.kind === 'table' ? readLatencyTable(spec.table) : null;
      const engine = opts.engine === undefined ? undefined : parseEngineFlag(opts.engine);
      const phases = phaseEngines(engine);
      const dtype = (opts.dtype ?? measured?.dtype ?? getEngine(phases.decode, '--engine').precisions[0]!) as Dtype;
      if (!DTYPES.includes(dtype)) throw new InputError('--dtype', `expected one of ${DTYPES.join(', ')}, got "${opts.dtype}"`);
      // resident weights are the decode engine's (a split prefill engine's own precision is in its header)
      const split = phases.prefill !== phases.decode;
      const memDtype = phaseDtype(phases.decode, dtype, split, '--dtype');
      const threads = opts.threads === undefined ? (measured?.threads ?? 4) : parseNonNegativeInt(opts.threads, '--threads');
      const latency = createLatencyModel(spec, { arch, device, dtype, threads, ...(engine !== undefined ? { engine } : {}) });

      const levels = isElastic(arch) ? [...MODEL_RATIOS] : [1];
      const rows = levels.map((level) => {
        const shape = elasticShape(arch, level, level < 1);
        return {
          level,
          ttftMs: latency.prefillMs(shape, prompt),
          tpotMs: latency.decodeStepMs(shape, context),
          memoryBytes: shapeBytes(arch, shape, memDtype) + kvCacheBytes(arch, shape, context, memDtype),
        };
      });
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      const lines = [
        `${arch.name} on ${device.name}, ${engineLabel(phases, dtype, split)}, ${threads} threads, ${latency.provenance.kind} latency; prompt ${prompt}, context ${context} tokens`,
        'level  real size  TTFT (s)  TPOT (ms)  memory (GB)',
      ];
      for (const r of rows) {
        lines.push(
          `${r.level.toFixed(1).padStart(5)}  ${realComputeFraction(arch, r.level).toFixed(3).padStart(9)}  ${(r.ttftMs / 1e3).toFixed(2).padStart(8)}  ${r.tpotMs.toFixed(1).padStart(9)}  ${(r.memoryBytes / 1e9).toFixed(2).padStart(11)}`,
        );
      }
      if (isElastic(arch)) lines.push(`TLM call over the prompt: ${latency.tlmMs(prompt).toFixed(1)} ms`);
      lines.push('TTFT is the model\'s prefill only (no queueing, TLM or switching); memory = weights used + KV cache.');
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
