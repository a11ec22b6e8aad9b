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
  const { batch, inH, inW, inC, kH, kW, outH, outW } = g;
  const cols = kH * kW * inC;
  const o = out ?? allocate(dtypeOf(x), batch * outH * outW * cols);
  let row = 0;
  for (let b = 0; b < batch; b++) {
    const xb = b * inH * inW * inC;
    for (let oy = 0; oy < outH; oy++) {
      const y0 = oy * g.strideH - g.padTop;
      for (let ox = 0; ox < outW; ox++, row++) {
        const x0 = ox * g.strideW - g.padLeft;
        let dst = row * cols;
        for (let i = 0; i < kH; i++) {
          const y = y0 + i * g.dilationH;
          const rowInside = y >= 0 && y < inH;
          for (let j = 0; j < kW; j++, dst += inC) {
            const xx = x0 + j * g.dilationW;
            if (rowInside && xx >= 0 && xx < inW) {
              const src = xb + (y * inW + xx) * inC;
              for (let c = 0; c < inC; c++) o[dst + c] = x[src + c];
            } else {
              o.fill(0, dst, dst + inC);
            }
          }
        }
      }
    }
  }
  return o;
}

/** The adjoint of `im2col`: sums each patch row back into its input positions. out [batch, inH, inW, inC]. */
export function col2im(cols: TypedArray, g: Conv2DGeometry, out?: TypedArray): TypedArray {
  const { batch, inH, inW, inC, kH, kW, outH, outW } = g;
  const width = kH * kW * inC;
  const o = out ?? allocate(dtypeOf(cols), batch * inH * inW * inC);
  o.fill(0, 0, batch * inH * inW * inC);
  let row = 0;
  for (let b = 0; b < batch; b++) {
    const xb = b * inH * inW * inC;
    for (let oy = 0; oy < outH; oy++) {
      const y0 = oy * g.strideH - g.padTop;
      for (let ox = 0; ox < outW; ox++, row++) {
        const x0 = ox * g.strideW - g.padLeft;
        let src = row * width;
        for (let i = 0; i < kH; i++) {
          const y = y0 + i * g.dilationH;
          const rowInside = y >= 0 && y < inH;
          for (let j = 0; j < kW; j++, src += inC) {
            const xx = x0 + j * g.dilationW;
            if (!rowInside || xx < 0 || xx >= inW) continue;
            const dst = xb + (y * inW + xx) * inC;
            for (let c = 0; c < inC; c++) o[dst + c] += cols[src + c];
          }
        }
      }
    }
  }
  return o;
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
  forEachTap(g, (dstPix, srcPix, tap) => {
    const xo = srcPix * inC;
    const yo = dstPix * outC;
    const ko = tap * outC;
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
  forEachTap(g, (dstPix, srcPix, tap) => {
    const xo = srcPix * inC;
    const yo = dstPix * outC;
    const ko = tap * outC;
    for (let c = 0; c < inC; c++) {
      let s = 0;
      for (let m = 0; m < multiplier; m++) s += dy[yo + c * multiplier + m] * kernel[ko + c * multiplier + m];
      o[xo + c] += s;
    }
  });
  return o;
}

/** d depthwiseConv2d / dkernel: dk[i, j, c, m] = sum over batch and output pixels of x[.., c] dy[.., c multiplier + m]. */
export function depthwiseConv2dBackwardFilter(x: TypedArray, dy: TypedArray, g: Conv2DGeometry, multiplier: number, out?: TypedArray): TypedArray {
  const { inC, kH, kW } = g;
  const outC = inC * multiplier;
  const o = out ?? allocate(dtypeOf(x), kH * kW * outC);
  o.fill(0, 0, kH * kW * outC);
  forEachTap(g, (dstPix, srcPix, tap) => {
    const xo = srcPix * inC;
    const yo = dstPix * outC;
    const ko = tap * outC;
    for (let c = 0; c < inC; c++) {
      const xv = x[xo + c];
      for (let m = 0; m < multiplier; m++) o[ko + c * multiplier + m] += xv * dy[yo + c * multiplier + m];
    }
  });
  return o;
}

/**
 * Calls `f(outputPixel, inputPixel, tap)` for every output pixel and every window tap inside the
 * input (padding taps skipped). Pixels are flat indices over [batch, H, W]; tap = i kW + j.
 */
function forEachTap(g: Conv2DGeometry, f: (dstPix: number, srcPix: number, tap: number) => void): void {
  const { batch, inH, inW, kH, kW, outH, outW } = g;
  let dstPix = 0;
  for (let b = 0; b < batch; b++) {
    const pb = b * inH * inW;
    for (let oy = 0; oy < outH; oy++) {
      const y0 = oy * g.strideH - g.padTop;
      for (let ox = 0; ox < outW; ox++, dstPix++) {
        const x0 = ox * g.strideW - g.padLeft;
        for (let i = 0; i < kH; i++) {
          const y = y0 + i * g.dilationH;
          if (y < 0 || y >= inH) continue;
          for (let j = 0; j < kW; j++) {
            const xx = x0 + j * g.dilationW;
            if (xx < 0 || xx >= inW) continue;
            f(dstPix, pb + y * inW + xx, i * kW + j);
          }
        }
      }
    }
  }
}

/**
 * Max or average pooling per channel over the window taps inside the input (padding never wins a
 * max and is not counted in an average, as TensorFlow). out [batch, outH, outW, inC].
 */
export function pool2d(op: PoolOp, x: TypedArray, g: Conv2DGeometry, out?: TypedArray): TypedArray {
  const { batch, inH, inW, inC, kH, kW, outH, outW } = g;
  const o = out ?? allocate(dtypeOf(x), batch * outH * outW * inC);
  const acc = new Float64Array(inC);
  let dst = 0;
  for (let b = 0; b < batch; b++) {
    const xb = b * inH * inW * inC;
    for (let oy = 0; oy < outH; oy++) {
      const y0 = oy * g.strideH - g.padTop;
      for (let ox = 0; ox < outW; ox++, dst += inC) {
        const x0 = ox * g.strideW - g.padLeft;
        acc.fill(op === 'max' ? -Infinity : 0);
        let count = 0;
        for (let i = 0; i < kH; i++) {
          const y = y0 + i * g.dilationH;
          if (y < 0 || y >= inH) continue;
          for (let j = 0; j < kW; j++) {
            const xx = x0 + j * g.dilationW;
            if (xx < 0 || xx >= inW) continue;
            const src = xb + (y * inW + xx) * inC;
            count++;
            if (op === 'max') for (let c = 0; c < inC; c++) { const v = x[src + c]; if (v > acc[c]) acc[c] = v; }
            else for (let c = 0; c < inC; c++) acc[c] += x[src + c];
          }
        }
        if (op === 'max') for (let c = 0; c < inC; c++) o[dst + c] = acc[c];
        else for (let c = 0; c < inC; c++) o[dst + c] = acc[c] / count;
      }
    }
  }
  return o;
}

/**
 * The gradient of `pool2d` with respect to x. Max: each window's dy goes to ONE element, the first
 * maximum in row-major window order (the first tap whose value is strictly greater than all before
 * it, as TensorFlow's CPU kernel and TF.js do); average: dy / count to each tap inside the input.
 * out [batch, inH, inW, inC].
 */
export function pool2dBackward(op: PoolOp, x: TypedArray, dy: TypedArray, g: Conv2DGeometry, out?: TypedArray): TypedArray {
  const { batch, inH, inW, inC, kH, kW, outH, outW } = g;
  const o = out ?? allocate(dtypeOf(dy), batch * inH * inW * inC);
  o.fill(0, 0, batch * inH * inW * inC);
  const best = new Float64Array(inC);
  const where = new Int32Array(inC);
  let src = 0;
  for (let b = 0; b < batch; b++) {
    const xb = b * inH * inW * inC;
    for (let oy = 0; oy < outH; oy++) {
      const y0 = oy * g.strideH - g.padTop;
      for (let ox = 0; ox < outW; ox++, src += inC) {
        const x0 = ox * g.strideW - g.padLeft;
        if (op === 'max') { best.fill(-Infinity); where.fill(-1); }
        let count = 0;
        for (let i = 0; i < kH; i++) {
          const y = y0 + i * g.dilationH;
          if (y < 0 || y >= inH) continue;
          for (let j = 0; j < kW; j++) {
            const xx = x0 + j * g.dilationW;
            if (xx < 0 || xx >= inW) continue;
            const p = xb + (y * inW + xx) * inC;
            count++;
            if (op === 'max') {
              for (let c = 0; c < inC; c++) if (x[p + c] > best[c] || where[c] < 0) { best[c] = x[p + c]; where[c] = p + c; }
            }
          }
        }
        if (op === 'max') {
          for (let c = 0; c < inC; c++) if (where[c] >= 0) o[where[c]] += dy[src + c];
          continue;
        }
        for (let i = 0; i < kH; i++) {
          const y = y0 + i * g.dilationH;
          if (y < 0 || y >= inH) continue;
          for (let j = 0; j < kW; j++) {
            const xx = x0 + j * g.dilationW;
            if (xx < 0 || xx >= inW) continue;
            const p = xb + (y * inW + xx) * inC;
            for (let c = 0; c < inC; c++) o[p + c] += dy[src + c] / count;
          }
        }
      }
    }
  }
  return o;
}
