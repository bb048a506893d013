/** The roofline defaults against the paper's latency, switching and memory facts (elastilm.md §2). */
import { describe, it, expect } from 'vitest';
import {
  MODEL_RATIOS, checkFitsDevice, createLatencyModel, elasticShape, fullShape, getArchitecture, getDevice,
  residentMemory, type ExecShape,
} from '../../cost-models/index.ts';
import { InputError } from '../../base/errors.ts';

const llama = getArchitecture('llama-7b');
const k60 = createLatencyModel({ kind: 'roofline' }, { arch: llama, device: 'k60-champion', dtype: 'fp16', threads: 4 });
const full = fullShape(llama);
const level = (r: number): ExecShape => elasticShape(llama, r, true);

/**
 * Prompt lengths of the α=0 trace (100 requests per dataset): system prompt + mean query, in words
 * (elastilm.md §1.3, §1.5), at an estimated 1.3 LLaMA tokens per English word.
 */
const TOKENS_PER_WORD = 1.3;
const ALPHA0_WORDS = { ARC_E: 114 + 18.9, OBQA: 82 + 10.5, PIQA: 129 + 8.1, SCIQ: 122 + 13.5, octopus: 486 + 3.0, llamatouch: 138 + 1.2 };
const alpha0Tokens = Object.values(ALPHA0_WORDS).map((w) => Math.round(w * TOKENS_PER_WORD));

describe('roofline defaults: LLaMA-7B fp16 on the K60 Champion, 4 big cores', () => {
  it('has TTFT in seconds and TPOT in hundreds of milliseconds (paper §2.2)', () => {
    for (const prompt of [32, 128, 512]) {
      const ttft = k60.prefillMs(full, prompt);
      expect(ttft).toBeGreaterThan(1_000);
    }
    const tpot = k60.decodeStepMs(full, 256);
    expect(tpot).toBeGreaterThanOrEqual(100);
    expect(tpot).toBeLessThan(1_000);
  });

  it('averages more than 31 s of TTFT over the α=0 trace, so a 0.31 s switch is < 1 % of it (paper §5.2)', () => {
    const mean = alpha0Tokens.reduce((s, t) => s + k60.prefillMs(full, t), 0) / alpha0Tokens.length;
    expect(mean).toBeGreaterThan(31_000);
    // even if every request used its whole TTFT budget (ζ_TTFT 1, .8, .6, .4, .2, .2), the mean stays above 31 s
    const zeta = [0.8, 1.0, 0.2, 0.2, 0.6, 0.4]; // ARC_E, OBQA, PIQA, SCIQ, Octopus, LlamaTouch
    const budgeted = alpha0Tokens.reduce((s, t, i) => s + zeta[i]! * k60.prefillMs(full, t), 0) / alpha0Tokens.length;
    expect(budgeted).toBeGreaterThan(31_000);
  });

  it('keeps the TLM within 5 % of the full LLM’s TTFT for every model, device and prompt (paper §3.3)', () => {
    for (const id of ['llama-7b', 'vicuna-7b', 'llama3-8b', 'llama3-8b-instruct', 'orca-mini-3b']) {
      const arch = getArchitecture(id);
      for (const device of ['mi14', 'k60-champion', 'k70-pro']) {
        const m = createLatencyModel({ kind: 'roofline' }, { arch, device, dtype: 'fp16', threads: 4 });
        for (const t of [...alpha0Tokens, 1, 16, 512, 513, 2048]) {
          expect(m.tlmMs(t)).toBeLessThanOrEqual(0.05 * m.prefillMs(fullShape(arch), t));
        }
      }
    }
  });

  it('shrinks TTFT and TPOT with the level, but level 0.2 costs its real size, not 0.2', () => {
    const ratio = k60.prefillMs(level(0.2), 256) / k60.prefillMs(full, 256);
    expect(ratio).toBeGreaterThan(0.25);
    expect(ratio).toBeLessThan(0.35);
  });

  it('refuses to price the host without a calibrated profile', () => {
    expect(() => createLatencyModel({ kind: 'roofline' }, { arch: llama, device: 'host', dtype: 'fp32', threads: 2 })).toThrow(
      /host.*no prior numbers.*calibrated/,
    );
  });

  it('rejects a thread count the device does not have', () => {
    expect(() => createLatencyModel({ kind: 'roofline' }, { arch: llama, device: 'mi14', dtype: 'fp16', threads: 9 })).toThrow(/threads 9/);
  });
});

describe('switching against the paper (K60, LLaMA-7B)', () => {
  it('costs nothing for the same shape or for `none`', () => {
    for (const kind of ['none', 'pointer', 'relayout', 'swap', 'layer-drop', 'reload'] as const) {
      expect(k60.switchMs(kind, level(0.5), level(0.5))).toBe(0);
    }
    expect(k60.switchMs('none', level(0.2), full)).toBe(0);
  });

  it('averages ≈0.31 s per ElastiLM switch between levels (paper §5.2: 0.31 s)', () => {
    let total = 0;
    let n = 0;
    for (const a of MODEL_RATIOS) for (const b of MODEL_RATIOS) if (a !== b) (total += k60.switchMs('pointer', level(a), level(b))), n++;
    const mean = total / n;
    expect(mean).toBeGreaterThan(0.31e3 * 0.8);
    expect(mean).toBeLessThan(0.31e3 * 1.2);
    // 0.2 ↔ 0.3 keep the same heads: only the FFN pointers move, so that switch is cheaper
    expect(k60.switchMs('pointer', level(0.2), level(0.3))).toBeLessThan(k60.switchMs('pointer', level(0.2), level(0.4)));
  });

  it('moves one 4096² fp16 matrix in 2 ms by pointer vs 139-140 ms by re-layout (paper §2.2, §3.2)', () => {
    const d = getDevice('k60-champion').speeds!;
    const bytes = 4096 * 4096 * 2;
    expect((bytes / (d.memcpyGBps * 1e9)) * 1e3).toBeCloseTo(2, 6);
    const relayout = (bytes / (d.relayoutGBps * 1e9)) * 1e3;
    expect(relayout).toBeGreaterThanOrEqual(139);
    expect(relayout).toBeLessThanOrEqual(140);
  });

  it('re-lays LLM-Pruner out in seconds: 20 %→30 % within 1.5× of the paper’s 8.2 s', () => {
    const ms = k60.switchMs('relayout', level(0.2), level(0.3));
    expect(ms).toBeGreaterThan(8.2e3 / 1.5);
    expect(ms).toBeLessThan(8.2e3 * 1.5);
    // switches into the trace's tightest LPruner level (0.2) stay within the paper's "up to 6.2 s"
    for (const from of [0.4, 0.6, 0.8, 1.0]) expect(k60.switchMs('relayout', level(from), level(0.2))).toBeLessThanOrEqual(6.2e3);
  });

  it('swaps PFS models from flash in up to 8.3 s (the largest, OPT-2.7B)', () => {
    const swaps = ['opt-2.7b', 'opt-1.3b'].map((id) => k60.switchMs('swap', full, fullShape(getArchitecture(id))));
    expect(Math.max(...swaps)).toBeCloseTo(8.3e3, -1);
    expect(swaps[1]!).toBeLessThan(swaps[0]!);
    expect(k60.switchMs('swap', null, full)).toBeGreaterThan(0);
  });

  it('prices layer dropping by the layers it re-activates, and LaCo by the sub-model it loads', () => {
    const dropped = { ...full, attnLayers: 20, mlpLayers: 20 };
    expect(k60.switchMs('layer-drop', full, dropped)).toBe(0);
    expect(k60.switchMs('layer-drop', dropped, full)).toBeGreaterThan(0);
    const laco = (layers: number): ExecShape => ({ ...full, modelRatio: 1, attnLayers: layers, mlpLayers: layers });
    expect(k60.switchMs('reload', laco(6), laco(25))).toBeGreaterThan(k60.switchMs('reload', laco(25), laco(6)));
  });
});

describe('memory against the paper (LLaMA-7B fp16)', () => {
  const GB = 1e9;
  it('peaks at 15-17 GB for ElastiLM and its in-place baselines (paper §5.2)', () => {
    for (const m of ['elastilm', 'full', 'llm-pruner', 'layer-reduction', 'shortgpt', 'attn-drop', 'lingua2-cs', 'laco', 'pfs']) {
      const bytes = residentMemory(m, llama, 'fp16').bytes;
      expect(bytes / GB, m).toBeGreaterThanOrEqual(15);
      expect(bytes / GB, m).toBeLessThanOrEqual(17);
    }
  });

  it('keeps LoRAs under 5 % of the weights (paper §3.2)', () => {
    const r = residentMemory('elastilm', llama, 'fp16');
    const weights = r.components.find((c) => c.name.includes('weights'))!.bytes;
    const loras = r.components.find((c) => c.name.includes('LoRA'))!.bytes;
    expect(loras / weights).toBeLessThan(0.05);
  });

  it('derives LaCo all-resident ≈76.3 GB and PFS all-resident near 29.3 GB, both out of memory on all phones', () => {
    const laco = residentMemory('laco', llama, 'fp16', { allResident: true }).bytes;
    expect(Math.abs(laco / GB - 76.3) / 76.3).toBeLessThan(0.03);
    const pfs = residentMemory('pfs', llama, 'fp16', { allResident: true }).bytes;
    // the set the paper's PFS rules swap among (LLaMA-7B, OPT-2.7B, OPT-1.3B): 24.5 GB, 16 % under the paper
    expect(Math.abs(pfs / GB - 29.3) / 29.3).toBeLessThan(0.2);
    for (const device of ['mi14', 'k60-champion', 'k70-pro']) {
      expect(() => checkFitsDevice(laco, device)).toThrow(InputError);
      expect(() => checkFitsDevice(pfs, device)).toThrow(/needs 2\d\.\d\d GB but only .* usable/);
      expect(() => checkFitsDevice(residentMemory('elastilm', llama, 'fp16').bytes, device)).not.toThrow();
    }
  });

  it('counts the KV cache at the context limit and shrinks it with pruned KV heads', () => {
    const r = residentMemory('full', llama, 'fp16', { contextTokens: 2048 });
    expect(r.components.find((c) => c.name.startsWith('KV'))!.bytes).toBe(2 * 32 * 4096 * 2048 * 2);
    expect(() => residentMemory('magic', llama, 'fp16')).toThrow(/unknown method.*elastilm/);
  });
});
