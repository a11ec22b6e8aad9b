/**
 * Checkpoint path templates, as Keras's `ModelCheckpoint(filepath)`: `{epoch}` is the 1-based epoch
 * number, `{name}` any key of the epoch logs (`{val_loss}`); Python format specs `{epoch:02d}` and
 * `{val_loss:.4f}` are honoured (`d` zero-padded integers, `f` fixed decimals).
 */
import { ValueError } from '../core/errors.js';
import type { Logs } from './callback.js';

const FIELD = /\{([A-Za-z_][A-Za-z0-9_]*)(?::(0?)(\d*)(?:\.(\d+))?([df]))?\}/g;

/**
 * The path for 0-based `epoch` with `logs`.
 * @throws ValueError for a field that is neither `epoch` nor a key of the logs.
 */
export function formatCheckpointPath(template: string, epoch: number, logs: Logs): string {
  return template.replace(FIELD, (_m, name: string, zero: string, width: string, decimals: string | undefined, kind: string | undefined) => {
    const value = name === 'epoch' ? epoch + 1 : logs[name];
    if (typeof value !== 'number') {
      throw new ValueError(`ModelCheckpoint: the path template field '{${name}}' is neither 'epoch' nor in the epoch logs (${Object.keys(logs).join(', ') || 'none'}).`);
    }
    let text = kind === 'd' ? String(Math.round(value)) : kind === 'f' ? value.toFixed(Number(decimals ?? 6)) : String(value);
    if (width !== '' && width !== undefined) text = text.padStart(Number(width), zero === '0' ? '0' : ' ');
    return text;
  });
}
