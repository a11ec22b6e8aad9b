/**
 * Key spelling of serialized configs: deepwell options are camelCase (`inputAxes`), Keras JSON is
 * snake_case (`input_axes`). The one converter lives in core/serialization.ts; re-exported here.
 */
export { camelToSnake, snakeCaseKeys, snakeToCamel } from '../core/serialization.js';
