/**
 * One backward rule per primitive. Each rule receives the node and the gradient of the loss with
 * respect to the node's output (`dy`, in the output's shape) and returns the gradient for each
 * input in that input's shape, or null for inputs that take none. The table's type lists every
 * `OpKind`, so a primitive without a rule does not compile.
 */
import { type TypedArray, allocate, allocateUninitialized, dtypeOf } from '../core/dtype.js';
import { type Shape, sizeOf, stridesOf } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { kernels } from '../kernels/index.js';
import type { Node, OpKind } from './node.js';
import { featureLayout } from './primitives.js';
import { convColumns, isPointwise } from './conv.js';
import { SCRATCH_SLOTS, scratch } from '../kernels/scratch.js';
import { broadcastTo, unbroadcast } from './unbroadcast.js';

type Grads = (TypedArray | null)[];
export type BackwardRule<K extends OpKind> = (node: Node<K>, dy: TypedArray) => Grads;

/** Shape of a reduction's output with the reduced axes kept as 1 (same data layout). */
function keptShape(shape: Shape, axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

function mul(a: TypedArray, aShape: Shape, b: TypedArray, bShape: Shape, shape: Shape): TypedArray {
  return kernels.binary('mul', a, aShape, b, bShape, shape);
}

export const backwardRules: { [K in OpKind]: BackwardRule<K> } = {
  // d op(x) = op'(x) dx
  unary: (n, dy) => [kernels.unaryBackward(n.attrs.op, n.inputs[0].data, n.outData, dy, n.attrs.alpha)],

  binary: (n, dy) => {
    const [a, b] = n.inputs;
    const s = n.outShape;
    let da: TypedArray | null;
    let db: TypedArray | null;
    switch (n.attrs.op) {
      case 'add': // d(a+b) = da + db
        da = dy; db = dy; break;
      case 'sub': // d(a-b) = da - db
        da = dy; db = kernels.unary('neg', dy); break;
      case 'mul': // d(a*b) = b da + a db
        da = mul(dy, s, b.data, b.shape, s); db = mul(dy, s, a.data, a.shape, s); break;
      case 'div': { // d(a/b) = da/b - (a/b)/b db
        da = kernels.binary('div', dy, s, b.data, b.shape, s);
        const q = kernels.binary('div', n.outData, s, b.data, b.shape, s);
        db = kernels.unary('neg', mul(dy, s, q, s, s));
        break;
      }
      case 'maximum': case 'minimum': { // the gradient goes to the selected input (a on ties)
        const aBig = broadcastTo(a.data, a.shape, s);
        const bBig = broadcastTo(b.data, b.shape, s);
        const pickA = allocate(dtypeOf(dy), dy.length);
        const isMax = n.attrs.op === 'maximum';
        for (let i = 0; i < dy.length; i++) pickA[i] = (isMax ? aBig[i] >= bBig[i] : aBig[i] <= bBig[i]) || Number.isNaN(aBig[i]) ? 1 : 0;
        da = mul(dy, s, pickA, s, s);
        db = allocate(dtypeOf(dy), dy.length);
        for (let i = 0; i < dy.length; i++) db[i] = dy[i] - da[i];
        break;
      }
      case 'pow': { // d(a^b) = b a^(b-1) da + a^b log(a) db  (log term 0 where a <= 0)
        const aBig = broadcastTo(a.data, a.shape, s);
        const bBig = broadcastTo(b.data, b.shape, s);
        da = allocate(dtypeOf(dy), dy.length);
        db = allocate(dtypeOf(dy), dy.length);
        for (let i = 0; i < dy.length; i++) {
          da[i] = dy[i] * bBig[i] * aBig[i] ** (bBig[i] - 1);
          db[i] = aBig[i] > 0 ? dy[i] * n.outData[i] * Math.log(aBig[i]) : 0;
        }
        break;
      }
      case 'greater': case 'equal': // piecewise constant: zero gradient
        return [null, null];
      default:
        return n.attrs.op satisfies never;
    }
    return [unbroadcast(da, s, a.shape), unbroadcast(db, s, b.shape)];
  },

  // d where(c, a, b) = where(c, da, 0) + where(c, 0, db)
  where: (n, dy) => {
    const [c, a, b] = n.inputs;
    const s = n.outShape;
    const zero = allocate(dtypeOf(dy), 1);
    const da = kernels.where(c.data, c.shape, dy, s, zero, [], s);
    const db = kernels.where(c.data, c.shape, zero, [], dy, s, s);
    return [null, unbroadcast(da, s, a.shape), unbroadcast(db, s, b.shape)];
  },

  // d sum(x) = broadcast(dy)
  sum: (n, dy) => {
    const x = n.inputs[0];
    return [broadcastTo(dy, keptShape(x.shape, n.attrs.axes), x.shape)];
  },

  // d max(x) = [x == max] broadcast(dy)
  max: (n, dy) => {
    const x = n.inputs[0];
    const kept = keptShape(x.shape, n.attrs.axes);
    const isMax = kernels.binary('equal', x.data, x.shape, n.outData, kept, x.shape);
    return [kernels.binary('mul', isMax, x.shape, dy, kept, x.shape)];
  },

  // reshape moves no data: dx = dy
  reshape: (_n, dy) => [dy],

  // d transpose(x, p) = transpose(dy, p^-1)
  transpose: (n, dy) => {
    const inverse = new Array<number>(n.attrs.perm.length);
    n.attrs.perm.forEach((p, i) => (inverse[p] = i));
    return [kernels.transpose(dy, n.outShape, inverse)];
  },

  // d slice(x) = dy placed back in a zero tensor of x's shape
  slice: (n, dy) => {
    const x = n.inputs[0];
    const dx = allocate(dtypeOf(dy), x.size);
    const { begin, size } = n.attrs;
    const rank = x.rank;
    if (dy.length === 0) return [dx];
    const strides = stridesOf(x.shape);
    const inner = size[rank - 1];
    const counter = new Array<number>(Math.max(rank - 1, 0)).fill(0);
    for (let r = 0; r < dy.length / inner; r++) {
      let off = begin[rank - 1];
      for (let d = 0; d < rank - 1; d++) off += (begin[d] + counter[d]) * strides[d];
      dx.set(dy.subarray(r * inner, (r + 1) * inner), off);
      for (let d = rank - 2; d >= 0; d--) {
        if (++counter[d] < size[d]) break;
        counter[d] = 0;
      }
    }
    return [dx];
  },

  // d concat(xs) = the matching slices of dy
  concat: (n, dy) => {
    const axis = n.attrs.axis;
    let offset = 0;
    return n.inputs.map((t) => {
      const begin = n.outShape.map((_, i) => (i === axis ? offset : 0));
      offset += t.shape[axis];
      return kernels.slice(dy, n.outShape, begin, t.shape);
    });
  },

  // C = op(A) op(B): dA and dB by two GEMMs, never materializing a transpose
  matmul: (n, dy) => {
    const [a, b] = n.inputs;
    const { transA, transB } = n.attrs;
    const [m, nn] = n.outShape;
    const k = transA ? a.shape[0] : a.shape[1];
    const da = allocateUninitialized(dtypeOf(dy), a.size);
    const db = allocateUninitialized(dtypeOf(dy), b.size);
    if (!transA && !transB) { // dA = dC B^T ; dB = A^T dC
      kernels.gemm(false, true, m, k, nn, 1, dy, b.data, 0, da);
      kernels.gemm(true, false, k, nn, m, 1, a.data, dy, 0, db);
    } else if (transA && !transB) { // A [k,m]: dA = B dC^T ; dB = A dC
      kernels.gemm(false, true, k, m, nn, 1, b.data, dy, 0, da);
      kernels.gemm(false, false, k, nn, m, 1, a.data, dy, 0, db);
    } else if (!transA && transB) { // B [n,k]: dA = dC B ; dB = dC^T A
      kernels.gemm(false, false, m, k, nn, 1, dy, b.data, 0, da);
      kernels.gemm(true, false, nn, k, m, 1, dy, a.data, 0, db);
    } else { // A [k,m], B [n,k]: dA = B^T dC^T ; dB = dC^T A^T
      kernels.gemm(true, true, k, m, nn, 1, b.data, dy, 0, da);
      kernels.gemm(true, true, nn, k, m, 1, dy, a.data, 0, db);
    }
    return [da, db];
  },

  // y = act(z), z = x W + b: dz = act'(z) dy; dx = dz W^T; dW = x^T dz; db = sum_rows dz
  dense: (n, dy) => {
    const [x, kernel] = n.inputs;
    const inFeatures = kernel.shape[0];
    const units = kernel.shape[1];
    const rows = x.size / inFeatures;
    const dtype = dtypeOf(dy);
    const dx = x.requiresGrad ? allocateUninitialized(dtype, x.size) : null;
    const dW = kernel.requiresGrad ? allocateUninitialized(dtype, kernel.size) : null;
    const db = n.attrs.hasBias && n.inputs[2].requiresGrad ? allocate(dtype, units) : null;
    kernels.denseBackward(x.data, kernel.data, n.outData, dy, rows, inFeatures, units, n.attrs.activation, n.attrs.alpha, dx, dW, db);
    const grads: Grads = [dx, dW];
    if (n.attrs.hasBias) grads.push(db);
    return grads;
  },

  // y = xhat g + b, xhat = (x - mean) s, s = 1/sqrt(var + eps): dbeta = sum dy; dgamma = sum dy xhat;
  // training (mean, var of this batch, n values per feature): dx = g s (dy - dbeta/n - xhat dgamma/n);
  // inference (constant statistics): dx = g s dy
  batch_norm: (n, dy) => {
    const x = n.inputs[0];
    const gamma = n.attrs.hasGamma ? n.inputs[1] : null;
    const { outer, features, inner } = featureLayout(x.shape, n.attrs.axis);
    const sumDy = new Float64Array(features);
    const sumDyXhat = new Float64Array(features);
    const dx = x.requiresGrad ? allocateUninitialized(dtypeOf(dy), x.size) : null;
    kernels.batchNormBackward(x.data, dy, outer, features, inner, gamma?.data ?? null, n.attrs.mean, n.attrs.invStd,
      n.attrs.training, dx, sumDy, sumDyXhat);
    const perFeature = (t: Tensor, v: Float64Array): TypedArray | null => {
      if (!t.requiresGrad) return null;
      const out = allocate(t.dtype, features);
      out.set(v);
      return out;
    };
    const grads: Grads = [dx];
    if (gamma !== null) grads.push(perFeature(gamma, sumDyXhat));
    if (n.attrs.hasBeta) grads.push(perFeature(n.inputs[n.inputs.length - 1], sumDy));
    return grads;
  },

  // loss_r = -sum_c t_c (z_c - lse_r): dz = dy_r (softmax(z) sum(t) - t) (kept by the forward); dt = -dy_r (z_c - lse_r)
  softmax_crossentropy: (n, dy) => {
    const [logits, targets] = n.inputs;
    const { dLogits, logSumExp, classes } = n.attrs;
    const rows = logSumExp.length;
    let dz: TypedArray | null = null;
    if (logits.requiresGrad && dLogits !== null) {
      dz = allocateUninitialized(dtypeOf(dy), logits.size);
      for (let r = 0; r < rows; r++) {
        const g = dy[r];
        const base = r * classes;
        for (let c = 0; c < classes; c++) dz[base + c] = g * dLogits[base + c];
      }
    }
    let dt: TypedArray | null = null;
    if (targets.requiresGrad) {
      dt = allocateUninitialized(dtypeOf(dy), targets.size);
      const z = logits.data;
      for (let r = 0; r < rows; r++) {
        const g = dy[r];
        const base = r * classes;
        for (let c = 0; c < classes; c++) dt[base + c] = -g * (z[base + c] - logSumExp[r]);
      }
    }
    return [dz, dt];
  },

  // y = act(z), z = im2col(x) K + b: dz = act'(z) dy; dK = im2col(x)^T dz; dx = col2im(dz K^T); db = sum_rows dz
  conv2d: (n, dy) => {
    const [x, kernel] = n.inputs;
    const g = n.attrs.geometry;
    const outC = kernel.shape[3];
    const depth = g.kH * g.kW * g.inC;
    const rows = g.batch * g.outH * g.outW;
    const db = n.attrs.hasBias && n.inputs[2].requiresGrad ? allocate(dtypeOf(dy), outC) : null;
    const { activation, alpha } = n.attrs;
    const dzBuffer = activation === 'linear' ? undefined : scratch(dtypeOf(dy), rows * outC, SCRATCH_SLOTS.dz);
    const dz = kernels.biasActivationBackward(n.outData, dy, rows, outC, activation, alpha, db, dzBuffer);
    const pointwise = isPointwise(g);
    const grads: Grads = [null, null];
    if (x.requiresGrad) {
      const dcols = pointwise ? allocate(dtypeOf(dy), rows * depth) : scratch(dtypeOf(dy), rows * depth, SCRATCH_SLOTS.dcols);
      kernels.gemm(false, true, rows, depth, outC, 1, dz, kernel.data, 0, dcols);
      grads[0] = pointwise ? dcols : kernels.col2im(dcols, g);
    }
    if (kernel.requiresGrad) {
      const dK = allocate(dtypeOf(dy), kernel.size);
      kernels.gemm(true, false, depth, outC, rows, 1, convColumns(x.data, g), dz, 0, dK);
      grads[1] = dK;
    }
    if (n.attrs.hasBias) grads.push(db);
    return grads;
  },

  // y[.., c m + j] = sum_taps x[.., c] K[i, j, c, m]: dx and dK by the same taps, transposed
  depthwise_conv2d: (n, dy) => {
    const [x, kernel] = n.inputs;
    const { geometry: g, multiplier } = n.attrs;
    return [
      x.requiresGrad ? kernels.depthwiseConv2dBackwardInput(dy, kernel.data, g, multiplier) : null,
      kernel.requiresGrad ? kernels.depthwiseConv2dBackwardFilter(x.data, dy, g, multiplier) : null,
    ];
  },

  // max: dy to the first maximum of each window (one element on ties); avg: dy / count to each tap
  pool2d: (n, dy) => [kernels.pool2dBackward(n.attrs.op, n.inputs[0].data, dy, n.attrs.geometry)],
};

/** Number of elements of a node's output (for seeding and checks). */
export function outSize<K extends OpKind>(n: Node<K>): number {
  return sizeOf(n.outShape);
}
