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

/** Column widths of tf.keras 2's functional summary: name, output shape, params, connected to. */
const FUNCTIONAL_MIN_WIDTHS = [31, 21, 12, 32] as const;

/** One row of a functional summary: a layer, its output shape and the tensors it is called on (`dense[0][0]`). */
export interface FunctionalSummaryRow {
  layer: Layer;
  shape: SymbolicShape;
  connected: readonly string[];
}

/**
 * The summary table of a functional model (tf.keras 2 layout) with Keras's "Connected to" column:
 * one input tensor per line (`['dense[0][0]',` then `'input_layer[0][0]']`), `[]` for an InputLayer.
 */
export function functionalSummaryTable(modelName: string, rows: readonly FunctionalSummaryRow[]): string {
  const cells = rows.map((r) => {
    const links = r.connected.length === 0 ? ['[]'] : r.connected.map((c, i) => `${i === 0 ? '[' : ' '}'${c}'${i === r.connected.length - 1 ? ']' : ','}`);
    return { main: [`${r.layer.name} (${r.layer.className})`, fmtShape(r.shape), formatCount(r.layer.countParams())], links };
  });
  const widths = FUNCTIONAL_MIN_WIDTHS.map((w, col) => Math.max(w, ...cells.map((c) => (col < 3 ? c.main[col] : c.links.reduce((m, l) => (l.length > m.length ? l : m), '')).length + 2)));
  const LINE = widths.reduce((p, w) => p + w, 0) - 2;
  const lines = [`Model: "${modelName}"`, '_'.repeat(LINE), row(['Layer (type)', 'Output Shape', 'Param #', 'Connected to'], widths), '='.repeat(LINE)];
  cells.forEach((c, i) => {
    lines.push(row([...c.main, c.links[0]], widths));
    for (const extra of c.links.slice(1)) lines.push(row(['', '', '', extra], widths));
    if (i < cells.length - 1) lines.push('_'.repeat(LINE));
  });
  const layers = rows.map((r) => r.layer);
  const trainable = layers.reduce((p, l) => p + l.trainableWeights.reduce((q, w) => q + w.size, 0), 0);
  const total = layers.reduce((p, l) => p + l.countParams(), 0);
  lines.push('='.repeat(LINE), `Total params: ${formatCount(total)}`, `Trainable params: ${formatCount(trainable)}`,
    `Non-trainable params: ${formatCount(total - trainable)}`, '_'.repeat(LINE));
  return lines.join('\n');
}
