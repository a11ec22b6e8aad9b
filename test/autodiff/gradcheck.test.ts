// Float64 central-difference checks of every primitive's backward rule, plus the tape's structure:
// accumulation, deep chains without recursion, noGrad, and the scalar requirement.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError, ValueError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/random.js';
import { type Shape } from '../../src/core/shape.js';
import { Tensor, tensor } from '../../src/core/tensor.js';
import { backward } from '../../src/autodiff/backward.js';
import { backwardRules } from '../../src/autodiff/backward_rules.js';
import { grad, valueAndGrad } from '../../src/autodiff/grad.js';
import { gradcheck } from '../../src/autodiff/gradcheck.js';
import { type OpAttrs, type OpKind, noGrad } from '../../src/autodiff/node.js';
import {
  batchNorm, binary, concat, dense, matmul, max, reshape, slice, softmaxCrossentropy, stopGradient, sum, transpose, unary, where,
} from '../../src/autodiff/primitives.js';
import { BINARY_OPS, UNARY_OPS, type UnaryOp } from '../../src/kernels/kernels.js';
import { add, mul } from '../../src/ops/arithmetic.js';

/** Largest accepted relative error of gradcheck; float64 with h = 1e-6 reaches about 1e-9. */
const TOL = 1e-6;

const rng = new Rng(2024);

/** A float64 tensor of uniform values in [lo, hi). */
function rand(shape: Shape, lo = -1, hi = 1): Tensor {
  const n = shape.reduce((p, d) => p * d, 1);
  const d = new Float64Array(n);
  rng.fillUniform(d, lo, hi);
  return new Tensor(d, [...shape]);
}

/** Values with |x| in [0.2, 1.5] and random signs (away from the kinks at 0). */
function awayFromZero(shape: Shape): Tensor {
  const t = rand(shape, 0.2, 1.5);
  for (let i = 0; i < t.size; i++) if (rng.nextFloat() < 0.5) t.data[i] = -t.data[i];
  return t;
}

/** sum(f(...) * w) with a fixed random w of the output's shape, so the seed gradient is not all ones. */
function weighted(f: (...xs: Tensor[]) => Tensor, outShape: Shape): (...xs: Tensor[]) => Tensor {
  const w = rand(outShape, -2, 2);
  return (...xs) => sum(mul(f(...xs), w));
}

function check(name: string, f: (...xs: Tensor[]) => Tensor, inputs: Tensor[], tol = TOL): void {
  const r = gradcheck(f, inputs);
  assert.ok(r.maxError < tol, `${name}: maxError ${r.maxError} at input ${r.worst.input}[${r.worst.index}]: analytic ${r.worst.analytic}, numeric ${r.worst.numeric}`);
}

test('gradcheck detects a wrong gradient and rejects float32 inputs', () => {
  // f(x) = sum(stop(x) * x) has true gradient 2x but the tape sees only x.
  const x = tensor([0.5, 1.5, -2], [3], 'float64');
  const r = gradcheck((t) => sum(mul(stopGradient(t), t)), [x]);
  assert.ok(r.maxError > 0.3, `maxError ${r.maxError}`);
  assert.throws(() => gradcheck((t) => sum(t), [tensor([1, 2])]), ValueError);
});

test('every UnaryOp passes gradcheck (away from kinks, positive inputs where required)', () => {
  const POSITIVE: readonly UnaryOp[] = ['log', 'sqrt', 'reciprocal'];
  const ALPHA: Partial<Record<UnaryOp, number>> = { elu: 0.7, leaky_relu: 0.2 };
  for (const op of UNARY_OPS) {
    const x = POSITIVE.includes(op) ? rand([2, 3], 0.3, 2) : awayFromZero([2, 3]);
    check(`unary ${op}`, weighted((t) => unary(op, t, ALPHA[op] ?? 0), [2, 3]), [x]);
  }
});

test('every BinaryOp passes gradcheck, same shape and broadcast', () => {
  const shapes: [Shape, Shape][] = [[[2, 3], [2, 3]], [[2, 3], [3]], [[3], [2, 3]], [[2, 1], [1, 4]], [[2, 3], []]];
  for (const op of BINARY_OPS) {
    for (const [sa, sb] of shapes) {
      let a: Tensor;
      let b: Tensor;
      if (op === 'pow') {
        a = rand(sa, 0.5, 2); // positive base: d/db a^b = a^b log a is defined
        b = rand(sb, -1.5, 1.5);
      } else if (op === 'div') {
        a = rand(sa, -2, 2);
        b = awayFromZero(sb); // |b| >= 0.2
      } else if (op === 'maximum' || op === 'minimum' || op === 'greater' || op === 'equal') {
        // No ties within h (the derivative jumps there): assert a margin between every pair.
        a = rand(sa, -2, 2);
        b = rand(sb, -2, 2);
        const out = binary('sub', a, b);
        const minGap = Math.min(...[...out.data].map(Math.abs));
        assert.ok(minGap > 1e-3, `${op}: inputs too close (${minGap}), pick another seed`);
      } else {
        a = rand(sa, -2, 2);
        b = rand(sb, -2, 2);
      }
      const outShape = binary('add', a, b).shape;
      check(`binary ${op} ${JSON.stringify(sa)} ${JSON.stringify(sb)}`, weighted((x, y) => binary(op, x, y), outShape), [a, b]);
    }
  }
});

test('binary gradients by hand: d(a*b), d(a/b), d(a^b), maximum picks a on ties', () => {
  // f = a * b: df/da = b, df/db = a.
  const g1 = grad((a, b) => sum(binary('mul', a, b)))(tensor([3]), tensor([4]));
  assert.deepEqual([g1[0].item(), g1[1].item()], [4, 3]);
  // f = a / b at a = 3, b = 4: 1/b = 0.25, -a/b^2 = -3/16.
  const g2 = grad((a, b) => sum(binary('div', a, b)))(tensor([3]), tensor([4]));
  assert.deepEqual([g2[0].item(), g2[1].item()], [0.25, -0.1875]);
  // f = a^b at a = 2, b = 3: b a^(b-1) = 12, a^b ln a = 8 ln 2.
  const g3 = grad((a, b) => sum(binary('pow', a, b)))(tensor([2], [1], 'float64'), tensor([3], [1], 'float64'));
  assert.equal(g3[0].item(), 12);
  assert.ok(Math.abs(g3[1].item() - 8 * Math.LN2) < 1e-14);
  // maximum(2, 2): the whole gradient goes to a, none to b (not split, not doubled).
  const g4 = grad((a, b) => sum(binary('maximum', a, b)))(tensor([2]), tensor([2]));
  assert.deepEqual([g4[0].item(), g4[1].item()], [1, 0]);
  // Broadcast: d/db sum(a + b) for a [2, 3], b [3] is the column count 2 for each element.
  const g5 = grad((a, b) => sum(binary('add', a, b)))(tensor([[1, 2, 3], [4, 5, 6]]), tensor([0, 0, 0]));
  assert.deepEqual([...g5[1].data], [2, 2, 2]);
  assert.deepEqual(g5[1].shape, [3]);
});

test('where with broadcasting passes gradcheck (no gradient to the condition)', () => {
  const cond = tensor([[1], [0]], undefined, 'float64'); // [2, 1]: row 0 takes a, row 1 takes b
  const f = weighted((a, b) => where(cond, a, b), [2, 3]);
  check('where', f, [rand([3]), rand([2, 3])]);
  // By hand: sum(where(cond, a, b)) -> da = 1 per row taking a (1 row), db = 1 where b is taken.
  const [da, db] = grad((a, b) => sum(where(cond, a, b)))(tensor([0, 0, 0], [3], 'float64'), tensor([5], [1], 'float64'));
  assert.deepEqual([...da.data], [1, 1, 1]);
  assert.deepEqual([...db.data], [3]); // b broadcast to the 3 elements of row 1
});

test('sum and max over axes, keepDims true and false, pass gradcheck', () => {
  const shape = [2, 3, 4];
  const axesList: (number | number[] | undefined)[] = [undefined, 0, 1, 2, -1, [0, 2], [1, 2], [0, 1]];
  for (const axes of axesList) {
    for (const keepDims of [false, true]) {
      // Distinct values, so max has a unique argmax per group (no ties within h).
      const x = new Tensor(Float64Array.from({ length: 24 }, (_, i) => Math.sin(i * 2.1) * 3), shape);
      for (const [name, op] of [['sum', sum], ['max', max]] as const) {
        const outShape = op(x, axes, keepDims).shape;
        check(`${name} axes ${JSON.stringify(axes)} keepDims ${keepDims}`, weighted((t) => op(t, axes, keepDims), outShape), [x]);
      }
    }
  }
  // max by hand: the gradient is 1 at the argmax of each row, 0 elsewhere.
  const g = grad((t) => sum(max(t, 1)))(tensor([[1, 5, 2], [7, 0, 3]]));
  assert.deepEqual([...g[0].data], [0, 1, 0, 1, 0, 0]);
});

test('reshape, transpose, slice and concat pass gradcheck', () => {
  const x = rand([2, 3, 4]);
  check('reshape', weighted((t) => reshape(t, [4, -1]), [4, 6]), [x]);
  for (const perm of [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]]) {
    const outShape = perm.map((p) => x.shape[p]);
    check(`transpose ${perm}`, weighted((t) => transpose(t, perm), outShape), [x]);
  }
  check('transpose default', weighted((t) => transpose(t), [4, 3, 2]), [x]);
  check('slice', weighted((t) => slice(t, [1, 0, 1], [1, 2, -1]), [1, 2, 3]), [x]);
  check('slice 2-D', weighted((t) => slice(t, [0, 1], [2, 2]), [2, 2]), [rand([3, 4])]);
  for (const axis of [0, 1, 2, -1]) {
    const ax = axis < 0 ? axis + 3 : axis;
    const a = rand([2, 3, 4]);
    const b = rand([2, 3, 4].map((d, i) => (i === ax ? 2 : d)));
    const outShape = [2, 3, 4].map((d, i) => (i === ax ? d + 2 : d));
    check(`concat axis ${axis}`, weighted((p, q) => concat([p, q], axis), outShape), [a, b]);
  }
});

test('matmul passes gradcheck for all four transA/transB combinations', () => {
  const [m, k, n] = [3, 4, 2];
  for (const transA of [false, true]) {
    for (const transB of [false, true]) {
      const a = rand(transA ? [k, m] : [m, k]);
      const b = rand(transB ? [n, k] : [k, n]);
      check(`matmul transA=${transA} transB=${transB}`, weighted((p, q) => matmul(p, q, transA, transB), [m, n]), [a, b]);
    }
  }
  // By hand: [[1, 2]] x [[3], [4]] = 11; dA = B^T = [3, 4], dB = A^T = [1, 2].
  const [ga, gb] = grad((p, q) => sum(matmul(p, q)))(tensor([[1, 2]]), tensor([[3], [4]]));
  assert.deepEqual([...ga.data], [3, 4]);
  assert.deepEqual([...gb.data], [1, 2]);
});

test('dense with each activation, with and without bias, 2-D and 3-D input, passes gradcheck', () => {
  const ACTS: [UnaryOp, number][] = [
    ['linear', 0], ['relu', 0], ['sigmoid', 0], ['tanh', 0], ['elu', 1], ['selu', 0], ['leaky_relu', 0.2], ['softplus', 0],
  ];
  for (const [act, alpha] of ACTS) {
    for (const useBias of [true, false]) {
      for (const xShape of [[3, 4], [2, 3, 4]]) {
        const x = rand(xShape);
        const kernel = rand([4, 5]);
        const bias = rand([5]);
        // Keep pre-activations away from the kinks of relu, elu, selu, leaky_relu.
        const z = dense(x, kernel, useBias ? bias : null, 'linear');
        const minAbs = Math.min(...[...z.data].map(Math.abs));
        assert.ok(minAbs > 1e-4, `pre-activation ${minAbs} too close to 0`);
        const outShape = [...xShape.slice(0, -1), 5];
        const name = `dense ${act} bias=${useBias} x=${JSON.stringify(xShape)}`;
        if (useBias) check(name, weighted((p, w, b) => dense(p, w, b, act, alpha), outShape), [x, kernel, bias]);
        else check(name, weighted((p, w) => dense(p, w, null, act, alpha), outShape), [x, kernel]);
      }
    }
  }
});

test('dense refuses the activations whose derivative needs x; linear dense + unary passes gradcheck for them', () => {
  const x = rand([3, 4]);
  const kernel = rand([4, 5]);
  const bias = rand([5]);
  for (const act of ['gelu', 'gelu_tanh', 'silu', 'mish'] as const) {
    assert.throws(() => dense(x, kernel, bias, act), (e: unknown) => e instanceof ValueError && e.message.includes(`unary('${act}'`));
    check(`unary ${act} after dense`, weighted((p, w, b) => unary(act, dense(p, w, b)), [3, 5]), [x, kernel, bias]);
  }
});

test('batch_norm passes gradcheck: training and inference, axis -1 and 1, with and without gamma/beta', () => {
  for (const training of [true, false]) {
    for (const [shape, axis] of [[[5, 3], -1], [[4, 3, 2], 1], [[2, 3, 2], -1]] as [number[], number][]) {
      const features = shape[axis < 0 ? shape.length + axis : axis];
      const stats = training ? {} : { mean: [...rand([features]).data], variance: [...rand([features], 0.5, 2).data] };
      for (const affine of [true, false]) {
        const x = rand(shape, -2, 2);
        const gamma = rand([features], 0.5, 1.5);
        const beta = rand([features]);
        const name = `batch_norm training=${training} shape=${JSON.stringify(shape)} axis=${axis} affine=${affine}`;
        const opts = { axis, epsilon: 1e-3, ...stats };
        if (affine) check(name, weighted((p, g, b) => batchNorm(p, g, b, opts).y, shape), [x, gamma, beta]);
        else check(name, weighted((p) => batchNorm(p, null, null, opts).y, shape), [x]);
      }
    }
  }
});

test('batch_norm by hand: the case of tfjs#562 (x = [1, 2, 3, 4], eps 1e-3) and its gradient', () => {
  // Training: mean 2.5, biased var 1.25, y = (x - 2.5)/sqrt(1.251) = [-1.34110, -0.44703, 0.44703, 1.34110].
  const x = tensor([[1], [2], [3], [4]], undefined, 'float64');
  const r = batchNorm(x, null, null, { epsilon: 1e-3 });
  assert.deepEqual([...r.mean], [2.5]);
  assert.deepEqual([...r.variance], [1.25]);
  [-1.34110, -0.44703, 0.44703, 1.34110].forEach((e, i) => assert.ok(Math.abs(r.y.data[i] - e) < 5e-6, `${r.y.data[i]} vs ${e}`));
  // sum(y) is 0 for any x in training mode (the output is centered), so its gradient is exactly 0.
  const [gx] = grad((t) => sum(batchNorm(t, null, null).y))(x);
  assert.ok([...gx.data].every((v) => Math.abs(v) < 1e-15), String([...gx.data]));
  // Inference with mean 0, var 1: y = x/sqrt(1.001); dy/dx = 1/sqrt(1.001) = 0.999500.
  const inf = batchNorm(x, null, null, { epsilon: 1e-3, mean: [0], variance: [1] });
  assert.ok(Math.abs(inf.y.data[3] - 4 / Math.sqrt(1.001)) < 1e-15);
  const [gi] = grad((t) => sum(batchNorm(t, null, null, { mean: [0], variance: [1] }).y))(x);
  assert.ok([...gi.data].every((v) => Math.abs(v - 1 / Math.sqrt(1.001)) < 1e-15));
  // Wrong sizes and an empty training batch are rejected.
  assert.throws(() => batchNorm(x, tensor([1, 1]), null), ShapeError);
  assert.throws(() => batchNorm(x, null, null, { mean: [0] }), ValueError);
  assert.throws(() => batchNorm(new Tensor(new Float64Array(0), [0, 1]), null, null), ValueError);
});

test('softmax_crossentropy passes gradcheck in logits and targets (soft targets, odd shapes)', () => {
  for (const shape of [[1, 1], [3, 5], [2, 3, 4]] as number[][]) {
    const logits = rand(shape, -3, 3);
    const targets = rand(shape, 0, 1);
    check(`softmax_crossentropy ${JSON.stringify(shape)}`, weighted((z, t) => softmaxCrossentropy(z, t), shape.slice(0, -1)), [logits, targets]);
  }
});

test('softmax_crossentropy by hand: stable for large logits; equals -sum t log softmax', () => {
  // logits [1000, 0, -1000], target class 1: log_softmax_1 = 0 - 1000 - log(1 + e^-1000 + e^-2000) = -1000.
  assert.deepEqual([...softmaxCrossentropy(tensor([[1000, 0, -1000]]), tensor([[0, 1, 0]])).data], [1000]);
  // logits [0, ln 3], targets [0.5, 0.5]: softmax = [1/4, 3/4]; loss = -(0.5 ln 0.25 + 0.5 ln 0.75) = 0.5 (ln 4 + ln 4/3).
  const z = tensor([[0, Math.log(3)]], undefined, 'float64');
  const { value, grads } = valueAndGrad((l) => sum(softmaxCrossentropy(l, tensor([[0.5, 0.5]], undefined, 'float64'))))(z);
  assert.ok(Math.abs(value.item() - 0.5 * (Math.log(4) + Math.log(4 / 3))) < 1e-15);
  // gradient softmax sum(t) - t = [0.25 - 0.5, 0.75 - 0.5]
  assert.ok(Math.abs(grads[0].data[0] + 0.25) < 1e-15 && Math.abs(grads[0].data[1] - 0.25) < 1e-15);
  assert.throws(() => softmaxCrossentropy(tensor([[1, 2]]), tensor([[1, 0, 0]])), ShapeError);
});

test('dense forward equals activation(x W + b) computed by hand', () => {
  // x = [[1, 2]], W = [[1, -1], [2, 0.5]], b = [0.5, -3]:
  // z = [1 + 4 + 0.5, -1 + 1 - 3] = [5.5, -3]; relu -> [5.5, 0].
  const y = dense(tensor([[1, 2]]), tensor([[1, -1], [2, 0.5]]), tensor([0.5, -3]), 'relu');
  assert.deepEqual([...y.data], [5.5, 0]);
  assert.deepEqual(y.shape, [1, 2]);
});

test('the backward table has a rule for every kind of OpAttrs', () => {
  // This literal must list every OpKind exactly (a missing or extra key does not compile), so the
  // runtime comparison below checks the table against the type.
  const KINDS: { [K in OpKind]: true } = {
    unary: true, binary: true, where: true, sum: true, max: true, reshape: true, transpose: true,
    slice: true, concat: true, matmul: true, dense: true, batch_norm: true, conv2d: true, depthwise_conv2d: true, pool2d: true,
    softmax_crossentropy: true,
  };
  const attrsKeys: (keyof OpAttrs)[] = Object.keys(KINDS) as OpKind[];
  assert.equal(attrsKeys.length, 16);
  assert.deepEqual(Object.keys(backwardRules).sort(), attrsKeys.sort());
  for (const k of attrsKeys) assert.equal(typeof backwardRules[k], 'function');
});

test('a tensor used twice accumulates its gradient: d(x*x) = 2x', () => {
  const { value, grads } = valueAndGrad((x) => sum(mul(x, x)))(tensor([1, -2, 3]));
  assert.equal(value.item(), 14); // 1 + 4 + 9
  assert.deepEqual([...grads[0].data], [2, -4, 6]);
  // Used along two paths: f = sum(x*3 + x) -> 4 per element.
  const g = grad((x) => sum(add(mul(x, 3), x)))(tensor([1, 2]));
  assert.deepEqual([...g[0].data], [4, 4]);
  // Both inputs of one add: f = sum(x + x) -> 2.
  const g2 = grad((x) => sum(binary('add', x, x)))(tensor([5]));
  assert.equal(g2[0].item(), 2);
});

test('a 1,000-layer chain backpropagates (no recursion) and matches the analytic product', () => {
  // y = x * 1.001^1000 by 1000 multiplications by a constant: dy/dx = 1.001^1000.
  const expected = 1.001 ** 1000;
  const [g] = grad((x) => {
    let y = x;
    for (let i = 0; i < 1000; i++) y = mul(y, 1.001);
    return sum(y);
  })(tensor([2], [1], 'float64'));
  assert.ok(Math.abs(g.item() / expected - 1) < 1e-12, `${g.item()} vs ${expected}`);
  // 1000 fused dense layers of width 4 with kernel 1.001 * I: y = 1.001^1000 x, so
  // d sum(y) / dx = 1.001^1000 for every input element.
  const eye = new Tensor(Float64Array.from({ length: 16 }, (_, i) => (i % 5 === 0 ? 1.001 : 0)), [4, 4]);
  const [gx] = grad((x) => {
    let y = x;
    for (let i = 0; i < 1000; i++) y = dense(y, eye, null, 'linear');
    return sum(y);
  })(tensor([[1, 2, 3, 4]], undefined, 'float64'));
  for (const v of gx.data) assert.ok(Math.abs(v / expected - 1) < 1e-12, `${v} vs ${expected}`);
  // A tanh chain stays finite.
  const [gt] = grad((x) => {
    let y = x;
    for (let i = 0; i < 1000; i++) y = unary('tanh', y);
    return sum(y);
  })(tensor([0.5], [1], 'float64'));
  assert.ok(Number.isFinite(gt.item()) && gt.item() > 0 && gt.item() < 1);
});

test('a 100,000-op chain backpropagates without stack overflow', () => {
  // y = x * (1 + 1e-6)^100000: dy/dx = (1 + 1e-6)^1e5 = e^(0.1 - 5e-8 + ...).
  const c = 1 + 1e-6;
  const [g] = grad((x) => {
    let y = x;
    for (let i = 0; i < 100_000; i++) y = mul(y, c);
    return sum(y);
  })(tensor([1], [1], 'float64'));
  const expected = c ** 100_000;
  assert.ok(Math.abs(g.item() / expected - 1) < 1e-9, `${g.item()} vs ${expected}`);
});

test('valueAndGrad of a non-scalar throws ShapeError', () => {
  assert.throws(() => valueAndGrad((x) => mul(x, 2))(tensor([1, 2])), (e: unknown) => {
    assert.ok(e instanceof ShapeError);
    assert.match(e.message, /\[2\]/);
    return true;
  });
  // A one-element non-scalar shape is accepted.
  assert.equal(valueAndGrad((x) => reshape(sum(x), [1, 1]))(tensor([1, 2])).value.item(), 3);
});

test('noGrad disables recording (and restores it, even after a throw)', () => {
  const x = new Tensor(Float64Array.from([1, 2]), [2], true);
  const inside = noGrad(() => mul(x, x));
  assert.equal(inside.requiresGrad, false);
  assert.equal(inside.node, null);
  assert.deepEqual(backward(sum(inside), [x]), [null]);
  assert.throws(() => noGrad(() => { throw new Error('boom'); }), /boom/);
  const outside = mul(x, x);
  assert.equal(outside.requiresGrad, true);
  assert.notEqual(outside.node, null);
  const [g] = backward(sum(outside), [x]);
  assert.deepEqual([...(g as Float64Array)], [2, 4]);
});

test('backward accepts a seed (vector-Jacobian product) and checks its size', () => {
  const x = new Tensor(Float64Array.from([1, 2, 3]), [3], true);
  const y = mul(x, x);
  // J = diag(2x); v^T J with v = [1, 0, -1] -> [2, 0, -6].
  const [g] = backward(y, [x], Float64Array.from([1, 0, -1]));
  assert.deepEqual([...(g as Float64Array)], [2, 0, -6]);
  assert.throws(() => backward(y, [x], new Float64Array(2)), ShapeError);
});
