/**
 * `deepwell initializers --shape 784,300`: for every initializer, the fans, the theoretical standard
 * deviation and bound, and the same measured on a sample of that shape: a table to read beside the
 * book's Table 11-1.
 */
import { setSeed } from '../core/random.js';
import { INITIALIZER_NAMES, get as getInitializer, initializerTheory } from '../initializers/index.js';
import { meanStd } from '../diagnostics/gradient_stats.js';
import { UsageError, parseIntList, parseInteger } from './usage_error.js';

export interface InitializerRow {
  name: string;
  fanIn: number;
  fanOut: number;
  distribution: string;
  theoryStd: number;
  bound: number | null;
  measuredMean: number;
  measuredStd: number;
  measuredMaxAbs: number;
  /** measured variance / theoretical variance (1 when they agree; null for a constant). */
  varianceRatio: number | null;
}

/** Largest sample the table draws per initializer (2^25 values, 128 MiB of float32). */
export const MAX_TABLE_SIZE = 2 ** 25;
/** Orthogonal's QR costs about 2 r c^2 flops; beyond this (a few seconds here) its row is left out. */
const MAX_ORTHOGONAL_FLOPS = 2e10;

/** Approximate flops of the Householder QR behind Orthogonal for a kernel shape. */
function orthogonalFlops(shape: readonly number[]): number {
  const cols = shape[shape.length - 1] ?? 0;
  const rows = shape.slice(0, -1).reduce((p, d) => p * d, 1);
  const [big, small] = rows >= cols ? [rows, cols] : [cols, rows];
  return 2 * big * small * small;
}

/** Samples every initializer once for `shape` (seeded) and compares with its theory. */
export function initializerTable(shape: readonly number[], seed: number): InitializerRow[] {
  setSeed(seed);
  return INITIALIZER_NAMES.flatMap((name) => {
    const init = getInitializer(name);
    if (name === 'orthogonal' && orthogonalFlops(shape) > MAX_ORTHOGONAL_FLOPS) return [];
    let values;
    try {
      values = init.apply(shape).data;
    } catch {
      return []; // e.g. identity on a shape that is not 2-D: it has no row for this shape
    }
    const theory = initializerTheory(init, shape);
    if (theory === null) return [];
    const { mean, std } = meanStd(values);
    let maxAbs = 0;
    for (let i = 0; i < values.length; i++) maxAbs = Math.max(maxAbs, Math.abs(values[i] - theory.mean));
    return [{
      name, fanIn: theory.fanIn, fanOut: theory.fanOut, distribution: theory.distribution,
      theoryStd: theory.stddev, bound: theory.bound, measuredMean: mean, measuredStd: std, measuredMaxAbs: maxAbs,
      varianceRatio: theory.stddev === 0 ? null : (std * std) / (theory.stddev * theory.stddev),
    }];
  });
}

const num = (v: number | null, digits = 5): string => (v === null ? '-' : v === 0 ? '0' : Math.abs(v) < 1e-3 ? v.toExponential(2) : v.toFixed(digits));

/** The table as aligned text. */
export function formatInitializerTable(rows: readonly InitializerRow[]): string {
  const header = ['initializer', 'fan_in', 'fan_out', 'distribution', 'std (theory)', 'bound (theory)', 'std (sample)', 'max |w-mean| (sample)', 'var ratio'];
  const body = rows.map((r) => [r.name, String(r.fanIn), String(r.fanOut), r.distribution, num(r.theoryStd), num(r.bound), num(r.measuredStd), num(r.measuredMaxAbs), num(r.varianceRatio, 4)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 || i === 3 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), ...body.map(line)].join('\n');
}

export interface InitializersFlags {
  shape: string;
  seed: string;
  json?: boolean;
}

/** Runs `deepwell initializers`. */
export function runInitializers(flags: InitializersFlags): void {
  const shape = parseIntList('--shape', flags.shape);
  const size = shape.reduce((p, d) => p * d, 1);
  if (size > MAX_TABLE_SIZE) {
    throw new UsageError(`Invalid value for --shape: [${shape.join(', ')}] has ${size.toLocaleString('en-US')} values; the table samples every initializer at full size, so keep it at most ${MAX_TABLE_SIZE.toLocaleString('en-US')} (e.g. 4096,4096).`);
  }
  const rows = initializerTable(shape, parseInteger('--seed', flags.seed));
  if (flags.json === true) {
    process.stdout.write(`${JSON.stringify({ shape, initializers: rows })}\n`);
    return;
  }
  process.stdout.write(`Kernel shape [${shape.join(', ')}] (Keras layout: Dense [fan_in, fan_out], conv [kh, kw, in, out]); one sample of ${shape.reduce((p, d) => p * d, 1)} values each.\n`);
  process.stdout.write(`${formatInitializerTable(rows)}\n`);
  if (orthogonalFlops(shape) > MAX_ORTHOGONAL_FLOPS) process.stdout.write('orthogonal is left out: its QR decomposition at this size would take minutes.\n');
  process.stdout.write('var ratio = sample variance / theoretical variance (1 within sampling error). Glorot: 1/fan_avg; He: 2/fan_in; LeCun: 1/fan_in.\n');
}
