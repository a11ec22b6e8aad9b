/**
 * CSV files as training data: `datasets.fromCsv(path, { label: 'species' })` gives
 * `{ x, y, featureNames, classes }`, parsed with csv-parse (RFC 4180: quotes, embedded delimiters
 * and newlines, a byte-order mark).
 *
 * - x: float32 `[rows, features]`, every feature column (all columns but the label, or `features`);
 *   each cell must be a number: an empty cell, `NA` or `abc` is a DataError naming its line and column.
 * - y: float32 `[rows]`, or null without a `label`.
 *   - classification (labels that are strings, or integers): `classes` lists the distinct labels,
 *     sorted (numerically for integers, by code point for strings), and y holds each row's index
 *     into it, ready for `sparse_categorical_crossentropy` (integer labels 0 .. k-1 map to themselves);
 *   - regression (numeric labels with a fraction, or `labelType: 'number'`): y holds the values and
 *     `classes` is null.
 *
 * Node only (it reads a file); `parseCsv` does the same on text already in memory.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'csv-parse/sync';
import { DataError, ValueError, checkOneOf, checkOptionKeys, keysOf } from '../core/errors.js';
import { Tensor } from '../core/tensor.js';

export const LABEL_TYPES = ['auto', 'class', 'number'] as const;
export type LabelType = (typeof LABEL_TYPES)[number];

export interface CsvOptions {
  /** The label column: its header name, or its 0-based index. Omit for unlabelled data (y is null). */
  label?: string | number;
  /** Whether the first line holds the column names. Default true; without one, columns are named by index ('0', '1', ...). */
  header?: boolean;
  /** The field delimiter, one character or more. Default ','. */
  delimiter?: string;
  /** The feature columns (names or 0-based indices), in the order x should have them. Default: every column but the label. */
  features?: readonly (string | number)[];
  /**
   * 'class' reads the labels as class names, 'number' as values to regress, 'auto' decides:
   * numbers with a fraction are values, integers and strings are classes. Default 'auto'.
   */
  labelType?: LabelType;
}

export const CSV_OPTION_KEYS = keysOf<CsvOptions>({ label: true, header: true, delimiter: true, features: true, labelType: true });

export interface CsvDataset {
  /** Features, float32 [rows, features]. */
  x: Tensor;
  /** Labels, float32 [rows]: class indices into `classes`, or values for regression; null without a label column. */
  y: Tensor | null;
  /** The name of each column of x (the header's, or the column index as text). */
  featureNames: string[];
  /** The class of each index of y (sorted), or null for regression and unlabelled data. */
  classes: string[] | null;
}

interface Row {
  record: string[];
  info: { lines: number };
}

/** The 0-based index of a column given by name or index. @throws ValueError naming the columns. */
function columnIndex(source: string, what: string, column: string | number, names: readonly string[]): number {
  if (typeof column === 'number') {
    if (Number.isInteger(column) && column >= 0 && column < names.length) return column;
    throw new ValueError(`${source}: ${what} column ${column} is out of range; the file has ${names.length} columns (0 to ${names.length - 1}).`);
  }
  const i = names.indexOf(column);
  if (i >= 0) return i;
  const trimmed = names.findIndex((n) => n.toLowerCase() === column.toLowerCase());
  throw new ValueError(`${source}: no column named '${column}' for the ${what}; the columns are ${names.map((n) => `'${n}'`).join(', ')}.${trimmed >= 0 ? ` Did you mean '${names[trimmed]}'?` : ''}`);
}

/** A cell as a finite number, or undefined. Empty cells are not 0. */
function numberOf(cell: string): number | undefined {
  if (cell.trim() === '') return undefined;
  const v = Number(cell);
  return Number.isFinite(v) ? v : undefined;
}

function ordinal(i: number): string {
  const n = i + 1;
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/**
 * Parses CSV text (see `fromCsv`). `source` names the data in messages (the file name).
 * @throws ValueError for bad options or a label/feature column the file does not have;
 *   DataError for a malformed file (rows of different lengths, an unclosed quote), no data rows,
 *   or a feature cell (or a 'number' label) that is not a finite number, naming its line and column.
 */
export function parseCsv(text: string, options: CsvOptions = {}, source = 'CSV'): CsvDataset {
  checkOptionKeys('datasets.fromCsv', options, CSV_OPTION_KEYS);
  const header = options.header ?? true;
  const delimiter = options.delimiter ?? ',';
  if (typeof delimiter !== 'string' || delimiter.length === 0) throw new ValueError(`datasets.fromCsv: delimiter must be a non-empty string, received ${String(delimiter)}.`);
  const labelType = checkOneOf('datasets.fromCsv labelType', options.labelType ?? 'auto', LABEL_TYPES);
  let rows: Row[];
  try {
    rows = parse(text, { bom: true, delimiter, skip_empty_lines: true, trim: true, info: true }) as unknown as Row[];
  } catch (e) {
    throw new DataError(`${source}: not a valid CSV file: ${e instanceof Error ? e.message : String(e)}. Check the delimiter (${JSON.stringify(delimiter)}) and the quotes.`);
  }
  if (rows.length === 0) throw new DataError(`${source}: the file is empty; expected ${header ? 'a header line and ' : ''}rows of comma-separated values.`);
  const width = rows[0].record.length;
  const names = header ? rows[0].record.map((n, i) => (n === '' ? String(i) : n)) : rows[0].record.map((_, i) => String(i));
  const body = header ? rows.slice(1) : rows;
  if (body.length === 0) throw new DataError(`${source}: no data rows after the header line (${names.join(', ')}).`);
  const labelIndex = options.label === undefined ? -1 : columnIndex(source, 'label', options.label, names);
  const featureIndices = options.features !== undefined
    ? options.features.map((f) => columnIndex(source, 'feature', f, names))
    : names.map((_, i) => i).filter((i) => i !== labelIndex);
  if (featureIndices.includes(labelIndex)) throw new ValueError(`${source}: the label column '${names[labelIndex]}' is also listed in features; a model must not see its target.`);
  if (featureIndices.length === 0) throw new ValueError(`${source}: no feature columns (the file has only ${names.map((n) => `'${n}'`).join(', ')}).`);

  const nf = featureIndices.length;
  const x = new Float32Array(body.length * nf);
  body.forEach((row, r) => {
    if (row.record.length !== width) throw new DataError(`${source}: line ${row.info.lines} has ${row.record.length} fields, expected ${width} as on the first line.`);
    featureIndices.forEach((c, j) => {
      const cell = row.record[c];
      const v = numberOf(cell);
      if (v === undefined) {
        const what = cell.trim() === '' ? 'is empty (a missing value)' : `holds '${cell}', which is not a number`;
        throw new DataError(
          `${source}: line ${row.info.lines} (data row ${r + 1}), column '${names[c]}' (${ordinal(c)}) ${what}. Every feature must be a finite number: ` +
            'fill in or drop the rows with missing values, encode text columns as numbers, or leave the column out with the features option.',
        );
      }
      x[r * nf + j] = v;
    });
  });
  const result: CsvDataset = { x: new Tensor(x, [body.length, nf]), y: null, featureNames: featureIndices.map((c) => names[c]), classes: null };
  if (labelIndex < 0) return result;

  const cells = body.map((row) => row.record[labelIndex]);
  const values = cells.map(numberOf);
  const numeric = values.every((v) => v !== undefined);
  const regression = labelType === 'number' || (labelType === 'auto' && numeric && values.some((v) => !Number.isInteger(v)));
  if (regression) {
    const bad = values.findIndex((v) => v === undefined);
    if (bad >= 0) {
      throw new DataError(`${source}: line ${body[bad].info.lines} (data row ${bad + 1}), label column '${names[labelIndex]}' holds '${cells[bad]}', which is not a number (labelType 'number'). Fill in or drop that row, or read the labels as classes (labelType: 'class').`);
    }
    result.y = new Tensor(Float32Array.from(values as number[]), [body.length]);
    return result;
  }
  const empty = cells.findIndex((c) => c.trim() === '');
  if (empty >= 0) throw new DataError(`${source}: line ${body[empty].info.lines} (data row ${empty + 1}) has an empty label in column '${names[labelIndex]}'. Drop the unlabelled rows.`);
  // Integer labels sort as numbers (2 before 10) and keep their value when they run 0 .. k-1.
  const classes = numeric
    ? [...new Set(values as number[])].sort((a, b) => a - b).map(String)
    : [...new Set(cells)].sort();
  const index = new Map(classes.map((c, i) => [c, i]));
  result.y = new Tensor(Float32Array.from(numeric ? (values as number[]).map((v) => index.get(String(v)) ?? -1) : cells.map((c) => index.get(c) ?? -1)), [body.length]);
  result.classes = classes;
  return result;
}

/**
 * Reads a CSV file as a dataset (see `parseCsv` for the rules): `{ x, y, featureNames, classes }`.
 * @example const { x, y, classes } = await datasets.fromCsv('iris.csv', { label: 'species' });
 * @throws DataError when the file cannot be read or a cell is not what it should be (with its line
 *   and column); ValueError for bad options.
 */
export async function fromCsv(path: string, options: CsvOptions = {}): Promise<CsvDataset> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new DataError(`datasets.fromCsv: cannot read '${path}': ${(e as NodeJS.ErrnoException).code ?? String(e)}. Check the path.`);
  }
  return parseCsv(text, options, basename(path));
}
