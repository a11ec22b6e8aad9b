/** The Keras-style model summary table (tf.keras 2 layout: name (type), output shape, params). */
import type { Layer, SymbolicShape } from '../layers/layer.js';

/** Keras's column widths; a longer cell widens its column instead of running into the next. */
const MIN_WIDTHS = [29, 26, 12] as const;

function fmtShape(s: SymbolicShape): string {
  return `(${s.map((d) => (d === null ? 'None' : String(d))).join(', ')}${s.length === 1 ? ',' : ''})`;
}

function row(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((c, i) => ` ${c}`.padEnd(widths[i])).join('').trimEnd();
}

/** Formats a count with thousands separators, as Keras prints it (266,610). */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** The summary table of a model's layers with their output shapes and parameter counts. */
export function summaryTable(modelName: string, layers: readonly Layer[], outputShapes: readonly SymbolicShape[]): string {
  const cells = layers.map((l, i) => [`${l.name} (${l.className})`, fmtShape(outputShapes[i]), formatCount(l.countParams())]);
  const widths = MIN_WIDTHS.map((w, col) => Math.max(w, ...cells.map((c) => c[col].length + 2)));
  const LINE = widths.reduce((p, w) => p + w, 0) - 2;
  const lines = [`Model: "${modelName}"`, '_'.repeat(LINE), row(['Layer (type)', 'Output Shape', 'Param #'], widths), '='.repeat(LINE)];
  cells.forEach((c, i) => {
    lines.push(row(c, widths));
    if (i < cells.length - 1) lines.push('_'.repeat(LINE));
  });
  const trainable = layers.reduce((p, l) => p + l.trainableWeights.reduce((q, w) => q + w.size, 0), 0);
  const total = layers.reduce((p, l) => p + l.countParams(), 0);
  lines.push('='.repeat(LINE), `Total params: ${formatCount(total)}`, `Trainable params: ${formatCount(trainable)}`,
    `Non-trainable params: ${formatCount(total - trainable)}`, '_'.repeat(LINE));
  return lines.join('\n');
}
