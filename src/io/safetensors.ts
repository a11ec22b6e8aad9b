/**
 * safetensors: encode and decode the format of Hugging Face's `safetensors` library, checking every
 * claim the file makes before trusting it.
 *
 * Layout: `u64 little-endian N` | `N bytes of UTF-8 JSON header` | `data buffer`. The header maps each
 * tensor name to `{ dtype, shape, data_offsets: [begin, end] }` (offsets relative to the data buffer)
 * and may hold `"__metadata__": { string: string }`. The writer pads the header with spaces to a
 * multiple of 8 bytes so the data buffer starts aligned. The tensors must cover the data buffer
 * exactly: no overlap, no gap, no trailing bytes.
 *
 * Read: F32, F64 (as float32 / float64 arrays), F16 and BF16 (widened to float32). Written: F32, F64.
 * Every fault is a `DataError` naming the file and the fault, found without allocating what the
 * header claims (sizes are checked against the bytes actually present first).
 *
 * Browser-clean: no Node imports. Assumes a little-endian host for zero-copy views (every JS engine
 * in use); on a big-endian host the data are copied through a DataView.
 *
 * Reference: https://github.com/huggingface/safetensors (README "Format", `safetensors/src/tensor.rs`:
 * `prepare`, `validate`; MAX_HEADER_SIZE 100_000_000).
 */
import type { DType, TypedArray } from '../core/dtype.js';
import { DataError, ShapeError, ValueError } from '../core/errors.js';

/** Largest header accepted, in bytes (the reference reader's `MAX_HEADER_SIZE`). */
export const SAFETENSORS_MAX_HEADER_BYTES = 100_000_000;

/** Header key reserved for the string-to-string metadata map. */
const METADATA_KEY = '__metadata__';

/** One tensor as written to or read from a safetensors file. */
export interface SafetensorsTensor {
  name: string;
  shape: number[];
  dtype: DType;
  data: TypedArray;
}

/** A decoded safetensors file: tensors in data-buffer order and the `__metadata__` map. */
export interface SafetensorsFile {
  tensors: SafetensorsTensor[];
  metadata: Record<string, string>;
}

/** Bytes per element of each safetensors dtype this module reads. */
const READ_ITEMSIZE = { F32: 4, F64: 8, F16: 2, BF16: 2 } as const;
type ReadDType = keyof typeof READ_ITEMSIZE;

/** Other dtypes of the specification: known, but not supported by deepwell. */
const KNOWN_UNSUPPORTED = ['BOOL', 'U8', 'I8', 'I16', 'U16', 'I32', 'U32', 'I64', 'U64', 'F8_E5M2', 'F8_E4M3', 'F8_E8M0', 'F4', 'F6_E2M3', 'F6_E3M2', 'C64'];

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Number of elements of `shape` (1 for a scalar). */
function elementCount(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * Encodes tensors (float32 or float64) and an optional string metadata map as a safetensors file.
 * Float64 tensors are placed first so every tensor starts at a multiple of its item size (the
 * reference writer orders by dtype alignment too); the order among tensors of one dtype is kept.
 *
 * Throws `ValueError` for a duplicate or reserved name or a non-string metadata value, `ShapeError`
 * when `data.length` differs from the product of `shape`.
 */
export function encodeSafetensors(
  tensors: readonly SafetensorsTensor[],
  metadata?: Record<string, string>,
): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata !== undefined) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') {
        throw new ValueError(`safetensors metadata "${k}": expected a string value, got ${typeof v}. Serialize it with JSON.stringify first.`);
      }
    }
    header[METADATA_KEY] = metadata;
  }
  const seen = new Set<string>();
  for (const t of tensors) {
    if (t.name === METADATA_KEY) throw new ValueError(`safetensors: the tensor name "${METADATA_KEY}" is reserved for metadata; rename the tensor.`);
    if (seen.has(t.name)) throw new ValueError(`safetensors: duplicate tensor name "${t.name}"; every tensor needs a unique name.`);
    seen.add(t.name);
    for (const d of t.shape) {
      if (!Number.isSafeInteger(d) || d < 0) throw new ShapeError(`safetensors tensor "${t.name}": invalid dimension ${d} in shape [${t.shape.join(', ')}]; dimensions are integers >= 0.`);
    }
    const n = elementCount(t.shape);
    if (t.data.length !== n) {
      throw new ShapeError(`safetensors tensor "${t.name}": shape [${t.shape.join(', ')}] holds ${n} elements, data has ${t.data.length}.`);
    }
    const want = t.dtype === 'float64' ? Float64Array : Float32Array;
    if (!(t.data instanceof want)) throw new ValueError(`safetensors tensor "${t.name}": dtype ${t.dtype} needs a ${want.name}, got ${t.data.constructor.name}.`);
  }
  const ordered = [...tensors.filter((t) => t.dtype === 'float64'), ...tensors.filter((t) => t.dtype !== 'float64')];
  let offset = 0;
  for (const t of ordered) {
    const bytes = t.data.byteLength;
    header[t.name] = { dtype: t.dtype === 'float64' ? 'F64' : 'F32', shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLength = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLength + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, headerLength, true);
  view.setUint32(4, Math.floor(headerLength / 2 ** 32), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  let pos = 8 + headerLength;
  for (const t of ordered) {
    if (LITTLE_ENDIAN_HOST) {
      out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), pos);
    } else {
      const size = t.dtype === 'float64' ? 8 : 4;
      for (let i = 0; i < t.data.length; i++) {
        if (size === 8) view.setFloat64(pos + i * 8, t.data[i], true);
        else view.setFloat32(pos + i * 4, t.data[i], true);
      }
    }
    pos += t.data.byteLength;
  }
  return out;
}

interface Entry {
  name: string;
  dtype: ReadDType;
  shape: number[];
  begin: number;
  end: number;
}

/**
 * Decodes a safetensors file. Tensors come back in data-buffer order. F32/F64 arrays are views into
 * `bytes` when their start is aligned (so they share memory with `bytes`; copy them to own them),
 * copies otherwise; F16/BF16 are widened into new float32 arrays.
 *
 * Throws `DataError` (message: `safetensors file "<fileName>": <fault>`) for: a file shorter than 8
 * bytes; a header length above 100 MB or beyond the file; a header that is not UTF-8 JSON of an
 * object; bad `__metadata__`; an unknown or unsupported dtype; a shape that is not a list of
 * integers >= 0; offsets that are not two integers begin <= end; a byte span that differs from
 * shape product * item size; offsets beyond the data buffer (truncated file); overlapping tensors;
 * gaps or trailing bytes in the data buffer.
 */
export function decodeSafetensors(bytes: Uint8Array, fileName: string): SafetensorsFile {
  const fail = (fault: string): never => {
    throw new DataError(`safetensors file "${fileName}": ${fault}`);
  };
  if (bytes.length < 8) fail(`truncated: ${bytes.length} bytes, fewer than the 8-byte header length field.`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // u64: compared and printed as a BigInt, so a huge (lying) length is named exactly.
  const declared = view.getBigUint64(0, true);
  if (declared > BigInt(SAFETENSORS_MAX_HEADER_BYTES)) {
    fail(`header length ${declared} bytes exceeds the limit of ${SAFETENSORS_MAX_HEADER_BYTES} bytes; this is not a safetensors file or it is corrupt.`);
  }
  const headerLength = Number(declared);
  if (8 + headerLength > bytes.length) {
    fail(`header length ${headerLength} bytes goes beyond the end of the file (${bytes.length} bytes): the file is truncated or the length field is corrupt.`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength));
  } catch {
    return fail('header is not valid UTF-8.');
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    return fail(`header is not valid JSON (${(e as Error).message}).`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) {
    fail(`header must be a JSON object, got ${Array.isArray(header) ? 'an array' : JSON.stringify(header)}.`);
  }
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  const metadata: Record<string, string> = {};
  const entries: Entry[] = [];
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === METADATA_KEY) {
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail(`"${METADATA_KEY}" must be an object of strings.`);
      for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
        if (typeof v !== 'string') fail(`"${METADATA_KEY}" value of "${k}" must be a string, got ${JSON.stringify(v)}.`);
        metadata[k] = v as string;
      }
      continue;
    }
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail(`tensor "${name}": entry must be an object { dtype, shape, data_offsets }.`);
    const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;
    if (typeof dtype !== 'string') return fail(`tensor "${name}": dtype must be a string, got ${JSON.stringify(dtype)}.`);
    if (!Object.hasOwn(READ_ITEMSIZE, dtype)) {
      if (KNOWN_UNSUPPORTED.includes(dtype)) fail(`tensor "${name}": dtype ${dtype} is not supported; deepwell reads F32, F64, F16 and BF16.`);
      fail(`tensor "${name}": unknown dtype ${JSON.stringify(dtype)}; expected one of F32, F64, F16, BF16.`);
    }
    if (!Array.isArray(shape)) return fail(`tensor "${name}": shape must be a list of dimensions, got ${JSON.stringify(shape)}.`);
    let count = 1;
    for (const d of shape) {
      if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) {
        fail(`tensor "${name}": invalid dimension ${typeof d === 'number' ? String(d) : JSON.stringify(d)} in shape ${JSON.stringify(shape)}; dimensions must be finite integers >= 0.`);
      }
      count *= d;
    }
    const itemsize = READ_ITEMSIZE[dtype as ReadDType];
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => typeof o === 'number' && Number.isSafeInteger(o) && o >= 0)) {
      return fail(`tensor "${name}": data_offsets must be two integers [begin, end] >= 0, got ${JSON.stringify(offsets)}.`);
    }
    const [begin, end] = offsets as number[];
    if (end < begin) fail(`tensor "${name}": data_offsets [${begin}, ${end}] end before they begin.`);
    // count * itemsize may exceed 2^53 for an absurd shape; then it cannot equal a safe-integer span.
    if (!Number.isSafeInteger(count * itemsize) || count * itemsize !== end - begin) {
      fail(`tensor "${name}": shape ${JSON.stringify(shape)} of ${dtype} needs ${count * itemsize} bytes, data_offsets [${begin}, ${end}] span ${end - begin}.`);
    }
    if (end > dataLength) {
      fail(`tensor "${name}": data_offsets [${begin}, ${end}] go beyond the data buffer of ${dataLength} bytes: the file is truncated or the offsets are corrupt.`);
    }
    entries.push({ name, dtype: dtype as ReadDType, shape: shape as number[], begin, end });
  }
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  let previous: Entry | undefined;
  for (const e of entries) {
    if (e.begin < covered) fail(`tensors "${previous?.name}" and "${e.name}" overlap: "${e.name}" begins at byte ${e.begin}, before byte ${covered} where "${previous?.name}" ends.`);
    if (e.begin > covered) fail(`gap in the data buffer: bytes ${covered}..${e.begin} belong to no tensor (before "${e.name}"); the buffer must be fully covered.`);
    covered = e.end;
    if (e.end > e.begin) previous = e;
  }
  if (covered !== dataLength) {
    fail(`${dataLength - covered} trailing bytes after the last tensor (data buffer ${dataLength} bytes, tensors cover ${covered}); the buffer must be fully covered.`);
  }
  const tensors = entries.map((e) => ({
    name: e.name,
    shape: e.shape,
    dtype: (e.dtype === 'F64' ? 'float64' : 'float32') as DType,
    data: readData(bytes, view, dataStart + e.begin, dataStart + e.end, e.dtype),
  }));
  return { tensors, metadata };
}

/** Reads bytes [start, end) of `bytes` as `dtype`: an aligned view when possible, else a copy. */
function readData(bytes: Uint8Array, view: DataView, start: number, end: number, dtype: ReadDType): TypedArray {
  const itemsize = READ_ITEMSIZE[dtype];
  const n = (end - start) / itemsize;
  if (dtype === 'F32' || dtype === 'F64') {
    const Ctor = dtype === 'F64' ? Float64Array : Float32Array;
    const absolute = bytes.byteOffset + start;
    if (LITTLE_ENDIAN_HOST) {
      if (absolute % itemsize === 0) return dtype === 'F64' ? new Float64Array(bytes.buffer, absolute, n) : new Float32Array(bytes.buffer, absolute, n);
      return new Ctor(bytes.slice(start, end).buffer);
    }
    const out = new Ctor(n);
    for (let i = 0; i < n; i++) out[i] = dtype === 'F64' ? view.getFloat64(start + i * 8, true) : view.getFloat32(start + i * 4, true);
    return out;
  }
  const out = new Float32Array(n);
  if (dtype === 'BF16') {
    // bfloat16 is the top half of a float32: shift the 16 bits up.
    const u32 = new Uint32Array(out.buffer);
    for (let i = 0; i < n; i++) u32[i] = view.getUint16(start + i * 2, true) << 16;
  } else {
    for (let i = 0; i < n; i++) out[i] = halfToFloat(view.getUint16(start + i * 2, true));
  }
  return out;
}

/** IEEE 754 binary16 bits to a number: sign, 5-bit exponent (bias 15), 10-bit fraction; subnormals and inf/NaN. */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}
