/**
 * Key spelling of serialized configs: deepwell options are camelCase (`inputAxes`), Keras JSON is
 * snake_case (`input_axes`). Configs are read in either spelling and written in Keras's.
 */

/** `input_axes` -> `inputAxes`; a key without underscores is returned unchanged. */
export function snakeToCamel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** `inputAxes` -> `input_axes`; a key without capitals is returned unchanged. */
export function camelToSnake(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** A copy of `config` with every top-level key written in snake_case (values are untouched). */
export function snakeCaseKeys(config: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) out[camelToSnake(key)] = value;
  return out;
}
