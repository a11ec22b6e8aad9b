/** The complete TypeScript kernel set: the oracle and the portable fallback. */
import type { Kernels } from '../kernels.js';
import { batchNormBackward, batchNormForward } from './batch_norm.js';
import { binary, where } from './binary.js';
import { biasActivation, biasActivationBackward } from './bias_activation.js';
import { denseBackward, denseForward } from './dense.js';
import { col2im, depthwiseConv2d, depthwiseConv2dBackwardFilter, depthwiseConv2dBackwardInput, im2col, pool2d, pool2dBackward } from './conv.js';
import { gemm } from './gemm.js';
import { firstNonFiniteIndex as firstNonFinite } from '../../core/finite.js';
import { concat, oneHot, slice, transpose } from './layout.js';
import { adamUpdate, sgdUpdate } from './optimizers.js';
import { reduce } from './reduce.js';
import { softmaxCrossentropy } from './softmax_crossentropy.js';
import { unary, unaryBackward } from './unary.js';

export const tsKernels: Kernels = {
  unary, unaryBackward, binary, where, reduce, gemm, transpose, slice, concat, oneHot, denseForward, denseBackward, adamUpdate, sgdUpdate,
  batchNormForward, batchNormBackward, softmaxCrossentropy, firstNonFinite,
  im2col, col2im, depthwiseConv2d, depthwiseConv2dBackwardInput, depthwiseConv2dBackwardFilter, pool2d, pool2dBackward,
  biasActivation, biasActivationBackward,
};
