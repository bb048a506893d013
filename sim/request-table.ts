/**
 * Requests in columns. A million-request run must stay within a few hundred bytes per request, so the
 * simulator never holds one object per request: each field is a typed array and requests are indices.
 * Requests that share (app, dataset, SLO) share one `RequestClass` entry.
 */
import type { Dataset, RequestSpec, RequestView, Slo } from './types.ts';
import { hash } from './int-hash.ts';

export interface RequestClass {
  app: string;
  dataset: Dataset;
  slo: Slo;
}

export interface RequestKinds {
  /** Kind of each request, 0 … count − 1. */
  kindOf: Int32Array;
  count: number;
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
  private kindCache: RequestKinds | undefined;

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
    this.kindCache = undefined;
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
    into.kind = this.kindCache !== undefined ? this.kindCache.kindOf[i]! : -1;
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

  /**
   * Each request's kind: requests of one kind share class and lengths (system, query, output), so they differ
   * only in id and arrival time and anything priced from those alone can be priced once per kind. A trace of a
   * million requests has a few thousand kinds. Kinds are numbered in order of first appearance. Cached until
   * `set` changes a request (code that fills the columns directly must do so before asking for kinds).
   */
  kinds(): RequestKinds {
    if (this.kindCache) return this.kindCache;
    const kindOf = new Int32Array(this.length);
    // open addressing over kind ids (−1 = empty), grown at half load: a Map lookup per request cost as much
    // as simulating it
    let slots = new Int32Array(1024).fill(-1);
    const system: number[] = [];
    const query: number[] = [];
    const output: number[] = [];
    const cls: number[] = [];
    for (let i = 0; i < this.length; i++) {
      const S = this.systemTokens[i]!;
      const Q = this.queryTokens[i]!;
      const O = this.outputTokens[i]!;
      const C = this.classIndex[i]!;
      const mask = slots.length - 1;
      let h = kindHash(S, Q, O, C) & mask;
      let k = slots[h]!;
      while (k !== -1 && !(system[k] === S && query[k] === Q && output[k] === O && cls[k] === C)) {
        h = (h + 1) & mask;
        k = slots[h]!;
      }
      if (k === -1) {
        k = output.length;
        system.push(S);
        query.push(Q);
        output.push(O);
        cls.push(C);
        slots[h] = k;
        if (2 * output.length > slots.length) {
          slots = new Int32Array(slots.length * 2).fill(-1);
          for (let j = 0; j < output.length; j++) {
            let g = kindHash(system[j]!, query[j]!, output[j]!, cls[j]!) & (slots.length - 1);
            while (slots[g] !== -1) g = (g + 1) & (slots.length - 1);
            slots[g] = j;
          }
        }
      }
      kindOf[i] = k;
    }
    return (this.kindCache = { kindOf, count: output.length });
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

/** Hash of a request kind's key (system, query and output lengths, class). */
function kindHash(system: number, query: number, output: number, cls: number): number {
  return hash(hash(hash(system ^ Math.imul(query, 0x9e3779b1)) ^ output) ^ cls);
}

export function emptyView(): RequestView {
  return {
    index: -1,
    kind: -1,
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
