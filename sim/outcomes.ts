/**
 * Per-request outcomes of one policy's run, in columns (see RequestTable for why). Times are stored as
 * float32 milliseconds (sub-10-µs resolution below 100 s); SLO verdicts are decided in float64 at dispatch
 * and stored as flags so storage precision never changes a verdict.
 */
export const FLAG_TTFT_OK = 1;
export const FLAG_TPOT_OK = 2;
export const FLAG_CORRECT = 4;
export const FLAG_DROPPED = 8;
export const FLAG_SWITCHED = 16;
export const FLAG_SERVED = 32;

export class OutcomeTable {
  readonly length: number;
  readonly queueMs: Float32Array;
  readonly tlmMs: Float32Array;
  readonly switchMs: Float32Array;
  readonly prefillMs: Float32Array;
  readonly decodeMs: Float32Array;
  readonly tpotMs: Float32Array;
  readonly ttftBudgetMs: Float64Array;
  readonly tpotBudgetMs: Float64Array;
  readonly quality: Float32Array;
  readonly promptTokens: Uint32Array;
  /** Model ratio ×10 (2..10), 0 when dropped. */
  readonly modelTenths: Uint8Array;
  /** Prompt ratio ×10 (1..10), 0 when dropped. */
  readonly promptTenths: Uint8Array;
  readonly flags: Uint8Array;
  /** Dispatch order (the k-th dispatched request index), for replaying the device's schedule. */
  readonly order: Uint32Array;
  dispatched = 0;

  constructor(length: number) {
    this.length = length;
    this.queueMs = new Float32Array(length);
    this.tlmMs = new Float32Array(length);
    this.switchMs = new Float32Array(length);
    this.prefillMs = new Float32Array(length);
    this.decodeMs = new Float32Array(length);
    this.tpotMs = new Float32Array(length);
    this.ttftBudgetMs = new Float64Array(length);
    this.tpotBudgetMs = new Float64Array(length);
    this.quality = new Float32Array(length);
    this.promptTokens = new Uint32Array(length);
    this.modelTenths = new Uint8Array(length);
    this.promptTenths = new Uint8Array(length);
    this.flags = new Uint8Array(length);
    this.order = new Uint32Array(length);
  }

  /** TTFT as billed: queue + TLM + switch + prefill (ms). */
  ttftMs(i: number): number {
    return this.queueMs[i]! + this.tlmMs[i]! + this.switchMs[i]! + this.prefillMs[i]!;
  }

  byteLength(): number {
    let n = 0;
    for (const a of [
      this.queueMs, this.tlmMs, this.switchMs, this.prefillMs, this.decodeMs, this.tpotMs, this.ttftBudgetMs,
      this.tpotBudgetMs, this.quality, this.promptTokens, this.modelTenths, this.promptTenths, this.flags, this.order,
    ]) n += a.byteLength;
    return n;
  }
}
