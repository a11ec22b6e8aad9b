/**
 * `deepwell summary | evaluate | predict | export`: commands on a saved model, in any format
 * `loadModel` reads (deepwell folder or .safetensors, TF.js model.json, Keras .keras, Keras 2 .h5).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { ValueError } from '../core/errors.js';
import { Tensor } from '../core/tensor.js';
import { formatOfPath } from '../io/file_store.node.js';
import { readIdx } from '../data/idx.node.js';
import { loadModel, MODEL_FORMATS, type ModelFormat } from '../models/model_store.js';
import type { LayersModel } from '../models/layers_model.js';
import { loadData, type Dataset } from './load_data.js';
import { standardizeDataset } from './dataset_prep.js';
import { UsageError, parseChoice, parsePositiveInt } from './usage_error.js';

/** The settings `deepwell train` records in `model.metadata.deepwell_train` (see train.ts). */
export interface SavedTrainSettings {
  data: string;
  standardize: boolean;
  /** The floor on the std (fraction of the value range) the run standardized with; absent before it existed. */
  stdFloor?: number;
  [key: string]: unknown;
}

/** Loads a model for a command, turning a missing path into a usage error. */
export async function loadModelArgument(path: string, compile = true): Promise<LayersModel> {
  if (!existsSync(path)) {
    throw new UsageError(`MODEL_PATH '${path}' does not exist; expected a model saved by deepwell train --save, model.save(), Keras (.keras, .h5) or TF.js (model.json or its folder).`);
  }
  if (!compile) return loadModel(path, { compile: false });
  try {
    return await loadModel(path, { compile: true });
  } catch (e) {
    // A compile configuration deepwell cannot honour (an optimizer it lacks, say) need not stop
    // commands that only read the model: load it uncompiled and say so.
    if (!(e instanceof ValueError) || !/compile/.test(e.message)) throw e;
    process.stderr.write(`deepwell: warning: ${e.message.replace(/;? ?pass \{ compile: false \}[^.]*\.?/, '.')} Loaded uncompiled (no loss or optimizer).\n`);
    return loadModel(path, { compile: false });
  }
}

/** The sample shape the model takes (without the batch dimension). */
function inputShape(model: LayersModel): number[] {
  const shape = model.builtInputShape;
  if (shape === null) throw new UsageError(`the model "${model.name}" has no input shape (it was saved unbuilt); it cannot be evaluated.`);
  return shape.slice(1).map((d) => d ?? 0);
}

/**
 * x reshaped to the model's sample shape when only the layout differs ([n, 28, 28] images for a
 * model that takes [n, 784], as Keras's MNIST examples do).
 * @throws UsageError when the sample sizes differ.
 */
export function fitInput(model: LayersModel, x: Tensor, source: string): Tensor {
  const want = inputShape(model);
  const size = want.reduce((a, b) => a * b, 1);
  const have = x.shape.slice(1).reduce((a, b) => a * b, 1);
  if (size !== have) {
    throw new UsageError(`${source}: samples of shape [${x.shape.slice(1).join(', ')}] (${have} values) do not fit the model's input [${want.join(', ')}] (${size} values).`);
  }
  return new Tensor(x.data, [x.shape[0], ...want]);
}

/** Labels as the model's loss wants them: one-hot rows for categorical crossentropy, else as given. */
export function fitLabels(model: LayersModel, y: Tensor): Tensor {
  if (model.compiled?.lossName !== 'categorical_crossentropy' || y.rank !== 1) return y;
  const classes = model.outputUnits();
  const out = new Float32Array(y.shape[0] * classes);
  for (let i = 0; i < y.shape[0]; i++) out[i * classes + y.data[i]] = 1;
  return new Tensor(out, [y.shape[0], classes]);
}

/** The dataset prepared as the model's training prepared it (pixel / 255, or standardized with the training set's statistics). */
async function preparedData(model: LayersModel, dataFlag: string | undefined): Promise<Dataset> {
  const saved = model.metadata.deepwell_train as SavedTrainSettings | undefined;
  const raw = await loadData(dataFlag ?? saved?.data ?? 'mnist');
  // Models saved before the std floor existed were standardized without one.
  return saved?.standardize === true ? standardizeDataset(raw, saved.stdFloor ?? 0) : raw;
}

/** `deepwell summary MODEL_PATH`: the Keras-style layer table, then the format's metadata. */
export async function runSummary(path: string): Promise<void> {
  const model = await loadModelArgument(path, true);
  process.stdout.write(`${model.summary()}\n`);
  const c = model.compiled;
  if (c !== null) process.stdout.write(`Compiled: loss ${c.lossName}, optimizer ${c.optimizer.className} (iterations ${c.optimizer.iterations})\n`);
  if (model.trainingState !== null) process.stdout.write(`Training position: ${model.trainingState.epoch} epoch(s) completed (resume with deepwell train --resume ${path} --epochs N)\n`);
}

export interface EvaluateFlags {
  data?: string;
  batchSize: string;
  json?: boolean;
}

/** `deepwell evaluate MODEL_PATH`: loss and metrics on the test split of --data (default: the data it was trained on, or MNIST). */
export async function runEvaluate(path: string, flags: EvaluateFlags): Promise<Record<string, number>> {
  const batchSize = parsePositiveInt('--batch-size', flags.batchSize, 256);
  const model = await loadModelArgument(path, true);
  if (model.compiled === null) throw new UsageError(`${path} holds no compile configuration (loss, metrics), so it cannot be evaluated; compile and save it again.`);
  const data = await preparedData(model, flags.data);
  const x = fitInput(model, data.test.x, data.name);
  const result = model.evaluate(x, fitLabels(model, data.test.y), { batchSize });
  if (flags.json) process.stdout.write(`${JSON.stringify({ model: path, data: data.name, samples: x.shape[0], ...result })}\n`);
  else process.stdout.write(`${data.name}, ${x.shape[0]} test samples: ${Object.entries(result).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(' - ')}\n`);
  return result;
}

/**
 * Reads INPUT for `predict`: an IDX image file (raw or .gz; pixels / 255) or a CSV of rows of pixel
 * values 0..255 (divided by 255), one sample per row. The first row is a header of names when none
 * of its cells is a number (a row mixing numbers and text is data, and its text cell an error).
 * Values that all lie in [0, 1] (pixels already scaled, as the book's `X / 255.`) give a warning on
 * stderr: predict divides by 255 itself.
 * @throws UsageError for a missing file, a cell that is not a number or lies outside 0..255 (with its
 * row and column), and a header whose first column is `label` (Kaggle's train.csv: drop that column).
 */
export function readPredictInput(path: string): Tensor {
  if (!existsSync(path) || !statSync(path).isFile()) throw new UsageError(`INPUT '${path}' is not a file; expected IDX images (.idx3-ubyte[.gz]) or a CSV of pixel rows.`);
  if (/\.csv$/i.test(path)) {
    const lines = readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
    const isName = (c: string): boolean => c.trim() === '' || Number.isNaN(Number(c));
    const start = lines.length > 0 && lines[0].split(',').every(isName) ? 1 : 0;
    if (start === 1 && /^\s*"?label"?\s*$/i.test(lines[0].split(',')[0])) {
      throw new UsageError(`${path}: its first column is 'label' (as Kaggle's MNIST train.csv); predict takes pixel columns only: remove that column (e.g. cut -d, -f2- ${path} > pixels.csv).`);
    }
    let largest = 0;
    const rows = lines.slice(start).map((line, r) => line.split(',').map((cell, c) => {
      const v = Number(cell);
      const where = `${path}: row ${r + start + 1}, column ${c + 1}`;
      if (cell.trim() === '' || !Number.isFinite(v)) throw new UsageError(`${where}: '${cell}' is not a number; expected pixel values 0..255.`);
      if (v < 0 || v > 255) throw new UsageError(`${where}: ${cell.trim()} is outside 0..255; predict takes raw pixel values (it divides them by 255), one image per row.`);
      largest = Math.max(largest, v);
      return v / 255;
    }));
    if (rows.length === 0) throw new UsageError(`${path}: no data rows.`);
    const width = rows[0].length;
    rows.forEach((row, r) => {
      if (row.length !== width) throw new UsageError(`${path}: row ${r + start + 1} has ${row.length} values, the first row ${width}; every row is one sample of the same size.`);
    });
    if (largest <= 1) {
      process.stderr.write(`deepwell predict: warning: every value of ${path} lies in [0, 1], as pixels already divided by 255 would; predict divides by 255 itself, so give raw pixels 0..255 (multiply by 255) unless the images are really that dark.\n`);
    }
    return new Tensor(Float32Array.from(rows.flat()), [rows.length, width]);
  }
  const idx = readIdx(path);
  if (idx.shape.length < 2) throw new UsageError(`${path}: an IDX file of rank ${idx.shape.length} (labels?); expected images [n, rows, cols].`);
  const x = new Float32Array(idx.data.length);
  for (let i = 0; i < x.length; i++) x[i] = idx.data[i] / 255;
  return new Tensor(x, idx.shape);
}

export interface PredictFlags {
  json?: boolean;
}

/** `deepwell predict MODEL_PATH INPUT`: the most probable class and its probability per sample. */
export async function runPredict(path: string, input: string, flags: PredictFlags): Promise<{ class: number; probability: number }[]> {
  const model = await loadModelArgument(path, false);
  const x = fitInput(model, readPredictInput(input), input);
  const p = model.predict(x, { batchSize: 256 });
  const classes = p.shape[p.rank - 1];
  const out: { class: number; probability: number }[] = [];
  for (let i = 0; i < p.shape[0]; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (p.data[i * classes + c] > p.data[i * classes + best]) best = c;
    out.push({ class: best, probability: p.data[i * classes + best] });
  }
  if (flags.json) process.stdout.write(`${JSON.stringify({ model: path, input, predictions: out })}\n`);
  else process.stdout.write(`${out.map((r, i) => `${i}\t${r.class}\t${r.probability.toFixed(4)}`).join('\n')}\n`);
  return out;
}

export interface ExportFlags {
  format: string;
}

/** `deepwell export MODEL_PATH --format F OUT`: the same model written in another format. */
export async function runExport(path: string, out: string, flags: ExportFlags): Promise<void> {
  const format = parseChoice('--format', flags.format, MODEL_FORMATS) as ModelFormat;
  const named = formatOfPath(out);
  if (/\.(keras|h5|hdf5|safetensors)$/i.test(out) || /(^|[\\/])model\.json$/i.test(out)) {
    if (named !== format) throw new UsageError(`OUT '${out}' names the ${named} format but --format is ${format}; give OUT the extension of the format (${format === 'keras' ? '.keras' : format === 'h5' ? '.h5' : format === 'tfjs' ? 'a folder or model.json' : 'a folder or .safetensors'}).`);
  } else if (format === 'keras' || format === 'h5') {
    // A single file without its extension would be written, then refused by every command that reads models.
    throw new UsageError(`OUT '${out}' has no extension; --format ${format} writes one file, which loadModel and the other commands recognise by its extension: name it ${out}.${format === 'keras' ? 'keras' : 'h5'}.`);
  }
  const model = await loadModelArgument(path, true);
  await model.save(out, { format });
  process.stderr.write(`deepwell export: ${path} -> ${out} (${format})\n`);
}
