/** Engines and precisions: exact bytes, the registry, engine pricing, split engines, and config.json models from the CLI. */
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import {
  bytesPerParam, createLatencyModel, fullShape, getArchitecture, getDevice, getPrecision, type LatencyModel,
} from '../../cost-models/index.ts';
import { registerEngine } from '../../cost-models/engines.ts';
import { registerPrecision } from '../../cost-models/precisions.ts';
import { architectureFromConfig } from '../../cost-models/hf-config.ts';
import { writeJson } from './helpers.ts';

const root = path.resolve(import.meta.dirname, '../..');
function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/elastitwin.js'), ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function model(engine: string | { prefill: string; decode: string }, dtype: string, device = 'mi14', arch = 'llama-2-7b'): LatencyModel {
  return createLatencyModel({ kind: 'roofline' }, { arch: getArchitecture(arch), device, dtype, threads: 4, engine });
}

describe('precisions and engines', () => {
  it('counts group scales in bytes per weight', () => {
    expect(bytesPerParam('q4_0')).toBe(18 / 32);
    expect(bytesPerParam('q8_0')).toBe(34 / 32);
    expect([bytesPerParam('fp16'), bytesPerParam('int4'), bytesPerParam('w4a16')]).toEqual([2, 0.5, 0.5]);
    expect(getPrecision('q4_0').arithmetic).toBe('int8');
    expect(() => getPrecision('q5_k')).toThrow(/unknown precision "q5_k" \(known: fp32, fp16/);
  });

  it('refuses a second engine or precision under a taken id', () => {
    expect(() => registerEngine({ id: 'qnn', name: 'x', processor: 'npu', precisions: ['w4a16'], usesThreads: false, source: 'test' })).toThrow(/already registered/);
    expect(() => registerPrecision({ id: 'q4_0', bitsPerWeight: 4, arithmetic: 'int8', source: 'test' })).toThrow(/already registered/);
  });

  it('prices llama.cpp q4_0 decode faster than q8_0 and fp16 (fewer bytes streamed)', () => {
    const shape = fullShape(getArchitecture('llama-2-7b'));
    const tpot = (d: string) => model('llama.cpp', d).decodeStepMs(shape, 512);
    expect(tpot('q4_0')).toBeLessThan(tpot('q8_0'));
    expect(tpot('q8_0')).toBeLessThan(tpot('fp16'));
  });

  it('runs NPU prompts in fixed 128-token graphs: 1 and 128 tokens cost the same, 129 costs two graphs', () => {
    const m = model('qnn', 'w4a16');
    const shape = fullShape(getArchitecture('llama-2-7b'));
    expect(m.prefillMs(shape, 1)).toBeCloseTo(m.prefillMs(shape, 128), 9);
    expect(m.prefillMs(shape, 129)).toBeGreaterThan(1.9 * m.prefillMs(shape, 128) - 100);
  });

  it('splits prefill and decode across engines', () => {
    const shape = fullShape(getArchitecture('llama-2-7b'));
    const split = model({ prefill: 'qnn', decode: 'llama.cpp' }, 'q4_0');
    expect(split.prefillMs(shape, 512)).toBe(model('qnn', 'w4a16').prefillMs(shape, 512));
    expect(split.decodeMs(shape, 512, 32)).toBe(model('llama.cpp', 'q4_0').decodeMs(shape, 512, 32));
    expect((split.provenance.detail.engine as object)).toEqual({ prefill: 'qnn', decode: 'llama.cpp' });
    // the NPU prefill is an order of magnitude faster than the CPU's
    expect(split.prefillMs(shape, 512) * 10).toBeLessThan(model('llama.cpp', 'q4_0').prefillMs(shape, 512));
  });

  it('keeps the paper runtime as the default: no engine and "mllm" price identically', () => {
    const shape = fullShape(getArchitecture('llama-7b'));
    const plain = createLatencyModel({ kind: 'roofline' }, { arch: getArchitecture('llama-7b'), device: 'k60-champion', dtype: 'fp16', threads: 4 });
    const named = model('mllm', 'fp16', 'k60-champion', 'llama-7b');
    expect(named.prefillMs(shape, 300)).toBe(plain.prefillMs(shape, 300));
    expect(named.provenance).toEqual(plain.provenance);
  });

  it('refuses an engine a SoC has no profile for, and an engine with a measured profile', () => {
    const file = writeJson('bare-soc-phone.json', { schemaVersion: 1, id: 'p', name: 'P', soc: 'snapdragon-8-gen-2', memoryGiB: 8, engines: {} });
    expect(getDevice(file).socSpec!.engines.qnn).toBeDefined(); // inherited from the SoC
    expect(() => createLatencyModel({ kind: 'calibrated', profile: '/nope.json' }, { arch: getArchitecture('llama-7b'), device: 'mi14', dtype: 'fp16', threads: 4, engine: 'qnn' }))
      .toThrow(/prices the runtime it was measured on/);
  });
});

describe('Hugging Face config.json models', () => {
  it('reads GQA, head_dim, tied embeddings and plain vs gated MLPs', () => {
    const gemma = getArchitecture('gemma-2b');
    expect([gemma.kvHeads, gemma.headDim, gemma.tiedEmbeddings, gemma.gatedFfn]).toEqual([1, 256, true, true]);
    expect(getArchitecture('phi-2').gatedFfn).toBe(false);
    expect(getArchitecture('llama-3.2-1b').tiedEmbeddings).toBe(true);
    const qwen3 = architectureFromConfig({ model_type: 'qwen3', hidden_size: 1024, num_hidden_layers: 28, num_attention_heads: 16, num_key_value_heads: 8, head_dim: 128, intermediate_size: 3072, vocab_size: 151936, tie_word_embeddings: true }, 'q3', 'x');
    expect([qwen3.headDim, qwen3.kvHeads, qwen3.anchorLayers]).toEqual([128, 8, []]);
    expect(() => architectureFromConfig({ model_type: 'gpt2', hidden_size: 1 }, 'g', 'cfg.json')).toThrow(/cfg\.json: invalid Hugging Face config\.json: .*model_type must be one of "llama"/);
    expect(() => architectureFromConfig({ model_type: 'llama', hidden_size: 100, num_hidden_layers: 2, num_attention_heads: 3, intermediate_size: 8, vocab_size: 10 }, 'g', 'cfg.json'))
      .toThrow(/cfg\.json: \/hidden_size: 100 is not a multiple of num_attention_heads 3/);
  });

  it('prices a config.json the repository does not ship on a user device naming snapdragon-8-gen-2', { timeout: 60_000 }, () => {
    // Qwen2.5-0.5B's public config (not shipped); the device file only names the SoC and its memory
    const config = writeJson('config.json', {
      architectures: ['Qwen2ForCausalLM'], model_type: 'qwen2', hidden_size: 896, intermediate_size: 4864, num_hidden_layers: 24,
      num_attention_heads: 14, num_key_value_heads: 2, vocab_size: 151936, tie_word_embeddings: true,
    });
    const phone = writeJson('my-phone.json', { schemaVersion: 1, id: 'my-phone', name: 'My phone', soc: 'snapdragon-8-gen-2', memoryGiB: 8 });
    for (const args of [[], ['--engine', 'llama.cpp', '--dtype', 'q4_0'], ['--engine', 'prefill=qnn,decode=llama.cpp', '--dtype', 'q8_0']]) {
      const r = cli('cost', config, phone, '--prompt', '128', '--json', ...args);
      expect(r.err).toBe('');
      const rows = JSON.parse(r.out) as Array<{ level: number; ttftMs: number; tpotMs: number; memoryBytes: number }>;
      expect(rows).toHaveLength(1);
      expect(rows[0]!.level).toBe(1);
      expect(rows[0]!.ttftMs).toBeGreaterThan(0);
      expect(rows[0]!.tpotMs).toBeGreaterThan(0);
    }
    const bad = cli('cost', config, phone, '--engine', 'mlc', '--dtype', 'q4_0');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/engine mlc has no precision "q4_0"; it runs q4f16/);
  });
});

describe('elastitwin engines', () => {
  it('lists the engines and prints validate --json in the documented shape', { timeout: 120_000 }, () => {
    const list = cli('engines', '--json');
    expect(list.code).toBe(0);
    expect((JSON.parse(list.out) as Array<{ id: string }>).map((e) => e.id)).toEqual(['mllm', 'llama.cpp', 'executorch', 'mlc', 'qnn']);
    const v = cli('engines', 'validate', '--json');
    expect(v.code).toBe(0);
    const out = JSON.parse(v.out) as Record<string, Record<string, unknown>>;
    expect(Object.keys(out)).toEqual(['rows', 'prefill', 'decode', 'leaveOneSourceOut']);
    expect(Object.keys(out.prefill!)).toEqual(['median', 'max']);
    expect(Object.keys(out.leaveOneSourceOut!)).toEqual(['prefill', 'decode']);
  });
});
