/**
 * What deepwell keeps beside a model in formats that have no place for it (Keras `.keras` and `.h5`):
 * `model.metadata` (for example the CLI's training settings) and the training position, as one JSON
 * object under the key `deepwell` (a key of metadata.json in a `.keras` zip, a root attribute of an
 * `.h5` file). Keras ignores keys it does not know in both places, so the files stay Keras's.
 */
import type { Json, ModelArtifacts } from './artifacts.js';

/** The key under which a model's `metadata` travels in `ModelArtifacts.metadata` (see io/file_store.node.ts). */
export const USER_METADATA = 'user_metadata';
/** The metadata.json key / HDF5 root attribute that holds deepwell's extras. */
export const DEEPWELL_EXTRAS_KEY = 'deepwell';

const isObject = (v: unknown): v is { [key: string]: Json } => v !== null && typeof v === 'object' && !Array.isArray(v);

/** `{ user_metadata, training_state }` of the artifacts, or null when they hold neither. */
export function deepwellExtras(artifacts: ModelArtifacts): { [key: string]: Json } | null {
  const user = artifacts.metadata?.[USER_METADATA];
  const training = artifacts.trainingState ?? null;
  if ((user === undefined || user === null) && training === null) return null;
  return { [USER_METADATA]: user ?? null, training_state: training };
}

/** Puts extras read from a file back into artifacts (unknown or malformed values are ignored: the file stays loadable as Keras's). */
export function applyDeepwellExtras(artifacts: ModelArtifacts, extras: unknown): void {
  if (!isObject(extras)) return;
  const user = extras[USER_METADATA];
  if (isObject(user)) artifacts.metadata = { ...(artifacts.metadata ?? {}), [USER_METADATA]: user };
  if (isObject(extras.training_state)) artifacts.trainingState = extras.training_state;
}
