/**
 * Reading IDX files from disk (Node only); the parsing is browser-clean in idx.ts.
 */
import { readFileSync, statSync } from 'node:fs';
import { DataError } from '../core/errors.js';
import { IDX_MAX_BYTES, type IdxArray, parseIdx } from './idx.js';

/**
 * Reads an IDX file (raw or gzip-compressed) into a typed array.
 *
 * Shapes: as stored in the header, e.g. images `[n, rows, cols]` (uint8), labels `[n]` (uint8).
 *
 * @param path - path of the file; gzip is detected by content (bytes 1f 8b), not by the `.gz` suffix.
 * @returns the dtype, shape and data (host byte order).
 * @throws DataError when the file is missing, is not IDX (wrong magic, unknown type code, rank outside
 *   1..{@link IDX_MAX_RANK}), has a truncated header, is truncated or has trailing bytes (its size must
 *   equal the header-implied size exactly), is a corrupt or truncated gzip stream, or exceeds
 *   {@link IDX_MAX_BYTES}. Every message names the file, the fault, what was expected and a fix.
 *
 * Reference: http://yann.lecun.com/exdb/mnist/ ("THE IDX FILE FORMAT").
 *
 * @example
 * const labels = readIdx('t10k-labels-idx1-ubyte.gz');
 * labels.dtype; // 'uint8'
 * labels.shape; // [10000]
 * labels.data.subarray(0, 5); // Uint8Array [7, 2, 1, 0, 4]
 */
export function readIdx(path: string): IdxArray {
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) {
      throw new DataError(`IDX file '${path}' is not a regular file. Expected a file such as t10k-labels-idx1-ubyte(.gz); check the path.`);
    }
    size = stat.size;
  } catch (e) {
    if (e instanceof DataError) throw e;
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    throw new DataError(`IDX file '${path}' cannot be read (${code}). Expected an existing, readable file; check the path and permissions.`);
  }
  if (size > IDX_MAX_BYTES) {
    throw new DataError(
      `IDX file '${path}' has ${size} bytes, more than the ${IDX_MAX_BYTES}-byte limit. ` +
        'Expected a file of at most 2 GiB; split the dataset into several IDX files.',
    );
  }
  return parseIdx(readFileSync(path), path);
}
