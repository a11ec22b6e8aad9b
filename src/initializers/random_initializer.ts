import { Rng, getGlobalRng } from '../core/random.js';
import { Initializer } from './initializer.js';
import { readSeed } from './options.js';

/**
 * Base of the initializers that draw random numbers. It owns the seed:
 *
 * - seeded (`seed` an integer): every `apply` starts a fresh `new Rng(seed)`, so the same shape gives
 *   the same values on every call and after a config round trip (Keras 3, TF.js);
 * - unseeded (`seed` undefined or null): every `apply` takes a new stream derived from the global
 *   generator (`getGlobalRng()`), so two layers given the same string initializer get different
 *   weights, and `setSeed(n)` before building a model reproduces all of them. (Keras 3 instead freezes
 *   a random seed per instance; deepwell's choice avoids hidden seeds and keeps `setSeed` in charge.)
 *
 * A derived stream costs the global generator one draw per `apply`, whatever the tensor size, so the
 * size of one layer does not shift the randomness of the next consumer.
 */
export abstract class RandomInitializer extends Initializer {
  /** The user-given seed, or null (draws from the global generator). */
  readonly seed: number | null;

  /**
   * @param options - the subclass's options object: its keys are checked (see `Initializer`), its
   *   `seed` read here.
   * @param validKeys - the keys allowed in `options`; default the class's `configKeys`.
   * @throws ValueError for an unknown option key, or when `seed` is neither an integer nor undefined/null.
   */
  protected constructor(options: { readonly seed?: unknown } | undefined, validKeys?: readonly string[]) {
    super(options, validKeys);
    this.seed = readSeed(new.target.className, options?.seed);
  }

  /** The generator for one `apply`: `new Rng(seed)`, or a fresh stream derived from the global one. */
  protected rng(): Rng {
    if (this.seed !== null) return new Rng(this.seed);
    const global = getGlobalRng();
    return global.derive(global.nextUint32());
  }
}
