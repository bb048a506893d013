/**
 * Weight precisions (the `dtype` of a run): exact storage bits per weight, group scales counted, and the
 * arithmetic the kernels run in. The four of the paper's runtime (fp32, fp16, int8, int4) keep their
 * historic byte counts, so the paper scenarios price exactly as before.
 */
import { Registry } from '../base/registry.ts';

/** Arithmetic the matrix kernels run in; it picks which peak of the processor an efficiency is a share of. */
export type Arithmetic = 'fp32' | 'fp16' | 'int8';

export interface Precision {
  id: string;
  bitsPerWeight: number;
  arithmetic: Arithmetic;
  source: string;
}

const precisions = new Registry<Precision>('precision');

/** Adds a precision; ids are unique (a taken id is refused, naming who took it). */
export function registerPrecision(p: Precision, origin = 'built-in'): void {
  precisions.register(p.id, Object.freeze({ ...p }), origin);
}

export function listPrecisions(): Precision[] {
  return precisions.names().map((n) => precisions.get(n, 'precisions'));
}

export function getPrecision(id: string, where = '--dtype'): Precision {
  return precisions.get(id, where);
}

const builtIn: Precision[] = [
  { id: 'fp32', bitsPerWeight: 32, arithmetic: 'fp32', source: 'IEEE binary32' },
  { id: 'fp16', bitsPerWeight: 16, arithmetic: 'fp16', source: 'IEEE binary16 (llama.cpp calls it f16)' },
  { id: 'int8', bitsPerWeight: 8, arithmetic: 'fp16', source: 'mllm int8: one byte a weight, dequantized into fp16 arithmetic (prior of the paper scenarios)' },
  { id: 'int4', bitsPerWeight: 4, arithmetic: 'fp16', source: 'mllm int4: half a byte a weight, dequantized into fp16 arithmetic (prior of the paper scenarios)' },
  { id: 'bf16', bitsPerWeight: 16, arithmetic: 'fp16', source: 'bfloat16: 16 bits; Armv8.6 BF16 kernels run at the fp16 vector width' },
  {
    id: 'q4_0', bitsPerWeight: 4.5, arithmetic: 'int8',
    source: 'ggml block_q4_0: 32 weights in 16 bytes of nibbles + one fp16 scale = 18 bytes / 32 = 4.5 bits; llama.cpp quantizes activations to 8 bits and multiplies with int8 dot products',
  },
  {
    id: 'q8_0', bitsPerWeight: 8.5, arithmetic: 'int8',
    source: 'ggml block_q8_0: 32 int8 weights + one fp16 scale = 34 bytes / 32 = 8.5 bits; int8 dot products',
  },
  {
    id: '8da4w', bitsPerWeight: 5, arithmetic: 'int8',
    source: 'ExecuTorch/torchao 8da4w, group 32: 4-bit symmetric weights + one fp32 scale per 32 (torchao default scales_precision) = 5 bits; 8-bit dynamic activations, int8 kernels (derived)',
  },
  {
    id: '8da4w-g128', bitsPerWeight: 4.25, arithmetic: 'int8',
    source: 'ExecuTorch 8da4w with groups of 128: 4 bits + one fp32 scale per 128 = 4.25 bits (derived)',
  },
  {
    id: '8da4w-g256', bitsPerWeight: 4.125, arithmetic: 'int8',
    source: 'ExecuTorch 8da4w with groups of 256: 4 bits + one fp32 scale per 256 = 4.125 bits (derived)',
  },
  {
    id: 'q4f16', bitsPerWeight: 4.5, arithmetic: 'fp16',
    source: 'MLC q4f16_1: groups of 32 4-bit weights + one fp16 scale = 4.5 bits, fp16 arithmetic',
  },
  {
    id: 'w4a16', bitsPerWeight: 4, arithmetic: 'fp16',
    source: 'Qualcomm AI Hub w4a16: 4-bit per-channel weights (one scale per output row of thousands of weights: < 0.01 bit), 16-bit activations',
  },
];
for (const p of builtIn) registerPrecision(p);
