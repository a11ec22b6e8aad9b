/**
 * The chapter's experiments, one command each (`deepwell experiment NAME`), in the order of
 * HML ch. 11; `deepwell experiment list` prints this table.
 */
import type { CommonFlags } from './common.js';
import { runSeluSimulation } from './selu_simulation.js';
import { runDeepSelu } from './deep_selu.js';
import { runBatchNorm } from './batch_norm.js';
import { CLIP_DEPTH, CLIP_LR, runClipping } from './clipping.js';
import { runTransfer } from './transfer.js';
import { runNonsaturating } from './nonsaturating.js';
import { runOptimizers } from './optimizers.js';
import { runSchedules } from './schedules.js';
import { runRegularization } from './regularization.js';
import { runPlainVsResidual } from './plain_vs_residual.js';

export interface ExperimentEntry {
  name: string;
  /** The book's section(s), as in shared/reference/book-ch11.md (or the paper, for experiments beyond the chapter). */
  section: string;
  /** Where it comes from, for the command's help; default 'HML ch. 11' and the section. */
  source?: string;
  summary: string;
  run: ((flags: CommonFlags) => Promise<Record<string, unknown>>) | null;
}

export const EXPERIMENTS: readonly ExperimentEntry[] = [
  { name: 'selu-simulation', section: 'A3', summary: '1,000 layers of SELU + LeCun on N(0,1) inputs keep mean 0 / std 1; ReLU + LeCun vanishes, ReLU + He holds (no training)', run: runSeluSimulation },
  { name: 'deep-selu', section: 'A6, A7', summary: '100 x Dense(100): SELU + lecun_normal against ReLU + he_normal, SGD 1e-3, 5 epochs', run: runDeepSelu },
  { name: 'batch-norm', section: 'B1, B2', summary: 'the book\'s 300/100 model with BN after and before the activation, against none; SGD 1e-3', run: runBatchNorm },
  { name: 'clipping', section: 'C', summary: `an exploding setup (${CLIP_DEPTH} x ReLU, SGD lr ${CLIP_LR}) without clipping and with clipvalue, clipnorm, global_clipnorm 1.0`, run: runClipping },
  { name: 'transfer', section: 'D', summary: 'model A / model B: reuse + freeze + unfreeze against model B from scratch on 200 images; the error-rate ratio', run: runTransfer },
  { name: 'nonsaturating', section: 'A4, A5', summary: 'the 300/100 MLP with ReLU, leaky ReLU, PReLU, ELU, SELU, GELU, Swish; SGD 1e-3', run: runNonsaturating },
  { name: 'optimizers', section: 'E', summary: 'SGD, momentum, Nesterov, Adagrad, RMSprop, Adam, Adamax, Nadam, AdamW on hml3\'s 3 x 100 model', run: runOptimizers },
  { name: 'schedules', section: 'F', summary: 'constant, power, exponential, piecewise, plateau and 1cycle learning rates with SGD', run: runSchedules },
  { name: 'regularization', section: 'G', summary: 'L2, dropout, alpha dropout, MC dropout, max-norm against none', run: runRegularization },
  { name: 'plain-vs-residual', section: 'He 2016 Fig. 1', source: 'He et al. 2016 (arXiv:1512.03385), Fig. 1', summary: 'plain vs residual convnets of 8, 20, 32 layers without batch norm: first-layer gradient std at init, training loss after N steps', run: runPlainVsResidual },
];

/** `deepwell experiment list`: one line per experiment (with init-grid, which has its own flags). */
export function experimentList(): string {
  const rows = [...EXPERIMENTS.map((e) => [e.name, e.section, e.summary]), ['init-grid', 'A1-A2', 'activations x initializers on a deep MLP: diagnosis at initialization and a few epochs (Glorot & Bengio 2010, He et al. 2015)']];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  return [`${'experiment'.padEnd(w0)}  ${'book'.padEnd(w1)}  what it shows`, ...rows.map((r) => `${r[0].padEnd(w0)}  ${r[1].padEnd(w1)}  ${r[2]}`),
    '', 'Each: deepwell experiment NAME [--quick] [--seeds N] [--data mnist|DIR] [--json] [--report FILE.html]'].join('\n');
}
