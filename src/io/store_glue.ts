/**
 * What every model store shares (browser-clean): the format a name implies, the artifacts a store
 * saves (with the training state and `model.metadata`), putting those extras back on a loaded model,
 * and the size limits of a read. The Node file store (file_store.node.ts) and the browser store
 * (browser_store.ts) differ only in where the bytes come from and go to.
 */
import { ValueError } from '../core/errors.js';
import { type ModelFormat, type SaveOptions, MODEL_FORMATS } from '../models/model_store.js';
import type { LayersModel } from '../models/layers_model.js';
import type { TrainingState } from '../models/training_state.js';
import type { Json, ModelArtifacts } from './artifacts.js';
import { USER_METADATA } from './deepwell_extras.js';
import { modelToArtifacts } from './model_artifacts.js';

/** Largest model.json read: 64 MiB (topologies are kilobytes; this only stops runaway files). */
export const MAX_MODEL_JSON_BYTES = 64 * 1024 * 1024;
/** Largest single weight file read: 2 GiB (above what a CPU library trains). */
export const MAX_WEIGHT_FILE_BYTES = 2 * 1024 * 1024 * 1024;

/**
 * The format a file name implies: explicit `format` first, else `.keras` -> keras, `.h5`/`.hdf5` ->
 * h5, a name ending in `.json` (`model.json`, TF.js's `my-model.json`) -> tfjs, `.safetensors` ->
 * deepwell; null when the name does not tell.
 * @throws ValueError for a `format` that is not one of MODEL_FORMATS.
 */
export function formatOfName(name: string, format?: ModelFormat): ModelFormat | null {
  if (format !== undefined) {
    if (!(MODEL_FORMATS as readonly string[]).includes(format)) {
      throw new ValueError(`Unknown model format '${String(format)}'; expected one of ${MODEL_FORMATS.join(', ')}.`);
    }
    return format;
  }
  const lower = name.toLowerCase();
  if (lower.endsWith('.keras')) return 'keras';
  if (lower.endsWith('.h5') || lower.endsWith('.hdf5')) return 'h5';
  if (lower.endsWith('.json')) return 'tfjs';
  if (lower.endsWith('.safetensors')) return 'deepwell';
  return null;
}

/** The artifacts of a model as a store saves them: with its training state and `model.metadata`. */
export function artifactsToSave(model: LayersModel, options: SaveOptions): ModelArtifacts {
  const weightsOnly = options.weightsOnly ?? false;
  const includeOptimizer = !weightsOnly && (options.includeOptimizer ?? true);
  const artifacts = modelToArtifacts(model, { includeOptimizer });
  if (weightsOnly) artifacts.compileConfig = null;
  artifacts.trainingState = includeOptimizer && model.trainingState !== null ? (model.trainingState as unknown as { [key: string]: Json }) : null;
  artifacts.metadata = { ...(artifacts.metadata ?? {}), [USER_METADATA]: model.metadata as unknown as Json };
  return artifacts;
}

/** Puts the artifacts' training state and `model.metadata` back on a loaded model. */
export function restoreExtras(model: LayersModel, artifacts: ModelArtifacts): void {
  const user = artifacts.metadata?.[USER_METADATA];
  if (user !== null && typeof user === 'object' && !Array.isArray(user)) model.metadata = { ...user };
  if (artifacts.trainingState !== null && artifacts.trainingState !== undefined) model.setTrainingState(artifacts.trainingState as unknown as TrainingState);
}

/**
 * Runs `f`; a ValueError it throws (an unknown class, a Lambda, a weight that does not fit) gets the
 * source's name in front of its message. The error itself is rethrown, so its class (e.g.
 * CompileConfigError) and fields stay for callers that branch on them.
 */
export function namingSource<T>(source: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof ValueError && !e.message.includes(source)) e.message = `${source}: ${e.message}`;
    throw e;
  }
}
