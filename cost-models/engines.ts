/**
 * Inference engines: a runtime and the processor it runs on. What an engine *is* (its processor, the
 * precisions it offers, whether threads matter, prompt graphs) is here; how fast it runs on a SoC is data,
 * the SoC file's `engines.<id>` profile (priors or what `elastitwin engines fit` wrote).
 */
import { InputError } from '../base/errors.ts';
import { Registry } from '../base/registry.ts';

export type Processor = 'cpu' | 'gpu' | 'npu';

export interface EngineSpec {
  id: string;
  name: string;
  processor: Processor;
  /** Precisions the engine runs, the first its default. */
  precisions: string[];
  /** CPU engines use the `threads` fastest cores; GPU and NPU engines are driven by one host thread. */
  usesThreads: boolean;
  /** NPU prompt graphs of a fixed token count: a prompt runs ceil(T / n) graph calls of n tokens. */
  promptGraphTokens?: number;
  source: string;
}

const engines = new Registry<EngineSpec>('engine');

/** Adds an engine; ids are unique (a taken id is refused, naming who took it). */
export function registerEngine(e: EngineSpec, origin = 'built-in'): void {
  engines.register(e.id, Object.freeze({ ...e, precisions: [...e.precisions] }), origin);
}

export function listEngines(): EngineSpec[] {
  return engines.names().map((n) => engines.get(n, 'engines'));
}

export function getEngine(id: string, where = '--engine'): EngineSpec {
  return engines.get(id, where);
}

/** The paper's runtime: the engine of every scenario that names none. */
export const DEFAULT_ENGINE = 'mllm';

/** Refuses a precision the engine does not run, naming the ones it does. */
export function checkPrecision(engine: EngineSpec, dtype: string, where = '--dtype'): void {
  if (!engine.precisions.includes(dtype)) {
    throw new InputError(where, `engine ${engine.id} has no precision "${dtype}"; it runs ${engine.precisions.join(', ')}`);
  }
}

const builtIn: EngineSpec[] = [
  {
    id: 'mllm', name: 'mllm (the paper\'s runtime)', processor: 'cpu', precisions: ['fp16', 'fp32', 'int8', 'int4'], usesThreads: true,
    source: 'ElastiLM runs on mllm with fp16 weights on 4 big-core threads (elastilm.md); priced by the roofline prior the paper scenarios were calibrated with',
  },
  {
    id: 'llama.cpp', name: 'llama.cpp (CPU, NEON)', processor: 'cpu', precisions: ['q4_0', 'q8_0', 'fp16'], usesThreads: true,
    source: 'ggml CPU backend; quantized formats multiply with int8 dot products',
  },
  {
    id: 'executorch', name: 'ExecuTorch (XNNPACK + KleidiAI, CPU)', processor: 'cpu', precisions: ['bf16', '8da4w', '8da4w-g128', '8da4w-g256'], usesThreads: true,
    source: 'pytorch/executorch examples/models/llama README (BF16 and 4-bit groupwise weights with 8-bit dynamic activations)',
  },
  {
    id: 'mlc', name: 'MLC-LLM (GPU, OpenCL)', processor: 'gpu', precisions: ['q4f16'], usesThreads: false,
    source: 'mlc-ai/mlc-llm Android builds (q4f16_1 on the Adreno GPU)',
  },
  {
    id: 'qnn', name: 'QNN context binaries (Hexagon NPU)', processor: 'npu', precisions: ['w4a16'], usesThreads: false, promptGraphTokens: 128,
    source: 'Qualcomm AI Hub exports: w4a16 prompt graphs of 128 tokens (phi_3_5_mini_instruct info.yaml: TTFT 146.9 ms at <=128 tokens, 4701 ms at 4096 = 32 graph calls)',
  },
];
for (const e of builtIn) registerEngine(e);
