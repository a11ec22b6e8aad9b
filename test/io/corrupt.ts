// Shared by the bad-file tests (codec level: safetensors/keras_files tests; through loadModel:
// bad_files.test.ts): byte-level edits of real zip and safetensors files, and temp copies of real models.
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { MODELS } from './real_models.js';

/** Offset of the central-directory record of `name` in a zip (signature PK\1\2, name at +46). */
export function centralRecord(zip: Uint8Array, name: string): number {
  const dv = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  for (let i = zip.length - 46; i >= 0; i--) {
    if (dv.getUint32(i, true) === 0x02014b50 && new TextDecoder().decode(zip.subarray(i + 46, i + 46 + name.length)) === name) return i;
  }
  throw new Error(`no central record for ${name}`);
}

/** Sets, in place, the uncompressed size the central directory states for entry `name` (offset +24). */
export function setStatedSize(zip: Uint8Array, name: string, size: number): Uint8Array {
  new DataView(zip.buffer, zip.byteOffset, zip.byteLength).setUint32(centralRecord(zip, name) + 24, size, true);
  return zip;
}

export type SafetensorsHeader = Record<string, { dtype: string; shape: unknown[]; data_offsets: number[] } | Record<string, string>>;

/** Splits a safetensors file into its header object and data buffer. */
export function splitSafetensors(bytes: Uint8Array): { header: SafetensorsHeader; data: Uint8Array } {
  const n = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
  return { header: JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as SafetensorsHeader, data: bytes.subarray(8 + n) };
}

/** Rebuilds a safetensors file from header text and a data buffer (header length set honestly). */
export function joinSafetensors(headerText: string, data: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(headerText);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

/** Applies `edit` to the header of a safetensors file and rebuilds it (`text` post-processes the JSON text). */
export function withSafetensorsHeader(real: Uint8Array, edit: (h: SafetensorsHeader) => void, text = (s: string) => s): Uint8Array {
  const { header, data } = splitSafetensors(real);
  edit(header);
  return joinSafetensors(text(JSON.stringify(header)), data);
}

/** The entry of tensor `name` in a safetensors header. */
export const tensorEntry = (h: SafetensorsHeader, name: string) => h[name] as { dtype: string; shape: unknown[]; data_offsets: number[] };

/** Copies a real model file or folder (path relative to ../shared/data/models) into a fresh temp folder; returns the copy's path. */
export function copyReal(rel: string, prefix = 'deepwell-bad-'): string {
  const to = join(mkdtempSync(join(tmpdir(), prefix)), basename(rel));
  cpSync(join(MODELS, rel), to, { recursive: true });
  return to;
}
