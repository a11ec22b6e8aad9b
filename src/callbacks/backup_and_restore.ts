/**
 * BackupAndRestore: fault tolerance for long runs (Keras 3 semantics). At the end of every epoch the
 * model, its optimizer state and the training position are written to `<backupDir>/latest.safetensors`
 * (atomically: a process killed mid-save leaves the previous backup intact). When `fit` starts and a
 * backup exists (the previous run was killed or crashed), it is restored and training continues from
 * the epoch after the last completed one; deepwell's backup also holds the shuffler and dropout
 * streams, so the resumed run gives the same weights and history as an uninterrupted one, bit for
 * bit (Keras restores weights and optimizer only). When training ends normally the backup is
 * deleted (`deleteCheckpoint`).
 *
 * Call `fit` with the same data, options and `epochs` as the interrupted run.
 *
 * Reference: Keras 3 keras/src/callbacks/backup_and_restore.py.
 */
import { ValueError, keysOf } from '../core/errors.js';
import { checkBoolean, checkConfigKeys } from '../optimizers/checks.js';
import { modelStore } from '../models/model_store.js';
import type { LayersModel } from '../models/layers_model.js';
import { Callback } from './callback.js';

export interface BackupAndRestoreOptions {
  /** Folder for the backup (required); created when missing. */
  backupDir: string;
  /** When to back up: 'epoch' (the only value supported). */
  saveFreq?: 'epoch';
  /** Delete the backup when training ends normally. Default true. */
  deleteCheckpoint?: boolean;
}

const KEYS = keysOf<BackupAndRestoreOptions>({ backupDir: true, saveFreq: true, deleteCheckpoint: true });

export class BackupAndRestore extends Callback {
  static override readonly optionKeys: readonly string[] = KEYS;
  readonly backupDir: string;
  readonly deleteCheckpoint: boolean;
  /** The epoch training resumed from (0 when there was no backup). */
  resumedEpoch = 0;

  /** @throws ValueError for a missing backupDir or an unsupported saveFreq. */
  constructor(options: BackupAndRestoreOptions) {
    super(options);
    if (typeof options?.backupDir !== 'string' || options.backupDir === '') {
      throw new ValueError(`BackupAndRestore: backupDir must be a folder path, received ${JSON.stringify(options?.backupDir)}.`);
    }
    if ((options.saveFreq ?? 'epoch') !== 'epoch') {
      throw new ValueError(`BackupAndRestore: saveFreq ${JSON.stringify(options.saveFreq)} is not supported; deepwell backs up at epoch ends ('epoch').`);
    }
    this.backupDir = options.backupDir;
    this.deleteCheckpoint = checkBoolean('BackupAndRestore', 'deleteCheckpoint', options.deleteCheckpoint ?? true);
  }

  /** `new BackupAndRestore(config)`, rejecting unknown keys. */
  static fromConfig(config: Record<string, unknown>): BackupAndRestore {
    return new BackupAndRestore(checkConfigKeys('BackupAndRestore', config, KEYS) as unknown as BackupAndRestoreOptions);
  }

  /** The backup file. */
  get path(): string {
    return `${this.backupDir.replace(/[\\/]+$/, '')}/latest.safetensors`;
  }

  override async onTrainBegin(): Promise<void> {
    const model = this.requireModel() as unknown as LayersModel;
    this.resumedEpoch = 0;
    if (!(await modelStore().exists(this.path))) return;
    await modelStore().restoreInto(model, this.path);
    this.resumedEpoch = model.trainingState?.epoch ?? 0;
    model.resumeEpoch = this.resumedEpoch;
  }

  override async onEpochEnd(): Promise<void> {
    await modelStore().save(this.requireModel() as unknown as LayersModel, this.path, { format: 'deepwell' });
  }

  override async onTrainEnd(): Promise<void> {
    if (this.deleteCheckpoint) await modelStore().remove(this.path);
  }

  getConfig(): Record<string, unknown> {
    return { backupDir: this.backupDir, saveFreq: 'epoch', deleteCheckpoint: this.deleteCheckpoint };
  }
}
