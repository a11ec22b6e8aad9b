/**
 * Reader for the IDX format, the file format of MNIST, Fashion-MNIST, EMNIST and KMNIST.
 *
 * Layout (all integers big-endian):
 *
 * ```
 * byte 0-1   0x00 0x00                         magic
 * byte 2     type code: 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64
 * byte 3     rank (number of dimensions)
 * then       rank uint32 sizes, outermost first
 * then       the data, row-major, each element big-endian
 * ```
 *
 * The file may be gzip-compressed (detected by the gzip magic bytes 1f 8b, not by the file name).
 * Parsing is browser-clean (gzip through fflate); `readIdx` (idx.node.ts) reads a file in Node.
 *
 * Reference: Yann LeCun, "THE MNIST DATABASE of handwritten digits", section "THE IDX FILE FORMAT",
 * http://yann.lecun.com/exdb/mnist/
 */
import { Gunzip } from 'fflate';
import { DataError } from '../core/errors.js';
import { formatShape } from '../core/shape.js';

/** The element types of IDX, by type code, with their byte widths. */
const IDX_TYPES = [
  { code: 0x08, dtype: 'uint8', width: 1 },
  { code: 0x09, dtype: 'int8', width: 1 },
  { code: 0x0b, dtype: 'int16', width: 2 },
  { code: 0x0c, dtype: 'int32', width: 4 },
  { code: 0x0d, dtype: 'float32', width: 4 },
  { code: 0x0e, dtype: 'float64', width: 8 },
] as const;

/** Element type of an IDX array. */
export type IdxDtype = (typeof IDX_TYPES)[number]['dtype'];

/** The typed array that holds each IDX dtype (host byte order). */
export type IdxTypedArray = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** An array read from an IDX file: its element type, its shape and its row-major data. */
export interface IdxArray {
  dtype: IdxDtype;
  /** Sizes from the header, outermost first, e.g. `[10000, 28, 28]` for MNIST test images. */
  shape: number[];
  /** `product(shape)` elements in host byte order; owns its buffer (never a view of the input). */
  data: IdxTypedArray;
}

/** Largest supported rank. The format allows up to 255; real datasets use 1 (labels) to 4 (colour images). */
export const IDX_MAX_RANK = 4;

/**
 * Largest IDX content read, in bytes (2 GiB), before or after gunzip. It bounds memory against
 * corrupt headers and gzip bombs; the full MNIST training images are 47 MB.
 */
export const IDX_MAX_BYTES = 2 ** 31;

/** Bytes decompressed beyond the header-implied size, so that small trailing garbage is measured exactly. */
const GZIP_TRAILING_SLACK = 1 << 20;

/** Bytes of the fixed part of the header (2 zero bytes, type code, rank) and of each dimension. */
const MAGIC_BYTES = 4;
const DIM_BYTES = 4;

/** A view of `length` elements of each dtype over a buffer in host byte order. */
const VIEW_OF: Record<IdxDtype, (buffer: ArrayBuffer, length: number) => IdxTypedArray> = {
  uint8: (b, n) => new Uint8Array(b, 0, n),
  int8: (b, n) => new Int8Array(b, 0, n),
  int16: (b, n) => new Int16Array(b, 0, n),
  int32: (b, n) => new Int32Array(b, 0, n),
  float32: (b, n) => new Float32Array(b, 0, n),
  float64: (b, n) => new Float64Array(b, 0, n),
};

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const HEX_MAGIC_HELP =
  'Expected 00 00 <type code> <rank>: MNIST images start with 00 00 08 03, labels with 00 00 08 01.';

/** Where the bytes came from, for messages. */
interface Source {
  name: string;
  gzipped: boolean;
}

/** A validated IDX header. */
interface IdxHeader {
  dtype: IdxDtype;
  width: number;
  shape: number[];
  headerBytes: number;
  /** Header plus data, exact (a header may claim far more than 2^53 bytes). */
  totalBytes: bigint;
}

/**
 * Parses the bytes of an IDX file (raw or gzip-compressed): the format, checks and errors of
 * `readIdx` (idx.node.ts), which reads a file and calls this.
 *
 * Shapes: as stored in the header, e.g. images `[n, rows, cols]` (uint8), labels `[n]` (uint8).
 *
 * Memory: nothing is allocated from header values before the header-implied size has been checked
 * against the actual byte count, and gzip input is decompressed with a bound derived from the header
 * (so a gzip bomb or a lying header gives a DataError, not an out-of-memory).
 *
 * @param bytes - the file content; not modified and not aliased by the result.
 * @param name - the file name used in error messages.
 * @throws DataError when the bytes are not IDX (wrong magic, unknown type code, rank outside
 *   1..{@link IDX_MAX_RANK}), the header is truncated, the payload is truncated or has trailing bytes,
 *   the gzip stream is corrupt or truncated, or the content exceeds {@link IDX_MAX_BYTES}.
 */
export function parseIdx(bytes: Uint8Array, name: string): IdxArray {
  const gzipped = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
  const source: Source = { name, gzipped };
  const content = gzipped ? gunzipIdx(bytes, source) : bytes;
  const header = parseHeader(content, source);
  checkTotalSize(header, content.length, source);
  return { dtype: header.dtype, shape: header.shape, data: decodePayload(content, header) };
}

/** Decompresses gzip IDX content, bounded by the size its header implies. */
function gunzipIdx(bytes: Uint8Array, source: Source): Uint8Array {
  const header = parseHeader(peekGunzip(bytes, source), source);
  if (header.totalBytes > BigInt(IDX_MAX_BYTES)) {
    throw new DataError(
      `${describe(source)}: its header declares ${formatShape(header.shape)} ${header.dtype}, ` +
        `${header.totalBytes} bytes once decompressed, more than the ${IDX_MAX_BYTES}-byte limit. ` +
        'Expected at most 2 GiB; the header is corrupt or the dataset must be split into several files.',
    );
  }
  const expected = Number(header.totalBytes);
  try {
    return gunzipBounded(bytes, expected + GZIP_TRAILING_SLACK);
  } catch (e) {
    if (e instanceof GunzipTooLarge) {
      throw new DataError(
        `${describe(source)}: decompresses to more than ${expected + GZIP_TRAILING_SLACK} bytes, but its header ` +
          `declares ${formatShape(header.shape)} ${header.dtype}, exactly ${expected} bytes. ` +
          'Expected the decompressed size to match the header; the file is corrupt or is not a single IDX array.',
      );
    }
    throw gzipError(e, source);
  }
}

/** Compressed bytes given to the inflater at a time, so one step's output stays near 1032x this (deflate's largest ratio). */
const GUNZIP_CHUNK_BYTES = 64 * 1024;

/** Thrown by gunzipBounded when the output passes its bound. */
class GunzipTooLarge extends Error {}

/**
 * Decompresses a gzip stream (fflate, browser-clean), throwing GunzipTooLarge as soon as the output
 * passes `maxOutput`. With `enough`, returns once that many bytes are out, or with what a cut-short
 * stream decodes to (no end-of-stream check), as a peek at the header.
 */
function gunzipBounded(bytes: Uint8Array, maxOutput: number, enough?: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const inflater = new Gunzip((chunk) => {
    total += chunk.length;
    if (total > maxOutput) throw new GunzipTooLarge();
    chunks.push(chunk);
  });
  for (let at = 0; at < bytes.length; at += GUNZIP_CHUNK_BYTES) {
    const end = Math.min(at + GUNZIP_CHUNK_BYTES, bytes.length);
    inflater.push(bytes.subarray(at, end), enough === undefined && end === bytes.length);
    if (enough !== undefined && total >= enough) break;
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let pos = 0;
  for (const c of chunks) {
    out.set(c, pos);
    pos += c.length;
  }
  return out;
}

/**
 * Decompresses just enough of a gzip stream to read the IDX header (at most 20 bytes), the output
 * bounded by IDX_MAX_BYTES. Returns at least 20 bytes, or everything a cut-short stream decodes to.
 */
function peekGunzip(bytes: Uint8Array, source: Source): Uint8Array {
  try {
    return gunzipBounded(bytes, IDX_MAX_BYTES, MAGIC_BYTES + DIM_BYTES * IDX_MAX_RANK);
  } catch (e) {
    throw gzipError(e, source);
  }
}

function gzipError(e: unknown, source: Source): DataError {
  if (e instanceof GunzipTooLarge) {
    return new DataError(
      `${describe(source)}: decompresses to more than ${IDX_MAX_BYTES} bytes before its IDX header is complete. ` +
        'Expected an IDX header within the first bytes; the file is corrupt or a gzip bomb.',
    );
  }
  // fflate says 'unexpected EOF' for a stream cut short.
  const reason = (e instanceof Error ? e.message : String(e)).replace(/^unexpected EOF$/, 'unexpected end of file');
  return new DataError(
    `${describe(source)}: starts with the gzip magic 1f 8b but cannot be decompressed (${reason}). ` +
      'Expected a complete gzip stream; the download was probably cut short or corrupted, fetch the file again.',
  );
}

/**
 * Validates the magic, type code and rank and reads the dimensions. `bytes` may be only the start of
 * the content (see {@link peekGunzip}); the payload size is checked separately.
 */
function parseHeader(bytes: Uint8Array, source: Source): IdxHeader {
  const what = describe(source);
  if (bytes.length === 0) {
    throw new DataError(
      `${what}: is empty (0 bytes). ${HEX_MAGIC_HELP} Check that the download or copy finished.`,
    );
  }
  if (bytes.length < MAGIC_BYTES) {
    throw new DataError(
      `${what}: header is truncated: ${countOf(bytes.length, source)} but the IDX magic alone needs ${MAGIC_BYTES}. ` +
        `${HEX_MAGIC_HELP} The file was cut short; fetch it again.`,
    );
  }
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new DataError(
      `${what}: wrong magic: it starts with ${hexBytes(bytes, 4)}${guessFormat(bytes)}. ${HEX_MAGIC_HELP} ` +
        'Is this an IDX file? Pass the images-idx3 or labels-idx1 file, raw or gzip-compressed.',
    );
  }
  const type = IDX_TYPES.find((t) => t.code === bytes[2]);
  if (type === undefined) {
    const valid = IDX_TYPES.map((t) => `0x${hex(t.code)} (${t.dtype})`).join(', ');
    throw new DataError(
      `${what}: unknown type code 0x${hex(bytes[2])} in byte 2 (header ${hexBytes(bytes, 4)}). ` +
        `Expected one of ${valid}. The file is corrupt or not an IDX file; fetch it again.`,
    );
  }
  const rank = bytes[3];
  if (rank < 1 || rank > IDX_MAX_RANK) {
    throw new DataError(
      `${what}: unsupported rank ${rank} in byte 3 (header ${hexBytes(bytes, 4)}). ` +
        `Expected a rank from 1 to ${IDX_MAX_RANK} (labels are rank 1, MNIST images rank 3). ` +
        'The file is corrupt or not an IDX file; fetch it again.',
    );
  }
  const headerBytes = MAGIC_BYTES + DIM_BYTES * rank;
  if (bytes.length < headerBytes) {
    throw new DataError(
      `${what}: header is truncated: a rank-${rank} header needs ${headerBytes} bytes ` +
        `(4 magic bytes + 4 per dimension) but ${countOf(bytes.length, source)}. The file was cut short; fetch it again.`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  let elements = 1n;
  for (let i = 0; i < rank; i++) {
    const dim = view.getUint32(MAGIC_BYTES + DIM_BYTES * i, false);
    shape.push(dim);
    elements *= BigInt(dim);
  }
  const totalBytes = BigInt(headerBytes) + elements * BigInt(type.width);
  return { dtype: type.dtype, width: type.width, shape, headerBytes, totalBytes };
}

/** Requires the byte count to equal the header-implied size exactly (no truncation, no trailing bytes). */
function checkTotalSize(header: IdxHeader, actual: number, source: Source): void {
  const expected = header.totalBytes;
  if (BigInt(actual) === expected) return;
  const declared =
    `its header declares ${formatShape(header.shape)} ${header.dtype}, so ${expected} bytes are expected ` +
    `(${header.headerBytes}-byte header + ${expected - BigInt(header.headerBytes)} data bytes)`;
  if (BigInt(actual) < expected) {
    throw new DataError(
      `${describe(source)}: payload is truncated: ${declared}, but ${countOf(actual, source)}. ` +
        'The file was cut short or its header is corrupt; fetch it again.',
    );
  }
  throw new DataError(
    `${describe(source)}: has ${BigInt(actual) - expected} trailing byte(s): ${declared}, but ${countOf(actual, source)}. ` +
      'Expected exactly one IDX array per file; the file is corrupt or two files were concatenated.',
  );
}

/** Copies the data out of `bytes` into a typed array of the header's dtype, converting big-endian to host order. */
function decodePayload(bytes: Uint8Array, header: IdxHeader): IdxTypedArray {
  const count = Number(header.totalBytes) - header.headerBytes;
  const copy = new Uint8Array(count);
  copy.set(bytes.subarray(header.headerBytes, header.headerBytes + count));
  if (header.width > 1 && LITTLE_ENDIAN_HOST) reverseEachElement(copy, header.width);
  return VIEW_OF[header.dtype](copy.buffer, count / header.width);
}

/** Reverses the bytes of every `width`-byte element in place (big-endian <-> little-endian). */
function reverseEachElement(bytes: Uint8Array, width: number): void {
  for (let start = 0; start < bytes.length; start += width) {
    for (let lo = start, hi = start + width - 1; lo < hi; lo++, hi--) {
      const t = bytes[lo];
      bytes[lo] = bytes[hi];
      bytes[hi] = t;
    }
  }
}

function describe(source: Source): string {
  return `IDX file '${source.name}'${source.gzipped ? ' (gzip)' : ''}`;
}

function countOf(n: number, source: Source): string {
  return source.gzipped ? `the decompressed content has ${n} bytes` : `the file has ${n} bytes`;
}

function hex(b: number): string {
  return b.toString(16).padStart(2, '0');
}

function hexBytes(bytes: Uint8Array, n: number): string {
  return Array.from(bytes.subarray(0, n), hex).join(' ');
}

/** A hint about what a non-IDX file looks like, for the wrong-magic message. */
function guessFormat(bytes: Uint8Array): string {
  const ascii = (s: string) => s.split('').every((c, i) => bytes[i] === c.charCodeAt(0));
  if (ascii('PK')) return ' (a zip archive: extract it first)';
  if (ascii('\x93NUMPY')) return ' (a NumPy .npy file, not IDX)';
  const head = bytes.subarray(0, 64);
  if (head.every((b) => b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b < 0x7f))) {
    return ' (it looks like text, e.g. CSV or an HTML error page)';
  }
  return '';
}
