/**
 * The playground's Web Worker: trains off the page's thread so the page stays responsive.
 *
 * Messages in: `{ type: 'reset', settings }`, `{ type: 'train' }`, `{ type: 'pause' }`,
 * `{ type: 'step', steps }`, `{ type: 'download', format }`, `{ type: 'open', source, name, settings }` (a model
 * file the user opened: `File`s or a URL, read by `loadModel`; `name` as the user gave it).
 * Messages out: `{ type: 'snapshot', snapshot }` (after a reset, a step, and about every
 * SNAPSHOT_MS while training), `{ type: 'files', files }` (what `model.save('downloads://model')`
 * would download, made by the library's `modelToFiles`: a worker has no document, so the page
 * downloads them), `{ type: 'opened', name, summary, params, fits, message }` (an opened model's summary;
 * when it fits the data, a snapshot of it follows), `{ type: 'error', message }`.
 */
import { CompileConfigError, type ModelFormat, loadModel, modelToFiles } from 'deepwell';
import type { Settings } from './settings.js';
import { type Dataset, Trainer, mnistDataset, modelFit, toyDataset } from './trainer.js';

/** Training time between two snapshots, in milliseconds. */
const SNAPSHOT_MS = 150;

interface WorkerScope {
  postMessage(message: unknown, transfer?: unknown[]): void;
  onmessage: ((event: { data: Message }) => void) | null;
}
type Message = { type: 'reset'; settings: Settings } | { type: 'train' } | { type: 'pause' } | { type: 'step'; steps: number } | { type: 'download'; format: ModelFormat }
  | { type: 'open'; source: File[] | string; name: string; settings: Settings };

const scope = self as unknown as WorkerScope;
let trainer: Trainer | null = null;
let running = false;
let mnist: Dataset | null = null;
/** Increases at each reset, so a loop of a previous model stops. */
let generation = 0;

function post(message: unknown): void {
  scope.postMessage(message);
}

function fail(e: unknown): void {
  running = false;
  post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
}

/** The data of the settings (MNIST fetched once from the page's server). */
async function dataOf(settings: Settings): Promise<Dataset> {
  if (settings.dataset !== 'mnist') return toyDataset(settings);
  if (mnist === null) {
    const response = await fetch('mnist.bin');
    if (!response.ok) throw new Error(`mnist.bin: HTTP ${response.status}; start the page with \`deepwell playground\`, which serves it.`);
    mnist = mnistDataset(await response.arrayBuffer());
  }
  return mnist;
}

async function reset(settings: Settings): Promise<void> {
  generation++;
  running = false;
  trainer = new Trainer(settings, await dataOf(settings));
  post({ type: 'snapshot', snapshot: trainer.snapshot() });
}

/**
 * Opens a model file: its summary, and when its shapes fit the data it replaces the page's network
 * (the views, the verdict and training then show it); when they do not, the page's network stays and
 * the message says why. A file that is no model posts its error as the message.
 */
async function open(source: File[] | string, name: string, settings: Settings): Promise<void> {
  const from = typeof source === 'string' || source.length !== 1 ? source : source[0];
  let model;
  /** Said when the file's optimizer could not be used: the model is opened without it. */
  let note = '';
  try {
    model = await loadModel(from);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const optimizer = e instanceof CompileConfigError ? e.optimizerClass : undefined;
    try {
      // A file whose compile config (optimizer, loss) deepwell cannot honour still has a model and weights.
      if (!(e instanceof CompileConfigError)) throw e;
      model = await loadModel(from, { compile: false });
      note = `${name} was opened without its ${optimizer !== undefined ? `optimizer (${optimizer}: deepwell does not have it)` : 'compile config'}; the page's optimizer (Optimizer: ${settings.optimizer}, Learning rate ${settings.learningRate}) is used for training. `;
    } catch {
      post({ type: 'opened', name, summary: '', params: 0, fits: false, message: `Could not open ${name}: ${pageWords(message)}` });
      return;
    }
  }
  const data = await dataOf(settings);
  const fit = modelFit(model, data);
  const opened = { type: 'opened', name, summary: model.summary(), params: model.countParams() };
  if ('message' in fit) {
    post({ ...opened, fits: false, message: `${fit.message} The page's own network stays in the views. ${note}`.trim() });
    return;
  }
  generation++;
  running = false;
  trainer = new Trainer(settings, data, model);
  const scaling = trainer.scaling === 'pixels_255'
    ? `It is fed pixels / 255${settings.scaling === 'auto' ? ' (the Keras convention, what Keras and TF.js model files expect)' : ''}; to feed it standardized inputs, choose Input scaling: standardized and open it again.`
    : 'It is fed standardized inputs (Input scaling); a model trained on x / 255 expects pixels / 255.';
  post({ ...opened, fits: true, message: `Opened ${name}: ${model.layers.length} layers, ${model.countParams()} parameters; the views, the verdict and training now show it (Reset builds the page's network again). ${scaling} ${note}`.trim() });
  post({ type: 'snapshot', snapshot: trainer.snapshot() });
}

/** loadModel's advice in the page's words: files are selected in the file dialog, not passed to a function. */
function pageWords(message: string): string {
  return message.replace('Pass model.json and its weight files together: loadModel([jsonFile, ...weightFiles]).', 'Select model.json and its weights file together (both at once in the file dialog).');
}

function loop(gen: number): void {
  if (!running || trainer === null || gen !== generation) return;
  try {
    const start = performance.now();
    do trainer.trainStep(); while (performance.now() - start < SNAPSHOT_MS);
    post({ type: 'snapshot', snapshot: trainer.snapshot() });
  } catch (e) {
    fail(e);
    return;
  }
  // A macrotask between chunks lets 'pause' and 'reset' in.
  setTimeout(() => loop(gen), 0);
}

scope.onmessage = (event) => {
  const m = event.data;
  try {
    if (m.type === 'reset') {
      reset(m.settings).catch(fail);
    } else if (m.type === 'train') {
      if (!running && trainer !== null) {
        running = true;
        loop(generation);
      }
    } else if (m.type === 'pause') {
      running = false;
    } else if (m.type === 'step') {
      if (trainer === null) return;
      running = false;
      for (let i = 0; i < m.steps; i++) trainer.trainStep();
      post({ type: 'snapshot', snapshot: trainer.snapshot() });
    } else if (m.type === 'open') {
      open(m.source, m.name, m.settings).catch(fail);
    } else if (m.type === 'download') {
      if (trainer !== null) modelToFiles(trainer.model, 'model', { format: m.format }).then((files) => post({ type: 'files', files }), fail);
    }
  } catch (e) {
    fail(e);
  }
};
