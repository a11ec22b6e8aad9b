/**
 * The playground's settings: their types, defaults, the chapter's presets, and their form in the URL
 * (so a state can be shared). Shared by the page (main.ts) and the training worker (worker.ts).
 */
import { activations, initializers, optimizers } from 'deepwell';

export const DATASETS = ['spiral', 'circles', 'xor', 'gaussians', 'mnist'] as const;
export type DatasetName = (typeof DATASETS)[number];
/** Hidden activations offered (softmax is the output layer's). */
export const ACTIVATIONS = activations.ACTIVATION_NAMES.filter((a) => a !== 'softmax');
export const INITIALIZERS = initializers.INITIALIZER_NAMES;
export const OPTIMIZERS = optimizers.OPTIMIZER_NAMES;
export const SCHEDULES = ['constant', 'exponential_decay', 'cosine_decay', 'inverse_time_decay'] as const;
export const CLIPPINGS = ['none', 'clip_value', 'clip_norm', 'global_clip_norm'] as const;

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
}

export const DEFAULTS: Settings = {
  dataset: 'spiral', depth: 4, units: 16, activation: 'relu', initializer: 'he_normal', batchNorm: false,
  dropout: 0, optimizer: 'adam', learningRate: 0.01, schedule: 'constant', clipping: 'none', clipThreshold: 1,
  batchSize: 32, noise: 0.05, seed: 42,
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

/** Limits of the numeric settings: [min, max]. */
export const LIMITS = {
  depth: [1, 50], units: [1, 512], dropout: [0, 0.9], learningRate: [1e-6, 10], clipThreshold: [1e-6, 1e6],
  batchSize: [1, 1024], noise: [0, 1], seed: [0, 2 ** 31 - 1],
} as const;

const INTEGER_KEYS = new Set(['depth', 'units', 'batchSize', 'seed']);

/** The settings in a URL query (only those that differ from the defaults). */
export function toQuery(s: Settings): string {
  const q = new URLSearchParams();
  for (const key of Object.keys(DEFAULTS) as (keyof Settings)[]) {
    if (s[key] !== DEFAULTS[key]) q.set(key, String(s[key]));
  }
  return q.toString();
}

/** Settings read from a URL query; a missing or invalid value takes its default. */
export function fromQuery(query: string): Settings {
  const q = new URLSearchParams(query);
  const out: Settings = { ...DEFAULTS };
  const choices: Partial<Record<keyof Settings, readonly string[]>> = {
    dataset: DATASETS, activation: ACTIVATIONS, initializer: INITIALIZERS, optimizer: OPTIMIZERS, schedule: SCHEDULES, clipping: CLIPPINGS,
  };
  for (const key of Object.keys(DEFAULTS) as (keyof Settings)[]) {
    const raw = q.get(key);
    if (raw === null) continue;
    const allowed = choices[key];
    if (allowed !== undefined) {
      if (allowed.includes(raw)) (out as unknown as Record<string, unknown>)[key] = raw;
    } else if (typeof DEFAULTS[key] === 'boolean') {
      out[key as 'batchNorm'] = raw === 'true';
    } else {
      const v = Number(raw);
      const [lo, hi] = LIMITS[key as keyof typeof LIMITS];
      if (Number.isFinite(v) && v >= lo && v <= hi && (!INTEGER_KEYS.has(key) || Number.isInteger(v))) {
        (out as unknown as Record<string, unknown>)[key] = v;
      }
    }
  }
  return out;
}
