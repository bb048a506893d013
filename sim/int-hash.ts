/**
 * Open-addressing hash tables over typed arrays, for the simulator's hottest memo lookups. A JavaScript Map
 * keyed by numbers costs 40-100 ns a lookup on this path (hashing, boxing of non-Smi keys, GC-visible
 * entries); these cost a few ns, allocate nothing per entry, and are invisible to the garbage collector.
 * Keys are non-negative 31-bit integers; tables grow (doubling) at half load.
 */

/** Integer → float64 map. */
export class IntFloatMap {
  private keys: Int32Array;
  private values: Float64Array;
  private mask: number;
  size = 0;

  constructor(capacity = 1024) {
    const n = 1 << Math.max(4, Math.ceil(Math.log2(capacity)));
    this.keys = new Int32Array(n).fill(-1);
    this.values = new Float64Array(n);
    this.mask = n - 1;
  }

  /** The value of `key`, or NaN when absent (callers never store NaN). */
  get(key: number): number {
    const keys = this.keys;
    let h = hash(key) & this.mask;
    for (;;) {
      const k = keys[h]!;
      if (k === key) return this.values[h]!;
      if (k === -1) return NaN;
      h = (h + 1) & this.mask;
    }
  }

  set(key: number, value: number): void {
    if (2 * (this.size + 1) > this.keys.length) this.grow();
    const keys = this.keys;
    let h = hash(key) & this.mask;
    for (;;) {
      const k = keys[h]!;
      if (k === key) break;
      if (k === -1) {
        keys[h] = key;
        this.size++;
        break;
      }
      h = (h + 1) & this.mask;
    }
    this.values[h] = value;
  }

  clear(): void {
    this.keys.fill(-1);
    this.size = 0;
  }

  private grow(): void {
    const { keys, values } = this;
    this.keys = new Int32Array(keys.length * 2).fill(-1);
    this.values = new Float64Array(keys.length * 2);
    this.mask = keys.length * 2 - 1;
    this.size = 0;
    for (let h = 0; h < keys.length; h++) if (keys[h]! !== -1) this.set(keys[h]!, values[h]!);
  }
}

/** A 32-bit integer mix (murmur3's finalizer): consecutive keys spread over the table. */
export function hash(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}
