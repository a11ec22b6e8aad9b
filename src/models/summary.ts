/** The Keras-style model summary table (tf.keras 2 layout: name (type), output shape, params). */
import type { Layer, SymbolicShape } from '../layers/layer.js';

const WIDTHS = [29, 26, 12] as const;
const LINE = 65;

function fmtShape(s: SymbolicShape): string {
  return `(${s.map((d) => (d === null ? 'None' : String(d))).join(', ')}${s.length === 1 ? ',' : ''})`;
}

function row(cells: readonly string[]): string {
  return cells.map((c, i) => ` ${c}`.padEnd(WIDTHS[i])).join('').trimEnd();
}

/** Formats a count with thousands separators, as Keras prints it (266,610). */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** The summary table of a model's layers with their output shapes and parameter counts. */
export function summaryTable(modelName: string, layers: readonly Layer[], outputShapes: readonly SymbolicShape[]): string {
  const lines = [`Model: "${modelName}"`, '_'.repeat(LINE), row(['Layer (type)', 'Output Shape', 'Param #']), '='.repeat(LINE)];
  layers.forEach((l, i) => {
    lines.push(row([`${l.name} (${l.className})`, fmtShape(outputShapes[i]), formatCount(l.countParams())]));
    if (i < layers.length - 1) lines.push('_'.repeat(LINE));
  });
  const trainable = layers.reduce((p, l) => p + l.trainableWeights.reduce((q, w) => q + w.size, 0), 0);
  const total = layers.reduce((p, l) => p + l.countParams(), 0);
  lines.push('='.repeat(LINE), `Total params: ${formatCount(total)}`, `Trainable params: ${formatCount(trainable)}`,
    `Non-trainable params: ${formatCount(total - trainable)}`, '_'.repeat(LINE));
  return lines.join('\n');
}
