/**
 * The order in which Keras 3 stores an optimizer's variables (`optimizer/vars/<i>` in
 * model.weights.h5), mapped to deepwell's slot names (`<weight name>/<slot>`).
 *
 * Keras 3.8 (`keras/src/optimizers/*.py`, `build`): `vars/0` is `iterations` (int64), `vars/1` the
 * `learning_rate` variable (absent when the learning rate is a schedule), then the slots: each group
 * below is one loop over the trainable variables in model order, creating the group's slots for each
 * variable (Adam: m0, v0, m1, v1, ...; RMSprop: all velocities, then all momentums, then all average
 * gradients). Optimizers not listed here have their slots written in the order of
 * `ModelArtifacts.optimizerState.slots` (documented, not Keras's).
 */
import type { Json } from './artifacts.js';

/** Slot groups of a Keras optimizer class in Keras 3.8 order, with deepwell's slot names; null when unknown. */
export function kerasSlotLayout(className: string, config: { [key: string]: Json }): string[][] | null {
  const num = (k: string): number => (typeof config[k] === 'number' ? (config[k] as number) : 0);
  switch (className) {
    case 'SGD':
      return num('momentum') !== 0 ? [['momentum']] : [];
    case 'Adam':
    case 'AdamW':
      // amsgrad: Keras 3 builds the velocity_hat slots in a second loop over the variables.
      return config.amsgrad === true ? [['m', 'v'], ['vhat']] : [['m', 'v']];
    case 'RMSprop': {
      const groups = [['velocity']];
      if (num('momentum') > 0) groups.push(['momentum']);
      if (config.centered === true) groups.push(['average_gradient']);
      return groups;
    }
    case 'Adagrad':
      return [['accumulator']];
    case 'Adamax':
      return [['momentum', 'norm']];
    default:
      return null;
  }
}

/** Whether Keras keeps the learning rate as a variable (`vars/1`): true unless it is a schedule object. */
export function learningRateIsVariable(config: { [key: string]: Json }): boolean {
  const lr = config.learning_rate ?? config.lr;
  return lr === undefined || typeof lr === 'number';
}

/**
 * Keras 2 (optimizer_v2, up to 2.10) slot names for deepwell's slot names, per optimizer class; the
 * same name when absent. Keras 2 creates one loop over the variables per slot name, so its file order is
 * slot-major (all `m`, then all `v`), unlike Keras 3.
 *
 * Reference: Keras 2.10 `keras/optimizers/optimizer_v2/{adam,rmsprop,adamax,nadam}.py` (`_create_slots`).
 */
export function keras2SlotNames(className: string): { [deepwellSlot: string]: string } {
  switch (className) {
    case 'RMSprop':
      return { velocity: 'rms', average_gradient: 'mg' };
    case 'Adamax':
      return { momentum: 'm', norm: 'v' };
    case 'Nadam':
      return { momentum: 'm', velocity: 'v' };
    default:
      return {};
  }
}

/**
 * Sorts decoded slots into deepwell's order: by weight (model order), then by the slot's position in
 * the order deepwell's optimizers create them (src/optimizers: Adam m, v; RMSprop velocity,
 * average_gradient, momentum).
 */
export function sortSlots<T extends { name: string }>(slots: T[], weightNames: readonly string[], className: string, config: { [key: string]: Json }): T[] {
  const order = className === 'RMSprop' ? ['velocity', 'average_gradient', 'momentum'] : (kerasSlotLayout(className, config) ?? []).flat();
  const key = (s: T): [number, number] => {
    const slot = s.name.split('/').pop()!;
    const weight = s.name.slice(0, s.name.length - slot.length - 1);
    const i = order.indexOf(slot);
    return [weightNames.indexOf(weight), i < 0 ? order.length : i];
  };
  return [...slots].sort((a, b) => {
    const [wa, sa] = key(a);
    const [wb, sb] = key(b);
    return wa - wb || sa - sb;
  });
}
