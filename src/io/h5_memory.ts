/**
 * HDF5 files as bytes in memory, through h5wasm (the HDF5 C library compiled to WebAssembly).
 *
 * h5wasm works on files of its Emscripten virtual file system (in memory, both in browsers and in
 * Node: the default ESM build `h5wasm` needs nothing Node-specific). These helpers copy the bytes in,
 * open them, and remove the virtual file afterwards, so the codecs stay pure functions on bytes.
 * h5wasm calls are synchronous once `h5wasm.ready` resolved, so two codecs never interleave on a file.
 *
 * Reference: h5wasm 0.10.3 README ("Browser target"), `src/hdf5_hl.d.ts`.
 */
import type { Dataset, Group, File as H5File } from 'h5wasm';
import { DataError } from '../core/errors.js';

export type { Dataset, Group, H5File };

/** Counter for unique virtual file names (several files may be open at once). */
let fileCounter = 0;

/**
 * The h5wasm library, imported on first use: instantiating its WebAssembly costs ~30 MB of memory,
 * which a process that never reads or writes HDF5 (`deepwell train`) should not pay.
 */
let lib: typeof import('h5wasm').default | null = null;

/** The h5wasm module, loaded once. */
async function h5() {
  lib ??= (await import('h5wasm')).default;
  const module = await lib.ready;
  return { FS: module.FS, File: lib.File };
}

/** The loaded library; every caller runs on a file opened through `h5()`, so it is loaded. */
function loaded(): typeof import('h5wasm').default {
  if (lib === null) throw new Error('h5_memory: h5wasm used before a file was opened (internal error).');
  return lib;
}

/** HDF5 signature, the first 8 bytes of a file without user block: `\x89HDF\r\n\x1a\n`. */
const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * The file length an HDF5 superblock states (base address + end-of-file address), or null when the
 * superblock version is unknown or the header is too short to tell. Checked before HDF5 opens the file,
 * so a truncated file is a clean `DataError` (the C library would print its error stack to the console).
 *
 * Superblock layout (HDF5 File Format Specification 3.0, section II.A): signature 8 bytes, version 1
 * byte at 8. Versions 0 and 1: size of offsets at 13; base address at 24 (v0) or 28 (v1), then the
 * free-space address, then the end-of-file address. Versions 2 and 3: size of offsets at 9; base
 * address at 12, then the superblock extension address, then the end-of-file address.
 */
export function superblockEndOfFile(bytes: Uint8Array): number | null {
  if (bytes.length < 12) return null;
  const version = bytes[8];
  const sizeOfOffsets = version <= 1 ? bytes[13] : version <= 3 ? bytes[9] : 0;
  if (sizeOfOffsets !== 8 && sizeOfOffsets !== 4) return null;
  const base = version === 0 ? 24 : version === 1 ? 28 : 12;
  if (bytes.length < base + 3 * sizeOfOffsets) return null;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const read = (at: number) => (sizeOfOffsets === 8 ? Number(dv.getBigUint64(at, true)) : dv.getUint32(at, true));
  return read(base) + read(base + 2 * sizeOfOffsets);
}

/**
 * Opens `bytes` read-only, runs `read` on the open file and closes it.
 * Throws `DataError` naming `fileName` when the bytes are not a readable HDF5 file (wrong signature,
 * truncated, corrupt): h5wasm's own error is appended.
 */
export async function readH5<T>(bytes: Uint8Array, fileName: string, read: (file: H5File) => T): Promise<T> {
  if (bytes.length < 8 || HDF5_SIGNATURE.some((b, i) => bytes[i] !== b)) {
    throw new DataError(`${fileName}: not an HDF5 file (expected the signature \\x89HDF\\r\\n\\x1a\\n in the first 8 bytes, got ${bytes.length} bytes starting ${Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ')}). Pass a Keras .h5 / model.weights.h5 file.`);
  }
  const stated = superblockEndOfFile(bytes);
  if (stated !== null && stated > bytes.length) {
    throw new DataError(`${fileName}: HDF5 file is truncated: its superblock states ${stated} bytes, got ${bytes.length}. Save or copy it again.`);
  }
  const m = await h5();
  const name = `/deepwell_read_${++fileCounter}.h5`;
  m.FS.writeFile(name, bytes);
  let file: H5File | undefined;
  try {
    try {
      file = new m.File(name, 'r');
    } catch (e) {
      throw new DataError(`${fileName}: HDF5 file cannot be opened (${(e as Error).message}); the file is truncated or corrupt (${bytes.length} bytes). Save it again.`);
    }
    if (file.file_id < 0n) throw new DataError(`${fileName}: HDF5 file cannot be opened; the file is truncated or corrupt (${bytes.length} bytes). Save it again.`);
    try {
      return read(file);
    } catch (e) {
      if (e instanceof DataError) throw e;
      throw new DataError(`${fileName}: HDF5 content cannot be read (${(e as Error).message}); the file is truncated or corrupt (${bytes.length} bytes). Save it again.`);
    }
  } finally {
    try {
      if (file !== undefined && file.file_id >= 0n) file.close();
    } catch {
      /* closing a corrupt file may fail; the virtual file is removed below either way */
    }
    m.FS.unlink(name);
  }
}

/** Creates an empty HDF5 file, runs `write` on it, closes it and returns its bytes. */
export async function writeH5(write: (file: H5File) => void): Promise<Uint8Array> {
  const m = await h5();
  const name = `/deepwell_write_${++fileCounter}.h5`;
  let file: H5File | undefined;
  try {
    file = new m.File(name, 'w');
    write(file);
    file.close();
    file = undefined;
    return m.FS.readFile(name) as Uint8Array;
  } finally {
    try {
      file?.close();
    } catch {
      /* already failing: keep the first error */
    }
    try {
      m.FS.unlink(name);
    } catch {
      /* never created */
    }
  }
}

/** True when `entity` is an h5wasm Group (File included). */
export function isGroup(entity: unknown): entity is Group {
  return entity instanceof loaded().Group;
}

/** True when `entity` is an h5wasm Dataset. */
export function isDataset(entity: unknown): entity is Dataset {
  return entity instanceof loaded().Dataset;
}

/** The child group `name` of `group`, or null when absent or not a group. */
export function childGroup(group: Group, name: string): Group | null {
  if (!group.keys().includes(name)) return null;
  const e = group.get(name);
  return isGroup(e) ? e : null;
}

/** Attribute `name` of `entity` as a JS value (strings, string arrays, numbers), or undefined. */
export function attr(entity: Group | Dataset, name: string): unknown {
  const a = entity.attrs[name];
  return a === undefined ? undefined : a.json_value;
}

/**
 * Reads a float dataset after checking its shape against what the file can hold, so a lying header
 * never makes us allocate what it claims. Returns a Float32Array or Float64Array of the stored type.
 *
 * Throws `DataError` for a negative, fractional or non-finite dimension, a non-float type, a size
 * beyond `maxBytes`, or a value count that disagrees with the shape.
 */
export function readFloatDataset(ds: Dataset, fileName: string, path: string, maxBytes: number): { shape: number[]; data: Float32Array | Float64Array } {
  const meta = ds.metadata;
  const shape = meta.shape ?? [];
  for (const d of shape) {
    if (!Number.isFinite(d) || d < 0 || !Number.isInteger(d)) {
      throw new DataError(`${fileName}: dataset ${path} has dimension ${d} in shape [${shape.join(', ')}]; expected non-negative integers. The file is corrupt.`);
    }
  }
  // type 1 = H5T_FLOAT in h5wasm's metadata; sizes 4 and 8 are float32 and float64.
  if (meta.type !== 1 || (meta.size !== 4 && meta.size !== 8)) {
    throw new DataError(`${fileName}: dataset ${path} has dtype ${ds.dtype} (${meta.size} bytes); expected float32 or float64 weights.`);
  }
  const count = shape.reduce((a, b) => a * b, 1);
  const bytes = count * meta.size;
  if (bytes > maxBytes) {
    throw new DataError(`${fileName}: dataset ${path} claims shape [${shape.join(', ')}] (${bytes} bytes), more than the file can hold (${maxBytes} bytes). The file is corrupt or truncated.`);
  }
  const value = ds.value;
  if (!(value instanceof Float32Array || value instanceof Float64Array) || value.length !== count) {
    throw new DataError(`${fileName}: dataset ${path} read ${(value as { length?: number } | null)?.length ?? 'no'} values, expected ${count} for shape [${shape.join(', ')}]. The file is corrupt.`);
  }
  return { shape: [...shape], data: value };
}

/** Reads a scalar or 1-element integer/float dataset as a number (e.g. an optimizer's iterations). */
export function readScalar(ds: Dataset, fileName: string, path: string): number {
  const shape = ds.metadata.shape ?? [];
  if (shape.reduce((a, b) => a * b, 1) !== 1) {
    throw new DataError(`${fileName}: dataset ${path} has shape [${shape.join(', ')}]; expected a scalar.`);
  }
  const v = ds.value as unknown;
  const x = typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : ArrayBuffer.isView(v) ? Number((v as unknown as ArrayLike<number | bigint>)[0]) : NaN;
  if (!Number.isFinite(x)) throw new DataError(`${fileName}: dataset ${path} holds ${String(v)}; expected a finite number.`);
  return x;
}
