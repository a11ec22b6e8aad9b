/**
 * Reference kernels of 2-D convolution and pooling over channels-last maps (the oracle; a faster
 * backend may override any of them). The geometry (`Conv2DGeometry`) is computed and checked by the
 * caller. A convolution is im2col + the backend's GEMM (in the primitive), so a faster GEMM speeds
 * it up; depthwise convolution and pooling are direct loops (one multiply-add per window element).
 *
 * Layouts: x [batch, inH, inW, inC]; im2col's matrix [batch outH outW, kH kW inC] with column
 * (i kW + j) inC + c, the row-major flattening of a Keras kernel [kH, kW, inC, outC].
 */
import { type TypedArray, allocate, dtypeOf } from '../../core/dtype.js';
import type { Conv2DGeometry } from '../../core/conv_geometry.js';
import type { PoolOp } from '../kernels.js';

/** The patches of `x` as rows: out [batch outH outW, kH kW inC], zero where the window is in the padding. */
export function im2col(x: TypedArray, g: Conv2DGeometry, out?: TypedArray): TypedArray {
  const o = out ?? allocate(dtypeOf(x), g.batch * g.outH * g.outW * g.kH * g.kW * g.inC);
  movePatches(g, x, o, true);
  return o;
}

/** The adjoint of `im2col`: sums each patch row back into its input positions. out [batch, inH, inW, inC]. */
export function col2im(cols: TypedArray, g: Conv2DGeometry, out?: TypedArray): TypedArray {
  const o = out ?? allocate(dtypeOf(cols), g.batch * g.inH * g.inW * g.inC);
  o.fill(0, 0, g.batch * g.inH * g.inW * g.inC);
  movePatches(g, o, cols, false);
  return o;
}

/**
 * im2col (`toCols`: cols[row, (i kW + j) inC + c] = image[pixel, c], zero in the padding) or its
 * adjoint (image[pixel, c] += cols[row, ..]), in one loop nest: written out rather than through
 * `forEachWindow`, because this is the hot loop of the TS and wasm backends' convolutions (a
 * closure per window made the one-channel im2col 10x slower).
 */
function movePatches(g: Conv2DGeometry, image: TypedArray, cols: TypedArray, toCols: boolean): void {
  const { batch, inH, inW, inC, kH, kW, outH, outW } = g;
  const width = kH * kW * inC;
  let row = 0;
  for (let b = 0; b < batch; b++) {
    const xb = b * inH * inW * inC;
    for (let oy = 0; oy < outH; oy++) {
      const y0 = oy * g.strideH - g.padTop;
      for (let ox = 0; ox < outW; ox++, row++) {
        const x0 = ox * g.strideW - g.padLeft;
        let col = row * width;
        for (let i = 0; i < kH; i++) {
          const y = y0 + i * g.dilationH;
          const rowInside = y >= 0 && y < inH;
          for (let j = 0; j < kW; j++, col += inC) {
            const xx = x0 + j * g.dilationW;
            if (rowInside && xx >= 0 && xx < inW) {
              const px = xb + (y * inW + xx) * inC;
              if (toCols) for (let c = 0; c < inC; c++) cols[col + c] = image[px + c];
              else for (let c = 0; c < inC; c++) image[px + c] += cols[col + c];
            } else if (toCols) {
              cols.fill(0, col, col + inC);
            }
          }
        }
      }
    }
  }
}

/**
 * Depthwise convolution: each input channel c is convolved with its own `multiplier` filters;
 * out[b, oy, ox, c multiplier + m] = sum_ij x[b, y, x, c] kernel[i, j, c, m].
 * kernel [kH, kW, inC, multiplier]; out [batch, outH, outW, inC multiplier].
 */
export function depthwiseConv2d(x: TypedArray, kernel: TypedArray, g: Conv2DGeometry, multiplier: number, out?: TypedArray): TypedArray {
  const { batch, inC, outH, outW } = g;
  const outC = inC * multiplier;
  const o = out ?? allocate(dtypeOf(x), batch * outH * outW * outC);
  o.fill(0, 0, batch * outH * outW * outC);
  forEachDepthwiseTap(g, multiplier, (xo, yo, ko) => {
    for (let c = 0; c < inC; c++) {
      const xv = x[xo + c];
      for (let m = 0; m < multiplier; m++) o[yo + c * multiplier + m] += xv * kernel[ko + c * multiplier + m];
    }
  });
  return o;
}

/** d depthwiseConv2d / dx: dx[b, y, x, c] = sum over taps and m of dy[.., c multiplier + m] kernel[i, j, c, m]. */
export function depthwiseConv2dBackwardInput(dy: TypedArray, kernel: TypedArray, g: Conv2DGeometry, multiplier: number, out?: TypedArray): TypedArray {
  const { batch, inH, inW, inC } = g;
  const outC = inC * multiplier;
  const o = out ?? allocate(dtypeOf(dy), batch * inH * inW * inC);
  o.fill(0, 0, batch * inH * inW * inC);
  forEachDepthwiseTap(g, multiplier, (xo, yo, ko) => {
    for (let c = 0; c < inC; c++) {
      let s = 0;
      for (let m = 0; m < multiplier; m++) s += dy[yo + c * multiplier + m] * kernel[ko + c * multiplier + m];
      o[xo + c] += s;
    }
  });
  return o;
}

/**
 * d depthwiseConv2d / dkernel: dk[i, j, c, m] = sum over batch and output pixels of x[.., c] dy[.., c multiplier + m].
 * Each sum (batch outH outW terms) runs in float64 and is stored once, as the TS GEMM's.
 */
export function depthwiseConv2dBackwardFilter(x: TypedArray, dy: TypedArray, g: Conv2DGeometry, multiplier: number, out?: TypedArray): TypedArray {
  const { inC, kH, kW } = g;
  const outC = inC * multiplier;
  const o = out ?? allocate(dtypeOf(x), kH * kW * outC);
  const acc = new Float64Array(kH * kW * outC);
  forEachDepthwiseTap(g, multiplier, (xo, yo, ko) => {
    for (let c = 0; c < inC; c++) {
      const xv = x[xo + c];
      for (let m = 0; m < multiplier; m++) acc[ko + c * multiplier + m] += xv * dy[yo + c * multiplier + m];
    }
  });
  o.set(acc);
  return o;
}

/**
 * Calls `visit(window, count, pixels, taps)` for every output pixel (window) in row-major order
 * over [batch, outH, outW]: its `count` taps inside the input (padding taps skipped), in row-major
 * window order, as flat input pixels over [batch, inH, inW] and tap indices i kW + j. The two
 * arrays are reused between calls. The one window walk of every kernel in this file.
 */
function forEachWindow(g: Conv2DGeometry, visit: (window: number, count: number, pixels: Int32Array, taps: Int32Array) => void): void {
  const { batch, inH, inW, kH, kW, outH, outW } = g;
  const pixels = new Int32Array(kH * kW);
  const taps = new Int32Array(kH * kW);
  let window = 0;
  for (let b = 0; b < batch; b++) {
    const pb = b * inH * inW;
    for (let oy = 0; oy < outH; oy++) {
      const y0 = oy * g.strideH - g.padTop;
      for (let ox = 0; ox < outW; ox++, window++) {
        const x0 = ox * g.strideW - g.padLeft;
        let count = 0;
        for (let i = 0; i < kH; i++) {
          const y = y0 + i * g.dilationH;
          if (y < 0 || y >= inH) continue;
          for (let j = 0; j < kW; j++) {
            const xx = x0 + j * g.dilationW;
            if (xx < 0 || xx >= inW) continue;
            pixels[count] = pb + y * inW + xx;
            taps[count++] = i * kW + j;
          }
        }
        visit(window, count, pixels, taps);
      }
    }
  }
}

/**
 * Calls `f(xo, yo, ko)` for every output pixel and every window tap inside the input, with the
 * offsets of the input pixel in x (xo), of the output pixel in y (yo) and of the tap in the
 * kernel (ko) of a depthwise convolution with `multiplier` filters per channel.
 */
function forEachDepthwiseTap(g: Conv2DGeometry, multiplier: number, f: (xo: number, yo: number, ko: number) => void): void {
  const outC = g.inC * multiplier;
  forEachWindow(g, (window, count, pixels, taps) => {
    for (let t = 0; t < count; t++) f(pixels[t] * g.inC, window * outC, taps[t] * outC);
  });
}

/**
 * Max or average pooling per channel over the window taps inside the input (padding never wins a
 * max and is not counted in an average, as TensorFlow). out [batch, outH, outW, inC].
 */
export function pool2d(op: PoolOp, x: TypedArray, g: Conv2DGeometry, out?: TypedArray): TypedArray {
  const { batch, inC, outH, outW } = g;
  const o = out ?? allocate(dtypeOf(x), batch * outH * outW * inC);
  const acc = new Float64Array(inC);
  forEachWindow(g, (window, count, pixels) => {
    acc.fill(op === 'max' ? -Infinity : 0);
    for (let t = 0; t < count; t++) {
      const src = pixels[t] * inC;
      if (op === 'max') for (let c = 0; c < inC; c++) { const v = x[src + c]; if (v > acc[c]) acc[c] = v; }
      else for (let c = 0; c < inC; c++) acc[c] += x[src + c];
    }
    const dst = window * inC;
    if (op === 'max') for (let c = 0; c < inC; c++) o[dst + c] = acc[c];
    else for (let c = 0; c < inC; c++) o[dst + c] = acc[c] / count;
  });
  return o;
}

/**
 * The gradient of `pool2d` with respect to x. Max: each window's dy goes to ONE element, the first
 * maximum in row-major window order (the first tap whose value is strictly greater than all before
 * it, as TensorFlow's CPU kernel and TF.js do); average: dy / count to each tap inside the input.
 * out [batch, inH, inW, inC].
 */
export function pool2dBackward(op: PoolOp, x: TypedArray, dy: TypedArray, g: Conv2DGeometry, out?: TypedArray): TypedArray {
  const { batch, inH, inW, inC } = g;
  const o = out ?? allocate(dtypeOf(dy), batch * inH * inW * inC);
  o.fill(0, 0, batch * inH * inW * inC);
  const best = new Float64Array(inC);
  const where = new Int32Array(inC);
  forEachWindow(g, (window, count, pixels) => {
    const src = window * inC;
    if (op === 'max') {
      where.fill(-1);
      for (let t = 0; t < count; t++) {
        const p = pixels[t] * inC;
        for (let c = 0; c < inC; c++) if (x[p + c] > best[c] || where[c] < 0) { best[c] = x[p + c]; where[c] = p + c; }
      }
      for (let c = 0; c < inC; c++) if (where[c] >= 0) o[where[c]] += dy[src + c];
      return;
    }
    for (let t = 0; t < count; t++) {
      const p = pixels[t] * inC;
      for (let c = 0; c < inC; c++) o[p + c] += dy[src + c] / count;
    }
  });
  return o;
}
