/**
 * The playground's plots: Vega-Lite specifications compiled once and rendered by Vega Views whose
 * `table` data set is replaced at each snapshot (vega's View API, no hand-drawn SVG). Each plot
 * lives in a `<figure data-testid="plot-ID">`, whose `data-points` says how many rows it draws.
 */
import { View, parse } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

type Row = Record<string, unknown>;

const WIDTH = 300;
const HEIGHT = 180;
const FONT = { labelFontSize: 11, titleFontSize: 12 };
const CONFIG = { axis: FONT, legend: { ...FONT, orient: 'bottom' as const, direction: 'horizontal' as const }, view: { stroke: null } };

/** Log-scale y by depth, one line per series (with points, so each layer is a mark). */
function byDepth(yTitle: string): TopLevelSpec {
  return {
    width: WIDTH, height: HEIGHT, config: CONFIG, data: { name: 'table' },
    mark: { type: 'line', point: true, tooltip: true },
    encoding: {
      x: { field: 'depth', type: 'quantitative', title: 'depth (hidden layer)', axis: { tickMinStep: 1 } },
      y: { field: 'value', type: 'quantitative', title: yTitle, scale: { type: 'log' } },
      color: { field: 'series', type: 'nominal', title: null },
      strokeDash: { field: 'theory', type: 'nominal', legend: null },
    },
  };
}

export const SPECS: Record<string, TopLevelSpec> = {
  loss: {
    width: WIDTH, height: HEIGHT, config: CONFIG, data: { name: 'table' },
    mark: { type: 'line', tooltip: true },
    encoding: {
      x: { field: 'step', type: 'quantitative', title: 'step' },
      y: { field: 'loss', type: 'quantitative', title: 'training loss', scale: { zero: false } },
    },
  },
  accuracy: {
    width: WIDTH, height: HEIGHT, config: CONFIG, data: { name: 'table' },
    mark: { type: 'line', tooltip: true },
    encoding: {
      x: { field: 'step', type: 'quantitative', title: 'step' },
      y: { field: 'value', type: 'quantitative', title: 'accuracy', scale: { domain: [0, 1] } },
      color: { field: 'series', type: 'nominal', title: null },
    },
  },
  activations: byDepth('activation std / RMS'),
  gradients: byDepth('gradient std'),
  histograms: {
    width: WIDTH, height: HEIGHT, config: CONFIG, data: { name: 'table' },
    mark: { type: 'rect', tooltip: true },
    encoding: {
      x: { field: 'x0', type: 'quantitative', title: 'activation value', bin: { binned: true } },
      x2: { field: 'x1' },
      y: { field: 'depth', type: 'ordinal', title: 'depth' },
      color: { field: 'value', type: 'quantitative', title: 'fraction', scale: { scheme: 'blues', type: 'sqrt' } },
    },
  },
  weights: {
    width: WIDTH, height: HEIGHT, config: CONFIG, data: { name: 'table' },
    layer: [
      {
        transform: [{ filter: "datum.kind === 'measured'" }],
        mark: { type: 'rect', opacity: 0.7, tooltip: true },
        encoding: {
          x: { field: 'x0', type: 'quantitative', title: 'weight value', bin: { binned: true } },
          x2: { field: 'x1' },
          y: { field: 'value', type: 'quantitative', title: 'density' },
        },
      },
      {
        transform: [{ filter: "datum.kind === 'theory'" }],
        mark: { type: 'line', color: '#c0392b', strokeWidth: 2 },
        encoding: { x: { field: 'x0', type: 'quantitative' }, y: { field: 'value', type: 'quantitative' } },
      },
    ],
  },
  boundary: {
    width: WIDTH, height: WIDTH, config: CONFIG, data: { name: 'table' },
    layer: [
      {
        transform: [{ filter: "datum.kind === 'grid'" }],
        mark: { type: 'square', size: 60, opacity: 0.6 },
        encoding: {
          x: { field: 'x', type: 'quantitative', title: 'x₀', scale: { zero: false, nice: false } },
          y: { field: 'y', type: 'quantitative', title: 'x₁', scale: { zero: false, nice: false } },
          color: { field: 'cls', type: 'nominal', title: 'class', scale: { scheme: 'set2' } },
          opacity: { field: 'p', type: 'quantitative', legend: null, scale: { range: [0.05, 0.7] } },
        },
      },
      {
        transform: [{ filter: "datum.kind === 'point'" }],
        mark: { type: 'circle', size: 14, stroke: '#222', strokeWidth: 0.5, opacity: 1 },
        encoding: {
          x: { field: 'x', type: 'quantitative' },
          y: { field: 'y', type: 'quantitative' },
          color: { field: 'cls', type: 'nominal', scale: { scheme: 'set2' } },
        },
      },
    ],
  },
};

const views = new Map<string, View>();

/** Replaces the rows of plot `id` (rendering it the first time). */
export async function updatePlot(id: string, rows: Row[]): Promise<void> {
  const figure = document.querySelector<HTMLElement>(`[data-testid="plot-${id}"]`);
  if (figure === null) return;
  let view = views.get(id);
  if (view === undefined) {
    const container = figure.querySelector<HTMLElement>('.chart') ?? figure;
    // The boundary has 1600 cells: canvas draws them faster than SVG.
    view = new View(parse(compile(SPECS[id]).spec), { renderer: id === 'boundary' ? 'canvas' : 'svg', container, hover: true });
    views.set(id, view);
  }
  await view.data('table', rows).runAsync();
  figure.dataset.points = String(rows.length);
}

/** The rows of plot `id` as drawn (for tests and scripts: `window.deepwellPlayground.rows('gradients')`). */
export function plotRows(id: string): Row[] {
  return (views.get(id)?.data('table') ?? []) as Row[];
}
