/**
 * Seeded randomness for the whole twin. A thin wrapper over pure-rand's xoroshiro128+ so the rest of the
 * code asks for what it means (a uniform, an exponential gap, an index) and every stream is reproducible.
 * Independent streams come from jumps (2^64 steps apart), never from ad-hoc seed arithmetic.
 */
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';

type Generator = ReturnType<typeof xoroshiro128plus>;

export class Rng {
  private readonly gen: Generator;

  private constructor(gen: Generator) {
    this.gen = gen;
  }

  static fromSeed(seed: number): Rng {
    if (!Number.isInteger(seed)) throw new Error(`seed must be an integer, got ${seed}`);
    return new Rng(xoroshiro128plus(seed | 0));
  }

  /**
   * A stream named by a label under a run seed (e.g. one per policy): seeded by a hash of (seed, label),
   * so it depends on nothing but those two, and is unrelated to the streams forked from the seed itself.
   */
  static derive(seed: number, label: string): Rng {
    let h = 0x811c9dc5 ^ Math.imul(seed >>> 0, 0x9e3779b1);
    for (let k = 0; k < label.length; k++) h = Math.imul(h ^ label.charCodeAt(k), 0x01000193);
    // final avalanche (murmur3 fmix32) so similar labels land far apart
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    return new Rng(xoroshiro128plus(h | 0));
  }

  /** A new independent stream: this stream jumped `k` times (does not advance this one). */
  fork(k: number): Rng {
    const g = this.gen.clone();
    for (let i = 0; i < k; i++) g.jump();
    return new Rng(g);
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    return uniformFloat64(this.gen);
  }

  /** Integer in [0, n). */
  index(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Exponential variate with the given mean (inverse transform; 1 - u keeps log away from 0). */
  exponential(mean: number): number {
    return -Math.log(1 - this.uniform()) * mean;
  }

  /** Fisher-Yates shuffle in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.index(i + 1);
      const t = items[i]!;
      items[i] = items[j]!;
      items[j] = t;
    }
    return items;
  }
}
