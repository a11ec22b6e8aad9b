import { ValueError, checkOptionKeys } from '../core/errors.js';
import type { InitializerConfig } from './initializer.js';
import { VarianceScaling, type VarianceScalingDistribution, type VarianceScalingMode, type VarianceScalingOptions } from './variance_scaling.js';

/** Options of the six named presets (GlorotUniform, HeNormal, ...): only the seed, plus optional fan axes. */
export type VarianceScalingPresetOptions = Pick<VarianceScalingOptions, 'seed' | 'inputAxes' | 'outputAxes'>;

/** The fixed part of a preset: its scale, mode and distribution. */
export interface VarianceScalingRecipe {
  readonly scale: number;
  readonly mode: VarianceScalingMode;
  readonly distribution: VarianceScalingDistribution;
}

/**
 * A named VarianceScaling with fixed scale, mode and distribution, as Keras 3 defines its presets:
 * the config holds only `seed` (and `inputAxes`/`outputAxes` when given), and the class keeps its own
 * `className` so it serializes as `GlorotUniform`, not `VarianceScaling` (unlike TF.js).
 */
export abstract class VarianceScalingPreset extends VarianceScaling {
  static override readonly configKeys: readonly string[] = ['seed', 'inputAxes', 'outputAxes'];

  /**
   * @throws ValueError for an option other than seed, inputAxes and outputAxes; `scale`, `mode` and
   *   `distribution` get a message that points to VarianceScaling.
   */
  protected constructor(recipe: VarianceScalingRecipe, options: VarianceScalingPresetOptions) {
    const owner = new.target.className;
    const valid = new.target.configKeys;
    if (options !== null && typeof options === 'object') {
      const fixed = (['scale', 'mode', 'distribution'] as const).find((k) => Object.hasOwn(options, k));
      if (fixed !== undefined) {
        throw new ValueError(
          `${owner}: unknown option '${fixed}'; the preset fixes scale ${recipe.scale}, mode '${recipe.mode}' and distribution ` +
            `'${recipe.distribution}', so valid options are ${valid.map((k) => `'${k}'`).join(', ')}. ` +
            `For another ${fixed}, use new VarianceScaling({ scale, mode, distribution }).`,
        );
      }
    }
    checkOptionKeys(owner, options, valid);
    // Only the preset's own options are passed on, so an untyped caller cannot change the recipe.
    super({ ...recipe, seed: options.seed, inputAxes: options.inputAxes, outputAxes: options.outputAxes });
  }

  override getConfig(): InitializerConfig {
    return { seed: this.seed, ...this.axesConfig() };
  }
}
