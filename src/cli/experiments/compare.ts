/**
 * The shape most of the chapter's experiments share: a list of configurations, each trained for
 * every seed on the same splits, a table of val_accuracy (epoch 1 and last) and test accuracy
 * beside the book's figure, and a claim over the seeds. Used by nonsaturating, optimizers,
 * schedules and regularization.
 */
import type { Callback } from '../../callbacks/callback.js';
import type { Sequential } from '../../models/sequential.js';
import { type Claim, type CommonFlags, type Run, type Sizes, at, describeRun, finish, loadSplits, parseCommonFlags, pm, trainRun, type Splits, type CommonSettings } from './common.js';

export interface CompareConfig {
  name: string;
  build: (splits: Splits) => Sequential;
  compile: (model: Sequential, settings: CommonSettings, splits: Splits) => void;
  callbacks?: (settings: CommonSettings, splits: Splits) => Callback[];
  /** The book's figure for this configuration (e.g. '0.8396 (A4, epoch 10)'), or ''. */
  book: string;
  /** Extra test figures computed from the trained model (e.g. MC dropout accuracy). */
  extraTest?: (model: Sequential, splits: Splits) => Record<string, number>;
}

export interface CompareSpec {
  experiment: string;
  sizes: Sizes;
  standardize: boolean;
  configs: readonly CompareConfig[];
  model: string;
  claim: (runs: readonly Run[], settings: CommonSettings) => Claim;
  notes: string[];
  extraColumns?: { header: string; value: (runs: readonly Run[]) => string }[];
}

export async function runCompare(spec: CompareSpec, flags: CommonFlags): Promise<Record<string, unknown>> {
  const started = performance.now();
  const s = parseCommonFlags(flags, spec.sizes);
  const splits = await loadSplits(s, spec.standardize);
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  log(`deepwell experiment ${spec.experiment}: ${describeRun(s, splits)}; ${spec.model}`);
  const runs: Run[] = [];
  for (const seed of s.seeds) {
    for (const c of spec.configs) {
      const r = await trainRun({ config: c.name, seed, splits, epochs: s.epochs, build: () => c.build(splits), compile: (m) => c.compile(m, s, splits), callbacks: c.callbacks !== undefined ? () => c.callbacks?.(s, splits) ?? [] : undefined }, log);
      if (c.extraTest !== undefined && r.stopped === null) Object.assign(r.test, c.extraTest(r.model, splits));
      runs.push({ ...r, model: undefined } as Run);
    }
  }
  const e = s.epochs;
  const rows = spec.configs.map((c) => {
    const rs = runs.filter((r) => r.config === c.name);
    return [c.name, pm(rs.map((r) => at(r, 'val_accuracy', 1))), pm(rs.map((r) => at(r, 'val_accuracy', e))), pm(rs.map((r) => r.test.accuracy ?? NaN)), ...(spec.extraColumns ?? []).map((x) => x.value(rs)), c.book];
  });
  return finish({
    experiment: spec.experiment, settings: s, started, claim: spec.claim(runs, s), runs, notes: spec.notes,
    dataLine: `${describeRun(s, splits)}; ${spec.model}`,
    table: { header: ['configuration', 'val_acc epoch 1', `val_acc epoch ${e}`, 'test accuracy', ...(spec.extraColumns ?? []).map((x) => x.header), 'book (val_accuracy, last epoch)'], rows },
  });
}
