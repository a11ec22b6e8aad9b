import type { TypedArray } from '../../core/dtype.js';

/**
 * Fused softmax + crossentropy over the last axis (see `Kernels.softmaxCrossentropy`), one pass per
 * row r of logits z [rows, classes] and targets t [rows, classes]:
 *   m = max z, s = sum exp(z - m), lse = m + log s,
 *   loss[r] = -sum_c t_c ((z_c - m) - log s)                   (= -sum t log_softmax(z)),
 *   dLogits[r, c] = p_c T - t_c, p = exp(z - m) / s, T = sum_c t_c   (d loss[r] / d z_c),
 * in float64, each stored value rounded once. Stable for any finite logits: [1000, 0, -1000] with
 * target class 1 gives loss 1000 exactly.
 */
export function softmaxCrossentropy(logits: TypedArray, targets: TypedArray, rows: number, classes: number,
  loss: TypedArray, dLogits: TypedArray | null, logSumExp: Float64Array): void {
  for (let r = 0; r < rows; r++) {
    const base = r * classes;
    let m = -Infinity;
    for (let c = 0; c < classes; c++) if (logits[base + c] > m) m = logits[base + c];
    let s = 0;
    for (let c = 0; c < classes; c++) s += Math.exp(logits[base + c] - m);
    const logS = Math.log(s);
    let acc = 0;
    let total = 0;
    for (let c = 0; c < classes; c++) {
      const t = targets[base + c];
      acc += t * ((logits[base + c] - m) - logS);
      total += t;
    }
    loss[r] = -acc;
    logSumExp[r] = m + logS;
    if (dLogits !== null) {
      for (let c = 0; c < classes; c++) dLogits[base + c] = (Math.exp(logits[base + c] - m) / s) * total - targets[base + c];
    }
  }
}
