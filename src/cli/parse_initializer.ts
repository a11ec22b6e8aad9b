/** `--init`: any spelling `initializers.get` accepts, normalized to the Keras snake_case name. */
import { ValueError } from '../core/errors.js';
import { type InitializerName, canonicalInitializerName } from '../initializers/index.js';
import { UsageError } from './usage_error.js';

/**
 * 'he_normal', 'HeNormal', 'heNormal' and 'LeCunNormal' are accepted (as in the library);
 * @throws UsageError naming --init, the valid names and the nearest one.
 */
export function parseInitializer(value: string): InitializerName {
  try {
    return canonicalInitializerName(value);
  } catch (e) {
    if (e instanceof ValueError) throw new UsageError(`Invalid value for --init: ${e.message}`);
    throw e;
  }
}
