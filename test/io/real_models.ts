// Real model files from the project workspace's shared data folder (models/; outside the repository). Tests that use
// them skip with a plain message when the folder is absent (a clone outside this workspace).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Tensor } from '../../src/core/tensor.js';
import { readIdx } from '../../src/data/idx.node.js';
import { fileURLToPath } from 'node:url';

export const MODELS = fileURLToPath(new URL('../../../../shared/data/models/', import.meta.url));
export const HAVE_MODELS = existsSync(MODELS);
/** ../shared/data: the MNIST and Fashion-MNIST files next to the models. */
export const DATA = join(MODELS, '..');
export const SKIP_MODELS: string | false = !HAVE_MODELS && `${MODELS} is absent (real model files live outside the repository)`;

/** Every model.json holding a TF.js weights manifest: the tfjs-* folders and every derived-tfjs-layout. */
export function tfjsModelJsonPaths(): string[] {
  if (!HAVE_MODELS) return [];
  const out: string[] = [];
  for (const dir of readdirSync(MODELS).sort()) {
    for (const candidate of [join(MODELS, dir, 'model.json'), join(MODELS, dir, 'derived-tfjs-layout', 'model.json')]) {
      if (!existsSync(candidate)) continue;
      const json = JSON.parse(readFileSync(candidate, 'utf8')) as { weightsManifest?: unknown };
      if (json.weightsManifest !== undefined) out.push(candidate);
    }
  }
  return out;
}

export const bits = (a: ArrayLike<number>): Uint32Array => new Uint32Array(Float32Array.from(a).buffer);

/** Images of an IDX file as [n, 784] floats x / 255 (the authors' preprocessing), rows `keep` only when given. */
export function idxImages(path: string, keep?: number[]): Tensor {
  const idx = readIdx(path);
  const rows = keep ?? Array.from({ length: idx.shape[0] }, (_, i) => i);
  const x = new Float32Array(rows.length * 784);
  rows.forEach((r, j) => { for (let p = 0; p < 784; p++) x[j * 784 + p] = idx.data[r * 784 + p] / 255; });
  return new Tensor(x, [rows.length, 784]);
}

/**
 * The HML "task A" subset of Fashion-MNIST: classes `drop` removed, the others renumbered in
 * ascending order (HML3 drops 0 (T-shirt) and 2 (pullover); HML2 drops 5 (sandal) and 6 (shirt)).
 */
export function taskA(drop: [number, number]): { x: Tensor; labels: number[] } {
  const y = readIdx(join(DATA, 'fashion-mnist/derived-idx/t2k-labels-idx1-ubyte.gz')).data;
  const keep: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < y.length; i++) {
    if (drop.includes(y[i])) continue;
    keep.push(i);
    labels.push(y[i] - drop.filter((d) => d < y[i]).length);
  }
  return { x: idxImages(join(DATA, 'fashion-mnist/derived-idx/t2k-images-idx3-ubyte.gz'), keep), labels };
}

/** The arg-max class of each row of `p` [n, k]. */
export function argmax(p: ArrayLike<number>, k: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < p.length / k; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (p[i * k + c] > p[i * k + best]) best = c;
    out.push(best);
  }
  return out;
}

