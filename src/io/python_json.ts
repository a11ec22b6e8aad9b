/**
 * JSON text as Python's `json.dumps` writes it with default options (what Keras writes into
 * config.json, metadata.json and the HDF5 `model_config` attribute): `", "` and `": "` separators and
 * non-ASCII characters escaped as `\uXXXX` (`ensure_ascii=True`). Numbers use JavaScript's shortest
 * round-trip form, which equals Python's `repr` for floats except that integral floats print as `1`,
 * not `1.0` (JSON numbers carry no int/float distinction; Keras reads both).
 *
 * Reference: Python `json.dumps` (separators, ensure_ascii).
 */
import type { Json } from './artifacts.js';

/** Serializes `value` as Python's `json.dumps(value)` does. */
export function pythonJsonDumps(value: Json | undefined): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : value > 0 ? 'Infinity' : value < 0 ? '-Infinity' : 'NaN';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return JSON.stringify(value).replace(/[\u0080-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (Array.isArray(value)) return `[${value.map((v) => pythonJsonDumps(v)).join(', ')}]`;
  const parts = Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${pythonJsonDumps(k)}: ${pythonJsonDumps(v)}`);
  return `{${parts.join(', ')}}`;
}
