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
      return [['m', 'v']];
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
