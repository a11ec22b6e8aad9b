/**
 * ModelCheckpoint: saves the model (or its weights) at the end of every epoch, or only when the
 * monitored quantity improved (Keras 3 semantics and messages).
 *
 *   path = filepath with {epoch} (1-based) and log keys filled in (see `formatCheckpointPath`)
 *   saveBestOnly: save when monitor improved on the best so far (min: current < best; max: current > best),
 *                 starting from `initialValueThreshold` when given
 *
 * Saving goes through the registered model store (atomic: a temp file then a rename), in the format
 * the path names (`.keras`, `.h5`, `model.json`, else deepwell's), with the optimizer and training
 * state unless `saveWeightsOnly`. Only `saveFreq: 'epoch'` is supported (Keras also takes a batch count).
 *
 * Reference: Keras 3 keras/src/callbacks/model_checkpoint.py.
 */
import { ValueError, keysOf } from '../core/errors.js';
import { checkBoolean, checkConfigKeys, checkFinite, checkInteger } from '../optimizers/checks.js';
import { modelStore } from '../models/model_store.js';
import type { LayersModel } from '../models/layers_model.js';
import { Callback, type Logs } from './callback.js';
import { formatCheckpointPath } from './checkpoint_path.js';
import { type MonitorMode, monitorValue, resolveMode } from './monitor.js';

export interface ModelCheckpointOptions {
  /** Path template, e.g. 'ckpt/model-{epoch:02d}-{val_loss:.2f}.keras' (required). */
  filepath: string;
  /** Logged quantity compared with saveBestOnly. Default 'val_loss'. */
  monitor?: string;
  /** 1 prints Keras's message on each decision; 0 is silent. Default 0. */
  verbose?: number;
  /** Save only when `monitor` improved. Default false. */
  saveBestOnly?: boolean;
  /** Save the weights only (no optimizer or training state). Default false. */
  saveWeightsOnly?: boolean;
  /** 'min', 'max' or 'auto' (from the monitor's name). Default 'auto'. */
  mode?: MonitorMode;
  /** When to save: 'epoch' (the only value supported). */
  saveFreq?: 'epoch';
  /** The value to beat for the first save with saveBestOnly. Default none (+-Infinity). */
  initialValueThreshold?: number;
}

const KEYS = keysOf<ModelCheckpointOptions>({
  filepath: true, monitor: true, verbose: true, saveBestOnly: true, saveWeightsOnly: true, mode: true, saveFreq: true, initialValueThreshold: true,
});

/** Keras prints monitored values with `%0.5f`. */
const fmt = (v: number): string => (Number.isFinite(v) ? v.toFixed(5) : v > 0 ? 'inf' : '-inf');

export class ModelCheckpoint extends Callback {
  static override readonly optionKeys: readonly string[] = KEYS;
  readonly filepath: string;
  readonly monitor: string;
  readonly verbose: number;
  readonly saveBestOnly: boolean;
  readonly saveWeightsOnly: boolean;
  readonly mode: MonitorMode;
  readonly direction: 'min' | 'max';
  readonly initialValueThreshold: number | undefined;
  /** Best monitored value so far. */
  best: number;
  /** Paths written, in order. */
  readonly saved: string[] = [];
  /** Where messages go (Keras prints them); default console.log. */
  print: (message: string) => void = (m) => console.log(m);

  /** @throws ValueError for a missing filepath, an unsupported saveFreq or an option out of range. */
  constructor(options: ModelCheckpointOptions) {
    super(options);
    const owner = 'ModelCheckpoint';
    if (typeof options?.filepath !== 'string' || options.filepath === '') {
      throw new ValueError(`${owner}: filepath must be a non-empty path template such as 'checkpoints/model-{epoch:02d}.keras', received ${JSON.stringify(options?.filepath)}.`);
    }
    if ((options.saveFreq ?? 'epoch') !== 'epoch') {
      throw new ValueError(`${owner}: saveFreq ${JSON.stringify(options.saveFreq)} is not supported; deepwell saves at epoch ends ('epoch').`);
    }
    this.filepath = options.filepath;
    this.monitor = options.monitor ?? 'val_loss';
    this.verbose = checkInteger(owner, 'verbose', options.verbose ?? 0, 0);
    this.saveBestOnly = checkBoolean(owner, 'saveBestOnly', options.saveBestOnly ?? false);
    this.saveWeightsOnly = checkBoolean(owner, 'saveWeightsOnly', options.saveWeightsOnly ?? false);
    this.mode = options.mode ?? 'auto';
    this.direction = resolveMode(owner, this.monitor, this.mode);
    this.initialValueThreshold = options.initialValueThreshold == null ? undefined : checkFinite(owner, 'initialValueThreshold', options.initialValueThreshold);
    this.best = this.initialValueThreshold ?? (this.direction === 'min' ? Infinity : -Infinity);
  }

  /** `new ModelCheckpoint(config)`, rejecting unknown keys. */
  static fromConfig(config: Record<string, unknown>): ModelCheckpoint {
    return new ModelCheckpoint(checkConfigKeys('ModelCheckpoint', config, KEYS) as unknown as ModelCheckpointOptions);
  }

  override async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    const model = this.requireModel() as unknown as LayersModel;
    const path = formatCheckpointPath(this.filepath, epoch, logs);
    if (this.saveBestOnly) {
      const current = monitorValue('ModelCheckpoint', this.monitor, logs);
      const improved = this.direction === 'min' ? current < this.best : current > this.best;
      if (!improved) {
        if (this.verbose > 0) this.print(`Epoch ${epoch + 1}: ${this.monitor} did not improve from ${fmt(this.best)}`);
        return;
      }
      if (this.verbose > 0) this.print(`Epoch ${epoch + 1}: ${this.monitor} improved from ${fmt(this.best)} to ${fmt(current)}, saving model to ${path}`);
      this.best = current;
    } else if (this.verbose > 0) {
      this.print(`Epoch ${epoch + 1}: saving model to ${path}`);
    }
    await modelStore().save(model, path, this.saveWeightsOnly ? { weightsOnly: true, includeOptimizer: false } : {});
    this.saved.push(path);
  }

  getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = {
      filepath: this.filepath, monitor: this.monitor, verbose: this.verbose, saveBestOnly: this.saveBestOnly,
      saveWeightsOnly: this.saveWeightsOnly, mode: this.mode, saveFreq: 'epoch',
    };
    if (this.initialValueThreshold !== undefined) config.initialValueThreshold = this.initialValueThreshold;
    return config;
  }
}
