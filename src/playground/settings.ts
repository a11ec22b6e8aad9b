/**
 * The playground's settings: their types, defaults, the chapter's presets, and their form in the URL
 * (so a state can be shared). Shared by the page (main.ts) and the training worker (worker.ts).
 */
import { activations, type diagnostics, initializers, nearestName, optimizers } from 'deepwell';

export const DATASETS = ['spiral', 'circles', 'xor', 'gaussians', 'mnist'] as const;
export type DatasetName = (typeof DATASETS)[number];
/** Hidden activations offered (softmax is the output layer's). */
export const ACTIVATIONS = activations.ACTIVATION_NAMES.filter((a) => a !== 'softmax');
export const INITIALIZERS = initializers.INITIALIZER_NAMES;
export const OPTIMIZERS = optimizers.OPTIMIZER_NAMES;
export const SCHEDULES = ['constant', 'exponential_decay', 'cosine_decay', 'inverse_time_decay'] as const;
export const CLIPPINGS = ['none', 'clip_value', 'clip_norm', 'global_clip_norm'] as const;
/**
 * How the inputs are scaled before the model sees them: `pixels_255` feeds the data as stored (MNIST's
 * pixels divided by 255, the toy sets' raw coordinates: the Keras examples' `x / 255`, what a model
 * file from Keras or TF.js expects); `standardized` subtracts the training mean and divides by the
 * standard deviation per feature; `auto` is standardized for the page's network and pixels / 255 for an
 * opened model.
 */
export const SCALINGS = ['auto', 'pixels_255', 'standardized'] as const;
export type Scaling = (typeof SCALINGS)[number];
/** The scalings in the page's words. */
export const SCALING_LABELS: Record<Scaling, string> = {
  auto: 'auto (opened model: pixels / 255; page network: standardized)',
  pixels_255: 'pixels / 255 (toy sets: raw coordinates)',
  standardized: 'standardized (mean 0, std 1 per feature)',
};

/** A scaling in use, as the page names it. */
export const SCALING_NAMES: Record<Exclude<Scaling, 'auto'>, string> = { pixels_255: 'pixels / 255', standardized: 'standardized' };

/** The scaling in use: `auto` resolved for the page's network or an opened model. */
export const resolveScaling = (scaling: Scaling, opened: boolean): Exclude<Scaling, 'auto'> =>
  scaling !== 'auto' ? scaling : opened ? 'pixels_255' : 'standardized';

export interface Settings {
  dataset: DatasetName;
  /** Hidden Dense layers. */
  depth: number;
  /** Units of each hidden layer. */
  units: number;
  activation: string;
  initializer: string;
  batchNorm: boolean;
  /** Dropout rate after each hidden layer (AlphaDropout for selu), 0 for none. */
  dropout: number;
  optimizer: string;
  learningRate: number;
  schedule: (typeof SCHEDULES)[number];
  clipping: (typeof CLIPPINGS)[number];
  /** Threshold of the clipping (value or norm). */
  clipThreshold: number;
  batchSize: number;
  /** Noise of the toy sets (std per coordinate). */
  noise: number;
  seed: number;
  /** Input scaling (see SCALINGS). */
  scaling: Scaling;
}

export const DEFAULTS: Settings = {
  dataset: 'spiral', depth: 4, units: 16, activation: 'relu', initializer: 'he_normal', batchNorm: false,
  dropout: 0, optimizer: 'adam', learningRate: 0.01, schedule: 'constant', clipping: 'none', clipThreshold: 1,
  batchSize: 32, noise: 0.05, seed: 42, scaling: 'auto',
};

export interface Preset {
  label: string;
  /** What it shows, in one sentence. */
  note: string;
  settings: Partial<Settings>;
}

/** The chapter's cases (Hands-On Machine Learning, 3rd ed., ch. 11). */
export const PRESETS: Record<string, Preset> = {
  deep_sigmoid: {
    label: 'Deep sigmoid, random_normal (vanishing gradients)',
    note: 'Glorot & Bengio 2010: sigmoid layers with N(0, 0.05^2) weights shrink the gradient at every layer.',
    settings: { depth: 10, units: 32, activation: 'sigmoid', initializer: 'random_normal', batchNorm: false, dropout: 0, optimizer: 'sgd', learningRate: 0.1, clipping: 'none', schedule: 'constant' },
  },
  relu_glorot: {
    label: 'Deep ReLU, glorot_uniform',
    note: 'Glorot initialization is built for tanh/sigmoid: ReLU halves the variance at each layer.',
    settings: { depth: 20, units: 32, activation: 'relu', initializer: 'glorot_uniform', batchNorm: false, dropout: 0, optimizer: 'sgd', learningRate: 0.05, clipping: 'none', schedule: 'constant' },
  },
  relu_he: {
    label: 'Deep ReLU, he_normal',
    note: 'He initialization (variance 2 / fanIn) keeps the signal of ReLU layers at a constant scale.',
    settings: { depth: 20, units: 32, activation: 'relu', initializer: 'he_normal', batchNorm: false, dropout: 0, optimizer: 'sgd', learningRate: 0.05, clipping: 'none', schedule: 'constant' },
  },
  selu_lecun: {
    label: 'SELU, lecun_normal (self-normalizing)',
    note: 'Klambauer et al. 2017: SELU with LeCun initialization keeps mean 0 and variance 1 through the layers.',
    settings: { depth: 20, units: 32, activation: 'selu', initializer: 'lecun_normal', batchNorm: false, dropout: 0, optimizer: 'sgd', learningRate: 0.05, clipping: 'none', schedule: 'constant' },
  },
  batch_norm: {
    label: 'Deep sigmoid with batch normalization',
    note: 'Ioffe & Szegedy 2015: normalizing each layer\'s inputs restores the gradient flow of the deep sigmoid network.',
    settings: { depth: 10, units: 32, activation: 'sigmoid', initializer: 'random_normal', batchNorm: true, dropout: 0, optimizer: 'sgd', learningRate: 0.1, clipping: 'none', schedule: 'constant' },
  },
  clipping: {
    label: 'High learning rate with gradient clipping',
    note: 'Pascanu et al. 2013: clipping the global gradient norm keeps a too-large step from blowing up.',
    settings: { depth: 8, units: 32, activation: 'relu', initializer: 'he_normal', batchNorm: false, dropout: 0, optimizer: 'sgd', learningRate: 0.5, clipping: 'global_clip_norm', clipThreshold: 1, schedule: 'constant' },
  },
};

/** One setting: its label in the page, and what its URL value may be. */
export type SettingSpec =
  | { key: keyof Settings; label: string; kind: 'choice'; choices: readonly string[]; optionLabels?: Readonly<Record<string, string>> }
  | { key: keyof Settings; label: string; kind: 'number'; min: number; max: number; integer: boolean; step: string }
  | { key: keyof Settings; label: string; kind: 'flag' };

/**
 * Every setting, in the order of the page's form: the one table that draws the controls (main.ts),
 * parses the URL (parseQuery), says what a dropped URL value should have been, and names the controls
 * in the verdict's fix (trainer.ts).
 */
export const SETTING_SPECS: readonly SettingSpec[] = [
  { key: 'dataset', label: 'Data', kind: 'choice', choices: DATASETS },
  { key: 'scaling', label: 'Input scaling', kind: 'choice', choices: SCALINGS, optionLabels: SCALING_LABELS },
  { key: 'noise', label: 'Noise (toy sets)', kind: 'number', min: 0, max: 1, integer: false, step: '0.01' },
  { key: 'depth', label: 'Hidden layers', kind: 'number', min: 1, max: 50, integer: true, step: '1' },
  { key: 'units', label: 'Units per layer', kind: 'number', min: 1, max: 512, integer: true, step: '1' },
  { key: 'activation', label: 'Activation', kind: 'choice', choices: ACTIVATIONS },
  { key: 'initializer', label: 'Initializer', kind: 'choice', choices: INITIALIZERS },
  { key: 'batchNorm', label: 'Batch normalization', kind: 'flag' },
  { key: 'dropout', label: 'Dropout rate', kind: 'number', min: 0, max: 0.9, integer: false, step: '0.05' },
  { key: 'optimizer', label: 'Optimizer', kind: 'choice', choices: OPTIMIZERS },
  { key: 'learningRate', label: 'Learning rate', kind: 'number', min: 1e-6, max: 10, integer: false, step: 'any' },
  { key: 'schedule', label: 'Schedule', kind: 'choice', choices: SCHEDULES },
  { key: 'clipping', label: 'Gradient clipping', kind: 'choice', choices: CLIPPINGS },
  { key: 'clipThreshold', label: 'Clipping threshold', kind: 'number', min: 1e-6, max: 1e6, integer: false, step: 'any' },
  { key: 'batchSize', label: 'Batch size', kind: 'number', min: 1, max: 1024, integer: true, step: '1' },
  { key: 'seed', label: 'Seed', kind: 'number', min: 0, max: 2 ** 31 - 1, integer: true, step: '1' },
];

/** The spec of a setting. */
export const specOf = (key: keyof Settings): SettingSpec => SETTING_SPECS.find((s) => s.key === key)!;

/** Other spellings of keys in the URL: the CLI's flag names (`--init`, `--lr`) and Keras's snake_case. */
const KEY_ALIASES: Record<string, keyof Settings> = {
  init: 'initializer', lr: 'learningRate', learning_rate: 'learningRate', batch_size: 'batchSize', 'batch-size': 'batchSize',
  batch_norm: 'batchNorm', clip_threshold: 'clipThreshold', data: 'dataset',
};

/** The spellings of a flag in the URL. */
const FLAG_VALUES: Record<string, boolean> = { true: true, false: false, 1: true, 0: false };

/** A URL value that was not used: the key, what was received, what was expected, and the nearest valid name. */
export interface DroppedSetting {
  /** The key as the URL spells it. */
  key: string;
  /** The setting it names (undefined for a key that is no setting), and its control's label. */
  setting?: keyof Settings;
  label?: string;
  received: string;
  /** The valid values, in words ("one of relu, selu, ...", "an integer from 1 to 50", ...). */
  expected: string;
  /** The nearest valid name (a choice, or a setting's key for an unknown key), when one is close. */
  suggestion?: string;
}

/** The value of `raw` for a setting, or undefined when it is not valid. */
function parseValue(spec: SettingSpec, raw: string): string | number | boolean | undefined {
  switch (spec.kind) {
    case 'choice':
      return spec.choices.includes(raw) ? raw : undefined;
    case 'flag':
      return Object.hasOwn(FLAG_VALUES, raw) ? FLAG_VALUES[raw] : undefined;
    case 'number': {
      const v = raw.trim() === '' ? NaN : Number(raw);
      return Number.isFinite(v) && v >= spec.min && v <= spec.max && (!spec.integer || Number.isInteger(v)) ? v : undefined;
    }
    default:
      return spec satisfies never;
  }
}

/** What a setting's value should be, in words ("an integer from 1 to 50", "one of relu, selu, ..."). */
export function expectedOf(spec: SettingSpec): string {
  switch (spec.kind) {
    case 'choice':
      return `one of ${spec.choices.join(', ')}`;
    case 'flag':
      return 'true or false';
    case 'number':
      return `${spec.integer ? 'an integer' : 'a number'} from ${spec.min} to ${spec.max}`;
    default:
      return spec satisfies never;
  }
}

/**
 * A setting's value from text (a URL value, or what was typed into its control), checked against its
 * spec in SETTING_SPECS (the one table of the limits): the value, or what was expected in words.
 * @example checkSetting(specOf('depth'), '0') // { expected: 'an integer from 1 to 50' }
 */
export function checkSetting(spec: SettingSpec, raw: string): { value: string | number | boolean } | { expected: string } {
  const value = parseValue(spec, raw);
  return value !== undefined ? { value } : { expected: expectedOf(spec) };
}

/** The settings in a URL query (only those that differ from the defaults). */
export function toQuery(s: Settings): string {
  const q = new URLSearchParams();
  for (const key of Object.keys(DEFAULTS) as (keyof Settings)[]) {
    if (s[key] !== DEFAULTS[key]) q.set(key, String(s[key]));
  }
  return q.toString();
}

/**
 * Settings read from a URL query, and the values not used: an invalid value keeps its default and is
 * listed in `dropped` (with the expected values and, for a name, the nearest valid one), as is a key
 * that is no setting.
 * @example parseQuery('?depth=abc&init=he_normall').dropped.map((d) => d.key) // ['depth', 'init']
 */
export function parseQuery(query: string): { settings: Settings; dropped: DroppedSetting[] } {
  const out: Record<string, unknown> = { ...DEFAULTS };
  const dropped: DroppedSetting[] = [];
  const keys = SETTING_SPECS.map((s) => s.key as string);
  new URLSearchParams(query).forEach((raw, key) => {
    const name = Object.hasOwn(KEY_ALIASES, key) ? KEY_ALIASES[key] : key;
    const spec = SETTING_SPECS.find((s) => s.key === name);
    if (spec === undefined) {
      const prefixOf = keys.find((k) => key.length >= 3 && k.toLowerCase().startsWith(key.toLowerCase()));
      dropped.push({ key, received: raw, expected: `a setting: ${keys.join(', ')}`, suggestion: prefixOf ?? nearestName(key, keys) });
      return;
    }
    const checked = checkSetting(spec, raw);
    if ('value' in checked) out[spec.key] = checked.value;
    else dropped.push({ key, setting: spec.key, label: spec.label, received: raw, expected: checked.expected, suggestion: spec.kind === 'choice' ? nearestName(raw, spec.choices) : undefined });
  });
  return { settings: out as unknown as Settings, dropped };
}

/** Settings read from a URL query; a missing or invalid value takes its default (see parseQuery). */
export function fromQuery(query: string): Settings {
  return parseQuery(query).settings;
}

/** The preset whose every setting equals `s`'s, or undefined ("custom"). */
export function matchingPreset(s: Settings): string | undefined {
  return Object.keys(PRESETS).find((name) => Object.entries(PRESETS[name].settings).every(([k, v]) => s[k as keyof Settings] === v));
}

/** A control's label, as the verdict's fix names it. */
const control = (key: keyof Settings): string => specOf(key).label;

/**
 * The verdict's fix in the page's words: what to set in which control, instead of the command line's
 * flags (`--init he_normal`). The verdict's logic stays in deepwell's diagnostics (judge's phrasing).
 */
export const PAGE_PHRASING: diagnostics.FixPhrasing = {
  initializer: (name) => `set ${control('initializer')} to ${name}`,
  clipping: `set ${control('clipping')} to global_clip_norm with ${control('clipThreshold')} 1`,
  standardize: `set ${control('scaling')} to standardized (auto does so for the page's network)`,
  batchNorm: `tick ${control('batchNorm')}`,
  skipConnections: 'not among the playground\'s controls: layers.Add on a functional Model in deepwell',
};
