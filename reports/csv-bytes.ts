/**
 * A CSV writer that appends bytes to one growing buffer: a sweep writes a requests.csv of ~1,000 rows ×
 * 24 cells per run, and building a string per cell and per row (then joining them) cost more than simulating
 * the run. Numbers are spelled exactly as String(x) spells them (see `number`); text goes in as given
 * (callers escape it, once per distinct value).
 */
export class CsvBytes {
  private buf = Buffer.allocUnsafe(1 << 16);
  private pos = 0;

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(2 * this.buf.length, this.pos + n));
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
  }

  /** Appends bytes as they are (an escaped text cell, a line end…). */
  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** Appends one ASCII character code. */
  char(code: number): void {
    this.ensure(1);
    this.buf[this.pos++] = code;
  }

  /**
   * Appends String(x). Integers, and numbers that are a whole number of thousandths or millionths below 1e9
   * (requests.csv rounds times to 3 decimals and qualities to 6), are spelled from their digits: a decimal of
   * ≤ 15 significant digits is the shortest spelling of its nearest double, which is what String(x) prints.
   * Anything else takes String(x) itself.
   */
  number(x: number): void {
    this.ensure(40);
    if (Number.isInteger(x)) {
      if (Math.abs(x) < 1e15) {
        if (x < 0) this.buf[this.pos++] = 45; // '-'
        this.digits(Math.abs(x));
        return;
      }
    } else {
      const a = Math.abs(x);
      if (a < 1e9 && (this.scaled(x, a, 1000, 3) || this.scaled(x, a, 1e6, 6))) return;
    }
    const s = String(x); // always ASCII
    this.ensure(s.length);
    for (let k = 0; k < s.length; k++) this.buf[this.pos++] = s.charCodeAt(k);
  }

  /** Writes x = ±a when a is a whole number of 1/scale (scale = 10^width); false (nothing written) if not. */
  private scaled(x: number, a: number, scale: number, width: number): boolean {
    const k = Math.round(a * scale);
    if (k / scale !== a) return false;
    if (x < 0) this.buf[this.pos++] = 45; // '-'
    const i = Math.floor(k / scale);
    this.digits(i);
    this.fraction(k - i * scale, width);
    return true;
  }

  /** Decimal digits of a non-negative integer below 1e15 (−0 included, as "0"). */
  private digits(n: number): void {
    const buf = this.buf;
    if (n < 10) {
      buf[this.pos++] = 48 + n;
      return;
    }
    if (n > 0x7fffffff) {
      // above int32: peel the low 9 digits off with float division (exact on integers below 2^53)
      const high = Math.floor(n / 1e9);
      this.digits(high);
      this.padded(n - high * 1e9, 9);
      return;
    }
    let len = 1;
    for (let m = (n / 10) | 0; m > 0; m = (m / 10) | 0) len++;
    this.padded(n, len);
  }

  /** Exactly `len` decimal digits of 0 ≤ n < 10^len (int32), zero-padded on the left. */
  private padded(n: number, len: number): void {
    const buf = this.buf;
    let at = this.pos + len;
    this.pos = at;
    for (let k = 0; k < len; k++) {
      const q = (n / 10) | 0;
      buf[--at] = 48 + n - q * 10;
      n = q;
    }
  }

  /** "." and the `width`-digit fraction f (0 < f < 10^width ≤ 10^6) without its trailing zeros; nothing for f = 0. */
  private fraction(f: number, width: number): void {
    if (f === 0) return;
    let len = width;
    while (f % 10 === 0) {
      f = (f / 10) | 0;
      len--;
    }
    this.buf[this.pos++] = 46; // '.'
    this.padded(f, len);
  }

  /** The text written so far (UTF-8). */
  toString(): string {
    return this.buf.toString('utf8', 0, this.pos);
  }
}
