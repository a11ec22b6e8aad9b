/**
 * deepwell's own model format: ONE safetensors file holding the whole `ModelArtifacts`, so a save is
 * one atomic rename.
 *
 * `__metadata__` (all strings, JSON where structured):
 * - `format: "deepwell"`, `format_version: "1"`, `deepwell_version` (the writer's version);
 * - `config`: the Keras 3 model config; `compile_config`, `training_state`: JSON or `"null"`;
 * - `weights`: `[{ name, layer, index, trainable }]` in model order (the safetensors header is an
 *   unordered map, so order and positional data live here);
 * - `optimizer`: `null` or `{ iterations, slots: [{ name, layer, index, trainable }] }`;
 * - `metadata`: the artifacts' own metadata map (JSON), if any.
 * Tensors: each weight under its name (`dense_1/kernel`), each optimizer slot under
 * `optimizer/<slot name>` (`optimizer/dense_1/kernel/m`). Every tensor must be listed, and every
 * listed tensor present.
 *
 * Pure and browser-clean. Reference: safetensors (see `safetensors.ts`); Keras 3 `saving_lib.py` for
 * what a model file holds.
 */
import type { DType } from '../core/dtype.js';
import { DataError } from '../core/errors.js';
import type { Json, KerasObject, ModelArtifacts, NamedWeight } from './artifacts.js';
import { DEEPWELL_VERSION } from './deepwell_version.js';
import { type SafetensorsTensor, decodeSafetensors, encodeSafetensors } from './safetensors.js';

/** The value of `format` in the metadata of a deepwell file. */
export const DEEPWELL_FORMAT = 'deepwell';
/** The format version this code writes and reads. */
export const DEEPWELL_FORMAT_VERSION = '1';
/** Prefix of optimizer slot tensors. */
const OPTIMIZER_PREFIX = 'optimizer/';

interface WeightIndexEntry {
  name: string;
  layer: string;
  index: number;
  trainable: boolean;
}

/** Options of `encodeDeepwellModel`. */
export interface EncodeDeepwellOptions {
  /** Version string stored as `deepwell_version` (default: this package's version). */
  deepwellVersion?: string;
}

const indexEntry = (w: NamedWeight): WeightIndexEntry => ({ name: w.name, layer: w.layer, index: w.index, trainable: w.trainable });
const toTensor = (name: string, w: NamedWeight): SafetensorsTensor => ({ name, shape: w.shape, dtype: w.dtype, data: w.data });

/**
 * Encodes model artifacts as one deepwell safetensors file.
 * Throws `ValueError` for duplicate tensor names and `ShapeError` for data that do not fit a shape
 * (from `encodeSafetensors`).
 */
export function encodeDeepwellModel(artifacts: ModelArtifacts, options: EncodeDeepwellOptions = {}): Uint8Array {
  const optimizer = artifacts.optimizerState ?? null;
  const metadata: Record<string, string> = {
    format: DEEPWELL_FORMAT,
    format_version: DEEPWELL_FORMAT_VERSION,
    deepwell_version: options.deepwellVersion ?? DEEPWELL_VERSION,
    config: JSON.stringify(artifacts.modelConfig),
    compile_config: JSON.stringify(artifacts.compileConfig ?? null),
    training_state: JSON.stringify(artifacts.trainingState ?? null),
    weights: JSON.stringify(artifacts.weights.map(indexEntry)),
    optimizer: JSON.stringify(optimizer === null ? null : { iterations: optimizer.iterations, slots: optimizer.slots.map(indexEntry) }),
  };
  if (artifacts.metadata !== undefined) metadata.metadata = JSON.stringify(artifacts.metadata);
  const tensors = artifacts.weights.map((w) => toTensor(w.name, w));
  if (optimizer !== null) for (const s of optimizer.slots) tensors.push(toTensor(OPTIMIZER_PREFIX + s.name, s));
  return encodeSafetensors(tensors, metadata);
}

/**
 * Decodes a deepwell file into model artifacts (weight data are copies that own their memory).
 * Throws `DataError` naming `fileName` for every safetensors fault, a file that is not deepwell's
 * format or of a newer format version, unparsable or ill-typed metadata, a listed weight that is
 * missing, and a tensor that no list mentions.
 */
export function decodeDeepwellModel(bytes: Uint8Array, fileName: string): ModelArtifacts {
  const fail = (fault: string): never => {
    throw new DataError(`deepwell file "${fileName}": ${fault}`);
  };
  const file = decodeSafetensors(bytes, fileName);
  const meta = file.metadata;
  if (meta.format !== DEEPWELL_FORMAT) {
    fail(`metadata "format" is ${JSON.stringify(meta.format ?? null)}, expected "${DEEPWELL_FORMAT}". This is a plain safetensors file, not a deepwell model; load weights from it with decodeSafetensors.`);
  }
  if (meta.format_version !== DEEPWELL_FORMAT_VERSION) {
    fail(`format_version ${JSON.stringify(meta.format_version ?? null)} is not supported (this deepwell ${DEEPWELL_VERSION} reads version ${DEEPWELL_FORMAT_VERSION}); upgrade deepwell.`);
  }
  const parse = (key: string): unknown => {
    const text = meta[key];
    if (text === undefined) return fail(`metadata "${key}" is missing.`);
    try {
      return JSON.parse(text) as unknown;
    } catch (e) {
      return fail(`metadata "${key}" is not valid JSON (${(e as Error).message}).`);
    }
  };
  const isObject = (v: unknown): v is { [key: string]: Json } => v !== null && typeof v === 'object' && !Array.isArray(v);
  const modelConfig = parse('config');
  if (!isObject(modelConfig) || typeof modelConfig.class_name !== 'string') fail('metadata "config" must be a Keras object with a "class_name".');
  const compileConfig = parse('compile_config');
  if (compileConfig !== null && !isObject(compileConfig)) fail('metadata "compile_config" must be an object or null.');
  const trainingState = parse('training_state');
  if (trainingState !== null && !isObject(trainingState)) fail('metadata "training_state" must be an object or null.');
  const byName = new Map(file.tensors.map((t) => [t.name, t]));
  const used = new Set<string>();
  const readList = (list: unknown, what: string, prefix: string): NamedWeight[] => {
    if (!Array.isArray(list)) return fail(`${what} must be a list of { name, layer, index, trainable }.`);
    return list.map((e: unknown, i: number) => {
      if (!isObject(e) || typeof e.name !== 'string' || typeof e.layer !== 'string' || typeof e.trainable !== 'boolean' || !Number.isSafeInteger(e.index) || (e.index as number) < 0) {
        return fail(`${what}[${i}] must be { name: string, layer: string, index: integer >= 0, trainable: boolean }, got ${JSON.stringify(e)}.`);
      }
      const tensor = byName.get(prefix + e.name);
      if (tensor === undefined) return fail(`${what}[${i}] "${e.name}" has no tensor "${prefix + e.name}" in the file.`);
      if (used.has(tensor.name)) return fail(`tensor "${tensor.name}" is listed twice.`);
      used.add(tensor.name);
      return { name: e.name, layer: e.layer, index: e.index as number, trainable: e.trainable, shape: [...tensor.shape], dtype: tensor.dtype as DType, data: tensor.data.slice() };
    });
  };
  const weights = readList(parse('weights'), 'metadata "weights"', '');
  const optimizerMeta = parse('optimizer');
  let optimizerState: ModelArtifacts['optimizerState'] = null;
  if (optimizerMeta !== null) {
    if (!isObject(optimizerMeta) || !Number.isSafeInteger(optimizerMeta.iterations) || (optimizerMeta.iterations as number) < 0) {
      fail('metadata "optimizer" must be null or { iterations: integer >= 0, slots: [...] }.');
    }
    const o = optimizerMeta as { iterations: number; slots: unknown };
    optimizerState = { iterations: o.iterations, slots: readList(o.slots, 'metadata "optimizer" slots', OPTIMIZER_PREFIX) };
  }
  for (const t of file.tensors) if (!used.has(t.name)) fail(`tensor "${t.name}" is not listed in the metadata "weights" or "optimizer" slots.`);
  const artifacts: ModelArtifacts = {
    modelConfig: modelConfig as KerasObject,
    compileConfig: compileConfig as ModelArtifacts['compileConfig'],
    weights,
    optimizerState,
    trainingState: trainingState as ModelArtifacts['trainingState'],
  };
  const extra = meta.metadata === undefined ? {} : parse('metadata');
  if (!isObject(extra)) fail('metadata "metadata" must be an object.');
  artifacts.metadata = { ...(extra as { [key: string]: Json }), format: DEEPWELL_FORMAT, format_version: DEEPWELL_FORMAT_VERSION, deepwell_version: meta.deepwell_version ?? null };
  return artifacts;
}
