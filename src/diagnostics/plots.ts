/**
 * The report's plots as Vega-Lite specifications, rendered to SVG strings in Node (no browser, no
 * network): `vegaLite.compile(spec).spec` -> `new vega.View(vega.parse(spec), { renderer: 'none' }).toSVG()`.
 * vega and vega-lite are loaded on first use, so commands without `--report` do not pay for them.
 *
 * Each plot is returned with the number of points it draws, so the HTML can state it
 * (`data-points`) and tests can check that one point per layer and series was drawn.
 */

/** A point of a by-depth plot: one layer of one series (a snapshot such as 'initialization' or 'epoch 1'). */
export interface DepthPoint {
  series: string;
  /** 1-based layer position (the output layer last). */
  depth: number;
  layer: string;
  value: number;
}

/** A rendered plot. */
export interface RenderedPlot {
  svg: string;
  /** Points drawn (values that a log scale cannot show, 0 or not finite, are left out). */
  points: number;
  /** Points left out because they are 0 or not finite on a log scale. */
  omitted: number;
  series: string[];
}

/** Plot size in pixels (the SVG adds axes and legend around it). */
const PLOT_WIDTH = 520;
const PLOT_HEIGHT = 260;

type Spec = Record<string, unknown>;

/** Renders a Vega-Lite specification to an SVG string. */
export async function renderSvg(spec: Spec): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  const compiled = vegaLite.compile(spec as unknown as Parameters<typeof vegaLite.compile>[0]).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

/** A Vega-Lite line chart with a point per value, of the plots' common size. */
function lineSpec(values: readonly object[], encoding: Spec): Spec {
  return {
    width: PLOT_WIDTH,
    height: PLOT_HEIGHT,
    data: { values: values.map((p) => ({ ...p })) },
    mark: { type: 'line', point: { size: 36 }, strokeWidth: 1.5 },
    encoding,
  };
}

/**
 * A by-depth plot on a log scale: one line with one point per layer for each series.
 * @param yTitle - the y axis title (e.g. 'activation std').
 */
export async function depthPlot(points: readonly DepthPoint[], yTitle: string, options: { log?: boolean } = {}): Promise<RenderedPlot> {
  const log = options.log ?? true;
  const shown = points.filter((p) => Number.isFinite(p.value) && (!log || p.value > 0));
  const series = [...new Set(points.map((p) => p.series))];
  const spec = lineSpec(shown, {
    x: { field: 'depth', type: 'quantitative', title: 'layer (1 = first hidden layer, last = output layer)', axis: { tickMinStep: 1, format: 'd' }, scale: { nice: false, zero: false } },
    y: { field: 'value', type: 'quantitative', title: log ? `${yTitle} (log scale)` : yTitle, scale: log ? { type: 'log' } : { zero: false }, axis: { format: log ? '.0e' : '.3~g' } },
    color: { field: 'series', type: 'nominal', title: null, sort: series },
    tooltip: [{ field: 'series' }, { field: 'depth' }, { field: 'layer' }, { field: 'value', format: '.3e' }],
  });
  return { svg: await renderSvg(spec), points: shown.length, omitted: points.length - shown.length, series };
}

/** A point of a training curve. */
export interface CurvePoint {
  series: string;
  epoch: number;
  value: number;
}

/** Training curves by epoch (linear scale), one line per series (e.g. 'loss' and 'val_loss'). */
export async function curvePlot(points: readonly CurvePoint[], yTitle: string): Promise<RenderedPlot> {
  const shown = points.filter((p) => Number.isFinite(p.value));
  const series = [...new Set(points.map((p) => p.series))];
  const spec = lineSpec(shown, {
    x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1, format: 'd' }, scale: { zero: false, nice: false } },
    y: { field: 'value', type: 'quantitative', title: yTitle, scale: { zero: false } },
    color: { field: 'series', type: 'nominal', title: null, sort: series },
    tooltip: [{ field: 'series' }, { field: 'epoch' }, { field: 'value', format: '.4f' }],
  });
  return { svg: await renderSvg(spec), points: shown.length, omitted: points.length - shown.length, series };
}

/**
 * Small multiples of by-depth plots: one panel per facet (e.g. per activation), colour per series
 * (e.g. per initializer), log scale.
 */
export async function facetedDepthPlot(points: readonly (DepthPoint & { facet: string })[], yTitle: string): Promise<RenderedPlot> {
  const shown = points.filter((p) => Number.isFinite(p.value) && p.value > 0);
  const series = [...new Set(points.map((p) => p.series))];
  const facets = [...new Set(points.map((p) => p.facet))];
  const spec: Spec = {
    data: { values: shown.map((p) => ({ ...p })) },
    facet: { field: 'facet', type: 'nominal', title: null, sort: facets },
    columns: 2,
    spec: {
      width: 300,
      height: 180,
      mark: { type: 'line', point: { size: 16 }, strokeWidth: 1 },
      encoding: {
        x: { field: 'depth', type: 'quantitative', title: 'layer', axis: { tickMinStep: 1, format: 'd' }, scale: { nice: false, zero: false } },
        y: { field: 'value', type: 'quantitative', title: `${yTitle} (log)`, scale: { type: 'log' }, axis: { format: '.0e' } },
        color: { field: 'series', type: 'nominal', title: null, sort: series },
        tooltip: [{ field: 'facet' }, { field: 'series' }, { field: 'layer' }, { field: 'value', format: '.3e' }],
      },
    },
    resolve: { scale: { y: 'independent' } },
  };
  return { svg: await renderSvg(spec), points: shown.length, omitted: points.length - shown.length, series };
}
