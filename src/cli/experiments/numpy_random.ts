/**
 * NumPy's legacy generator (`np.random.seed(s)`, `np.random.random()`, `np.random.normal(...)`), so the
 * book's numpy simulations (HML ch. 11, A3) run on the very numbers the book's run drew.
 *
 * - MT19937 (Matsumoto and Nishimura 1998), seeded as `RandomState.seed(int)` does
 *   (numpy/random/src/mt19937/mt19937.c `mt19937_seed`): key[0] = s,
 *   key[i] = 1812433253 * (key[i-1] ^ (key[i-1] >>> 30)) + i (mod 2^32).
 * - A double in [0, 1) from two 32-bit outputs a, b: ((a >>> 5) * 2^26 + (b >>> 6)) / 2^53.
 * - `normal(loc, scale)` = loc + scale * gauss, gauss by the polar method (numpy
 *   legacy-distributions.c `legacy_gauss`): x1 = 2u1 - 1, x2 = 2u2 - 1 until 0 < r2 = x1^2 + x2^2 < 1;
 *   f = sqrt(-2 ln(r2) / r2); returns f * x2 and keeps f * x1 for the next call.
 *
 * Known values: seed 42 -> random() 0.3745401188473625; seed 42 -> normal() 0.4967141530112327,
 * then -0.13826430117118466. Arrays are filled in C (row-major) order, as numpy does.
 */

const N = 624;
const M = 397;

export class NumpyRandomState {
  private readonly key = new Uint32Array(N);
  private pos = N;
  private gaussNext: number | null = null;

  /** @param seed an integer in [0, 2^32), as `np.random.seed(seed)`. */
  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(`NumpyRandomState: the seed must be an integer in [0, 2^32); received ${seed}. Pass a non-negative integer such as 42.`);
    }
    let s = seed >>> 0;
    for (let i = 0; i < N; i++) {
      this.key[i] = s;
      s = (Math.imul(1812433253, s ^ (s >>> 30)) + i + 1) >>> 0;
    }
  }

  /** The next 32-bit output of MT19937 (genrand_int32, with tempering). */
  nextUint32(): number {
    const k = this.key;
    if (this.pos >= N) {
      for (let i = 0; i < N; i++) {
        const y = (k[i] & 0x80000000) | (k[(i + 1) % N] & 0x7fffffff);
        k[i] = k[(i + M) % N] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      this.pos = 0;
    }
    let y = k[this.pos++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** `np.random.random()`: a double in [0, 1) with 53 random bits. */
  random(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** One standard normal draw (`legacy_gauss`). */
  gauss(): number {
    if (this.gaussNext !== null) {
      const g = this.gaussNext;
      this.gaussNext = null;
      return g;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2 * this.random() - 1;
      x2 = 2 * this.random() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * Math.log(r2)) / r2);
    this.gaussNext = f * x1;
    return f * x2;
  }

  /** `np.random.normal(loc, scale, size)` into `out`, in order. */
  fillNormal(out: Float64Array, loc = 0, scale = 1): Float64Array {
    for (let i = 0; i < out.length; i++) out[i] = loc + scale * this.gauss();
    return out;
  }
}
