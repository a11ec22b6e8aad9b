/**
 * TrainingState: where `fit` stands after a completed epoch, as JSON data, so that training resumed
 * from a checkpoint (`fit({ initialEpoch })`, `BackupAndRestore`, `deepwell train --resume`)
 * continues exactly as the uninterrupted run would have: the same shuffles, the same dropout masks,
 * and so the same weights and history, bit for bit. The weights and the optimizer state (moments,
 * iterations, hence the schedule position) are saved beside it.
 *
 * Keras 3 resumes from `initial_epoch` with the weights and optimizer variables only (its shuffles
 * and dropout draws differ after a resume); deepwell also keeps the random streams.
 */
import { ValueError } from '../core/errors.js';
import { Rng, type RngState } from '../core/random.js';
import type { Layer } from '../layers/layer.js';

export interface TrainingState {
  /** Epochs completed (the `initialEpoch` of the resumed `fit`). */
  epoch: number;
  /** The shuffler's state at the start of epoch 0; a resumed fit replays the `epoch` shuffles from it. */
  shuffler: RngState;
  /** Each random layer's stream (dropout), by layer name. */
  layerRngs: Record<string, RngState>;
}

/** The state after `epoch` completed epochs. */
export function captureTrainingState(layers: readonly Layer[], epoch: number, shufflerStart: RngState): TrainingState {
  const layerRngs: Record<string, RngState> = {};
  for (const l of layers) {
    const s = l.getRngState();
    if (s !== null) layerRngs[l.name] = s;
  }
  return { epoch, shuffler: shufflerStart, layerRngs };
}

/**
 * Checks a training state (for example parsed from a file) against the model's layers and restores
 * each layer's random stream.
 * @throws ValueError for a negative or non-integer epoch, a stream of a layer the model does not
 *   have, or a random layer without a saved stream, naming the layer.
 */
export function restoreTrainingState(layers: readonly Layer[], state: TrainingState): TrainingState {
  if (state === null || typeof state !== 'object' || typeof state.epoch !== 'number' || !Number.isInteger(state.epoch) || state.epoch < 0) {
    throw new ValueError(`training state: 'epoch' must be a non-negative integer, received ${JSON.stringify((state as { epoch?: unknown } | null)?.epoch)}. Pass the state saved with the model.`);
  }
  Rng.fromState(state.shuffler);
  const saved = state.layerRngs ?? {};
  const byName = new Map(layers.map((l) => [l.name, l] as const));
  for (const name of Object.keys(saved)) {
    if (!byName.has(name)) {
      throw new ValueError(`training state: a random stream is saved for layer "${name}", which the model does not have (layers: ${layers.map((l) => l.name).join(', ')}).`);
    }
  }
  for (const l of layers) {
    if (l.getRngState() === null) continue;
    const s = saved[l.name];
    if (s === undefined) throw new ValueError(`training state: no random stream saved for layer "${l.name}" (${l.className}); the state was saved from a different model.`);
    l.setRngState(s);
  }
  return { epoch: state.epoch, shuffler: state.shuffler, layerRngs: saved };
}
