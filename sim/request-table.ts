/**
 * Requests in columns. A million-request run must stay within a few hundred bytes per request, so the
 * simulator never holds one object per request: each field is a typed array and requests are indices.
 * Requests that share (app, dataset, SLO) share one `RequestClass` entry.
 */
import type { Dataset, RequestSpec, RequestView, Slo } from './types.ts';

export interface RequestClass {
  app: string;
  dataset: Dataset;
  slo: Slo;
}

export class RequestTable {
  readonly length: number;
  readonly classes: RequestClass[] = [];
  readonly id: Float64Array;
  readonly classIndex: Uint16Array;
  readonly arrivalMs: Float64Array;
  readonly systemTokens: Uint32Array;
  readonly queryTokens: Uint32Array;
  readonly outputTokens: Uint32Array;
  private readonly classKeys = new Map<string, number>();

  constructor(length: number) {
    this.length = length;
    this.id = new Float64Array(length);
    this.classIndex = new Uint16Array(length);
    this.arrivalMs = new Float64Array(length);
    this.systemTokens = new Uint32Array(length);
    this.queryTokens = new Uint32Array(length);
    this.outputTokens = new Uint32Array(length);
  }

  /** Index of the class (app, dataset, SLO), added on first use. */
  classOf(app: string, dataset: Dataset, slo: Slo): number {
    const key = `${app}\u0000${dataset}\u0000${slo.ttft}\u0000${slo.tpot}\u0000${slo.unit}`;
    let k = this.classKeys.get(key);
    if (k === undefined) {
      k = this.classes.length;
      if (k > 0xffff) throw new Error('more than 65535 distinct (app, dataset, SLO) classes');
      this.classes.push({ app, dataset, slo: { ...slo } });
      this.classKeys.set(key, k);
    }
    return k;
  }

  set(i: number, r: RequestSpec): void {
    this.id[i] = r.id;
    this.classIndex[i] = this.classOf(r.app, r.dataset, r.slo);
    this.arrivalMs[i] = r.arrivalMs;
    this.systemTokens[i] = r.systemTokens;
    this.queryTokens[i] = r.queryTokens;
    this.outputTokens[i] = r.outputTokens;
  }

  static fromSpecs(specs: readonly RequestSpec[]): RequestTable {
    const t = new RequestTable(specs.length);
    specs.forEach((r, i) => t.set(i, r));
    return t;
  }

  spec(i: number): RequestSpec {
    const c = this.classes[this.classIndex[i]!]!;
    return {
      id: this.id[i]!,
      app: c.app,
      dataset: c.dataset,
      arrivalMs: this.arrivalMs[i]!,
      systemTokens: this.systemTokens[i]!,
      queryTokens: this.queryTokens[i]!,
      outputTokens: this.outputTokens[i]!,
      slo: { ...c.slo },
    };
  }

  /** Fills a reused view object with request i (no allocation). */
  view(i: number, into: RequestView): RequestView {
    const c = this.classes[this.classIndex[i]!]!;
    into.index = i;
    into.id = this.id[i]!;
    into.appIndex = this.classIndex[i]!;
    into.app = c.app;
    into.dataset = c.dataset;
    into.arrivalMs = this.arrivalMs[i]!;
    into.systemTokens = this.systemTokens[i]!;
    into.queryTokens = this.queryTokens[i]!;
    into.outputTokens = this.outputTokens[i]!;
    into.slo = c.slo;
    return into;
  }

  /** True when arrivals are non-decreasing (the engine streams arrivals in index order). */
  isSortedByArrival(): boolean {
    for (let i = 1; i < this.length; i++) if (this.arrivalMs[i]! < this.arrivalMs[i - 1]!) return false;
    return true;
  }

  /** Bytes held by the columns (for the memory benchmark). */
  byteLength(): number {
    return (
      this.id.byteLength +
      this.classIndex.byteLength +
      this.arrivalMs.byteLength +
      this.systemTokens.byteLength +
      this.queryTokens.byteLength +
      this.outputTokens.byteLength
    );
  }
}

export function emptyView(): RequestView {
  return {
    index: -1,
    id: -1,
    appIndex: -1,
    app: '',
    dataset: 'OBQA',
    arrivalMs: 0,
    systemTokens: 0,
    queryTokens: 0,
    outputTokens: 0,
    slo: { ttft: 1, tpot: 1, unit: 'ratio' },
  };
}
