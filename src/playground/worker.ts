/**
 * The playground's Web Worker: trains off the page's thread so the page stays responsive.
 *
 * Messages in: `{ type: 'reset', settings }`, `{ type: 'train' }`, `{ type: 'pause' }`,
 * `{ type: 'step', steps }`, `{ type: 'download', format }`.
 * Messages out: `{ type: 'snapshot', snapshot }` (after a reset, a step, and about every
 * SNAPSHOT_MS while training), `{ type: 'files', files }` (what `model.save('downloads://model')`
 * would download, made by the library's `modelToFiles`: a worker has no document, so the page
 * downloads them), `{ type: 'error', message }`.
 */
import { type ModelFormat, modelToFiles } from 'deepwell';
import type { Settings } from './settings.js';
import { type Dataset, Trainer, mnistDataset, toyDataset } from './trainer.js';

/** Training time between two snapshots, in milliseconds. */
const SNAPSHOT_MS = 150;

interface WorkerScope {
  postMessage(message: unknown, transfer?: unknown[]): void;
  onmessage: ((event: { data: Message }) => void) | null;
}
type Message = { type: 'reset'; settings: Settings } | { type: 'train' } | { type: 'pause' } | { type: 'step'; steps: number } | { type: 'download'; format: ModelFormat };

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

async function reset(settings: Settings): Promise<void> {
  generation++;
  running = false;
  let data: Dataset;
  if (settings.dataset === 'mnist') {
    if (mnist === null) {
      const response = await fetch('mnist.bin');
      if (!response.ok) throw new Error(`mnist.bin: HTTP ${response.status}; start the page with \`deepwell playground\`, which serves it.`);
      mnist = mnistDataset(await response.arrayBuffer());
    }
    data = mnist;
  } else {
    data = toyDataset(settings);
  }
  trainer = new Trainer(settings, data);
  post({ type: 'snapshot', snapshot: trainer.snapshot() });
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
    } else if (m.type === 'download') {
      if (trainer !== null) modelToFiles(trainer.model, 'model', { format: m.format }).then((files) => post({ type: 'files', files }), fail);
    }
  } catch (e) {
    fail(e);
  }
};
