// safetensors codec: hand-derived bytes, bit-exact round trips, and every bad-file case of issue 8
// item 7 built by corrupting a file encoded from the real weights of the Keras 3.3.3 MNIST model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataError, ShapeError, ValueError } from '../../src/core/errors.js';
import { type SafetensorsTensor, decodeSafetensors, encodeSafetensors } from '../../src/io/safetensors.js';
import { MODELS, SKIP_MODELS } from './real_models.js';
import { tensorEntry, withSafetensorsHeader } from './corrupt.js';

const FILE = 'mnist.safetensors';

/** Bits of a float array, so that NaN payloads, -0 and subnormals compare exactly. */
const bits = (a: Float32Array | Float64Array): number[] => Array.from(new Uint8Array(a.slice().buffer));

test('encode: hand-derived bytes of one float32 scalar-vector tensor', () => {
  const out = encodeSafetensors([{ name: 'a', shape: [1], dtype: 'float32', data: new Float32Array([1]) }]);
  const json = '{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}'; // 54 characters
  assert.equal(json.length, 54);
  const padded = 56; // next multiple of 8, padded with two spaces as the reference writer does
  assert.deepEqual([...out.subarray(0, 8)], [padded, 0, 0, 0, 0, 0, 0, 0]);
  assert.equal(new TextDecoder().decode(out.subarray(8, 8 + padded)), `${json}  `);
  // 1.0f = 0x3f800000, little-endian
  assert.deepEqual([...out.subarray(8 + padded)], [0x00, 0x00, 0x80, 0x3f]);
  assert.equal(out.length, 8 + 56 + 4);
});

test('round trip: float32 and float64 bit-identical (NaN, -0, subnormal, inf), empty tensors, scalars, odd names, metadata', () => {
  const f32 = new Float32Array([1.5, -0, NaN, Infinity, -Infinity, 1e-45, 3.4028234663852886e38, 0.1]);
  const f64 = new Float64Array([Math.PI, -0, NaN, 5e-324, Number.MAX_VALUE, -1e-300]);
  const tensors: SafetensorsTensor[] = [
    { name: 'dense_1/kernel', shape: [2, 4], dtype: 'float32', data: f32 },
    { name: 'x64', shape: [3, 2], dtype: 'float64', data: f64 },
    { name: 'empty', shape: [0], dtype: 'float32', data: new Float32Array(0) },
    { name: 'empty2d', shape: [3, 0], dtype: 'float64', data: new Float64Array(0) },
    { name: 'scalar', shape: [], dtype: 'float32', data: new Float32Array([42]) },
    { name: 'ünï cödé "quoted" / \\ spaces', shape: [1], dtype: 'float32', data: new Float32Array([7]) },
    { name: '__metadata__x', shape: [1], dtype: 'float64', data: new Float64Array([-1]) },
  ];
  const bytes = encodeSafetensors(tensors, { note: 'hello', json: '{"a":[1,2]}' });
  const file = decodeSafetensors(bytes, FILE);
  assert.deepEqual(file.metadata, { note: 'hello', json: '{"a":[1,2]}' });
  assert.equal(file.tensors.length, tensors.length);
  for (const t of tensors) {
    const d = file.tensors.find((x) => x.name === t.name);
    assert.ok(d, t.name);
    assert.deepEqual(d.shape, t.shape);
    assert.equal(d.dtype, t.dtype);
    assert.equal(d.data.constructor, t.data.constructor);
    assert.deepEqual(bits(d.data), bits(t.data), t.name);
  }
  // Encoding what was decoded gives the same bytes.
  const again = encodeSafetensors(tensors.map((t) => file.tensors.find((x) => x.name === t.name)!), file.metadata);
  assert.deepEqual(again, bytes);
});

test('decode: aligned data are views into the input; misaligned data are copied', () => {
  const bytes = encodeSafetensors([{ name: 'w', shape: [2], dtype: 'float64', data: new Float64Array([1, 2]) }]);
  const aligned = decodeSafetensors(bytes, FILE).tensors[0].data;
  assert.equal(aligned.buffer, bytes.buffer);
  const shifted = new Uint8Array(bytes.length + 1);
  shifted.set(bytes, 1);
  const misaligned = decodeSafetensors(shifted.subarray(1), FILE).tensors[0].data;
  assert.notEqual(misaligned.buffer, shifted.buffer);
  assert.deepEqual([...misaligned], [1, 2]);
});

test('decode: F16 and BF16 are widened to float32 (hand-derived bit patterns)', () => {
  // F16: 0x3c00 = 1, 0xc000 = -2, 0x7bff = 65504 (largest half), 0x0001 = 2^-24 (smallest subnormal).
  // BF16: 0x3f80 = 1 (top half of 0x3f800000), 0x4049 = 0x40490000 = 3.140625.
  const header = JSON.stringify({ h: { dtype: 'F16', shape: [4], data_offsets: [0, 8] }, b: { dtype: 'BF16', shape: [2], data_offsets: [8, 12] } });
  const json = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + json.length + 12);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 8);
  const dv = new DataView(out.buffer, 8 + json.length);
  [0x3c00, 0xc000, 0x7bff, 0x0001, 0x3f80, 0x4049].forEach((h, i) => dv.setUint16(i * 2, h, true));
  const file = decodeSafetensors(out, FILE);
  assert.deepEqual([...file.tensors[0].data], [1, -2, 65504, 2 ** -24]);
  assert.deepEqual([...file.tensors[1].data], [1, 3.140625]);
  assert.equal(file.tensors[0].dtype, 'float32');
});

test('encode: rejects duplicate and reserved names, data that do not fit the shape, non-string metadata', () => {
  const t = (name: string, shape: number[], n: number): SafetensorsTensor => ({ name, shape, dtype: 'float32', data: new Float32Array(n) });
  assert.throws(() => encodeSafetensors([t('a', [1], 1), t('a', [1], 1)]), ValueError);
  assert.throws(() => encodeSafetensors([t('__metadata__', [1], 1)]), ValueError);
  assert.throws(() => encodeSafetensors([t('a', [2, 2], 3)]), /holds 4 elements, data has 3/);
  assert.throws(() => encodeSafetensors([t('a', [-1], 0)]), ShapeError);
  assert.throws(() => encodeSafetensors([t('a', [1], 1)], { n: 3 as unknown as string }), ValueError);
});

// ---- Bad files, each built by corrupting a file encoded from real weights. ----

/** The six weights of the Keras 3.3.3 MNIST MLP, read straight from its derived TF.js shard. */
function realTensors(): SafetensorsTensor[] {
  const dir = join(MODELS, 'keras3.3.3-mnist-mlp-dotkeras', 'derived-tfjs-layout');
  const manifest = (JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as { weightsManifest: { weights: { name: string; shape: number[] }[] }[] }).weightsManifest[0];
  const shard = readFileSync(join(dir, 'group1-shard1of1.bin'));
  let offset = 0;
  return manifest.weights.map((w) => {
    const n = w.shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(shard.buffer.slice(shard.byteOffset + offset, shard.byteOffset + offset + n * 4));
    offset += n * 4;
    return { name: w.name, shape: w.shape, dtype: 'float32' as const, data };
  });
}

function expectFault(bytes: Uint8Array, fault: RegExp): void {
  assert.throws(
    () => decodeSafetensors(bytes, FILE),
    (e: unknown) => {
      assert.ok(e instanceof DataError, `expected DataError, got ${String(e)}`);
      assert.match(e.message, new RegExp(`safetensors file "${FILE}"`));
      assert.match(e.message, fault);
      return true;
    },
  );
}

test('bad safetensors files built from the real MNIST weights: each is a DataError naming file and fault', { skip: SKIP_MODELS }, () => {
  const real = encodeSafetensors(realTensors(), { source: 'keras3.3.3-mnist-mlp-dotkeras' });
  assert.equal(decodeSafetensors(real, FILE).tensors.length, 6); // the uncorrupted file decodes
  const entry = tensorEntry;
  const setLength = (lo: number, hi: number): Uint8Array => {
    const b = real.slice();
    const v = new DataView(b.buffer);
    v.setUint32(0, lo, true);
    v.setUint32(4, hi, true);
    return b;
  };

  expectFault(real.subarray(0, 5), /truncated: 5 bytes/);
  expectFault(setLength(real.length, 0), /header length \d+ bytes goes beyond the end of the file/);
  expectFault(setLength(0, 1), /header length 4294967296 bytes exceeds the limit of 100000000/);
  // 2^64 - 1 is beyond float64's exact integers (2^53): the message must still name it exactly.
  expectFault(setLength(0xffffffff, 0xffffffff), /header length 18446744073709551615 bytes exceeds the limit/);
  expectFault(withSafetensorsHeader(real, () => undefined, (s) => s.slice(0, -1) + ' '), /header is not valid JSON/);
  {
    const b = real.slice();
    b[9] = 0xff; // inside the header text
    expectFault(b, /not valid UTF-8/);
  }
  expectFault(withSafetensorsHeader(real, () => undefined, () => '[1,2]'), /header must be a JSON object/);
  expectFault(withSafetensorsHeader(real, (h) => { entry(h, 'dense/bias').dtype = 'F33'; }), /tensor "dense\/bias": unknown dtype "F33"/);
  expectFault(withSafetensorsHeader(real, (h) => { entry(h, 'dense/bias').dtype = 'I64'; }), /dtype I64 is not supported/);
  expectFault(withSafetensorsHeader(real, (h) => { entry(h, 'dense/bias').shape = [-32]; }), /invalid dimension -32/);
  expectFault(withSafetensorsHeader(real, (h) => { entry(h, 'dense/bias').shape = [16.5, 2]; }), /invalid dimension 16.5/);
  expectFault(withSafetensorsHeader(real, (h) => { entry(h, 'dense/bias').shape = ['INF']; }, (s) => s.replace('"INF"', '1e999')), /invalid dimension Infinity/);
  expectFault(withSafetensorsHeader(real, (h) => { entry(h, 'dense/kernel').shape = [784, 33]; }), /shape \[784,33\] of F32 needs 103488 bytes, data_offsets \[\d+, \d+\] span 100352/);
  // A shape claiming 4 TB: rejected by its offsets, never allocated (an allocation would be a RangeError).
  expectFault(withSafetensorsHeader(real, (h) => { const e = entry(h, 'dense_2/bias'); e.shape = [1e6, 1e6]; e.data_offsets = [e.data_offsets[0], e.data_offsets[0] + 4e12]; }), /go beyond the data buffer/);
  expectFault(withSafetensorsHeader(real, (h) => { const e = entry(h, 'dense_1/kernel'); e.data_offsets = e.data_offsets.map((o) => o - 4); }), /overlap/);
  expectFault(withSafetensorsHeader(real, (h) => { delete h['dense_1/bias']; }), /gap in the data buffer: bytes \d+\.\.\d+ belong to no tensor/);
  expectFault(withSafetensorsHeader(real, (h) => { delete h['dense_2/bias']; }), /40 trailing bytes after the last tensor/);
  {
    const longer = new Uint8Array(real.length + 16);
    longer.set(real);
    expectFault(longer, /16 trailing bytes/);
  }
  expectFault(real.subarray(0, real.length - 100), /go beyond the data buffer of \d+ bytes: the file is truncated/);
  expectFault(withSafetensorsHeader(real, (h) => { entry(h, 'dense/bias').data_offsets = [5]; }), /data_offsets must be two integers/);
  expectFault(withSafetensorsHeader(real, (h) => { (h.__metadata__ as Record<string, unknown>).n = 3; }), /"__metadata__" value of "n" must be a string/);
});
