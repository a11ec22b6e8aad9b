/**
 * Reading zip archives (the `.keras` file) without trusting their headers, through fflate.
 *
 * Two passes, both fflate's: the central directory first (names, declared sizes, methods; nothing is
 * inflated), checked against a bound before anything is allocated; then the wanted entries are
 * streamed, counting the bytes each really inflates to and stopping an entry the moment it exceeds
 * its declared size. A zip bomb, an entry whose stated size lies, and a truncated archive are each a
 * `DataError` naming the file and the entry.
 *
 * Reference: Keras 3 `saving_lib._reject_zip_bomb` (Keras checks declared sizes before reading);
 * PKWARE APPNOTE 4.3.12 (central directory).
 */
import { Unzip, UnzipInflate, unzipSync } from 'fflate';
import { DataError } from '../core/errors.js';

/** Upper bound on all inflated bytes of one archive: 2 GiB, the largest buffer a browser reliably grants. */
export const MAX_ZIP_OUTPUT_BYTES = 2 ** 31;

/** Upper bound on the inflation ratio of one archive (a stored .keras has ratio 1; deflated weights about 1.1). */
export const MAX_ZIP_RATIO = 50;

/** Entries below this many bytes are never refused for their ratio (small JSON files compress well). */
const RATIO_FREE_BYTES = 1 << 20;

/** One entry of the central directory. */
export interface ZipEntryInfo {
  name: string;
  compressedSize: number;
  declaredSize: number;
  compression: number;
}

/** Lists the central directory of `bytes` without inflating anything. Throws `DataError` for a truncated or non-zip file. */
export function listZip(bytes: Uint8Array, fileName: string): ZipEntryInfo[] {
  const entries: ZipEntryInfo[] = [];
  try {
    unzipSync(bytes, {
      filter: (f) => {
        entries.push({ name: f.name, compressedSize: f.size, declaredSize: f.originalSize, compression: f.compression });
        return false;
      },
    });
  } catch (e) {
    throw new DataError(`${fileName}: not a readable zip archive (${(e as Error).message}; ${bytes.length} bytes); the file is truncated or not a .keras file. Save it again.`);
  }
  return entries;
}

/**
 * Inflates the entries `wanted` of the archive, after checking declared sizes against
 * `min(MAX_ZIP_OUTPUT_BYTES, max(MAX_ZIP_RATIO * bytes.length, 1 MiB))` and while checking that each
 * entry inflates to exactly its declared size. Missing entries are absent from the result.
 */
export function unzipChecked(bytes: Uint8Array, fileName: string, wanted: readonly string[]): Map<string, Uint8Array> {
  const entries = listZip(bytes, fileName);
  const bound = Math.min(MAX_ZIP_OUTPUT_BYTES, Math.max(MAX_ZIP_RATIO * bytes.length, RATIO_FREE_BYTES));
  const declared = new Map<string, ZipEntryInfo>();
  let total = 0;
  for (const e of entries) {
    if (!wanted.includes(e.name)) continue;
    if (declared.has(e.name)) throw new DataError(`${fileName}: zip entry ${e.name} appears twice; expected one. The archive is corrupt or crafted.`);
    if (e.compressedSize > bytes.length) {
      throw new DataError(`${fileName}: zip entry ${e.name} states ${e.compressedSize} compressed bytes, more than the ${bytes.length}-byte archive. The file is truncated or corrupt.`);
    }
    if (e.compression === 0 && e.compressedSize !== e.declaredSize) {
      throw new DataError(`${fileName}: zip entry ${e.name} is stored (not compressed) but states ${e.declaredSize} bytes uncompressed and ${e.compressedSize} stored; the sizes must agree. The archive is corrupt.`);
    }
    total += e.declaredSize;
    if (total > bound) {
      throw new DataError(`${fileName}: zip entries declare ${total} bytes uncompressed (entry ${e.name}: ${e.declaredSize}), beyond the bound of ${bound} bytes (${MAX_ZIP_RATIO}x the ${bytes.length}-byte archive, at most 2 GiB): refused as a possible zip bomb.`);
    }
    declared.set(e.name, e);
  }
  const out = new Map<string, Uint8Array>();
  let fault: DataError | null = null;
  const unzip = new Unzip((file) => {
    const info = declared.get(file.name);
    if (info === undefined || out.has(file.name)) return;
    const chunks: Uint8Array[] = [];
    let received = 0;
    file.ondata = (err, chunk, final) => {
      if (fault !== null) return;
      if (err) {
        fault = new DataError(`${fileName}: zip entry ${file.name} cannot be inflated (${err.message}); the archive is corrupt or truncated.`);
        return;
      }
      received += chunk.length;
      if (received > info.declaredSize) {
        fault = new DataError(`${fileName}: zip entry ${file.name} inflates past its stated size of ${info.declaredSize} bytes; the stated size lies (possible zip bomb). Refused.`);
        file.terminate();
        return;
      }
      chunks.push(chunk);
      if (final) {
        if (received !== info.declaredSize) {
          fault = new DataError(`${fileName}: zip entry ${file.name} inflates to ${received} bytes, but its header states ${info.declaredSize}; the stated size lies or the archive is truncated.`);
          return;
        }
        const data = new Uint8Array(received);
        let o = 0;
        for (const c of chunks) {
          data.set(c, o);
          o += c.length;
        }
        out.set(file.name, data);
      }
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  try {
    unzip.push(bytes, true);
  } catch (e) {
    if (fault === null) fault = new DataError(`${fileName}: zip archive cannot be read (${(e as Error).message}); the file is truncated or corrupt.`);
  }
  if (fault !== null) throw fault;
  for (const name of declared.keys()) {
    if (!out.has(name)) throw new DataError(`${fileName}: zip entry ${name} is listed in the central directory but its data cannot be read; the archive is truncated or corrupt.`);
  }
  return out;
}
