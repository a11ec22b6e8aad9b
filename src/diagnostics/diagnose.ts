/**
 * diagnoseModel: one batch forward and backward through the loss, measured layer by layer and
 * compared with the theory of `theory.ts`, with a verdict (`verdict.ts`).
 *
 * For every layer that owns a kernel (Dense, Conv1D, Conv2D, DepthwiseConv2D), in order (hidden
 * layers, then the output layer):
 *
 * - `preActivationMean`, `preActivationStd`: of z = x W + b (a convolution: x * W + b), recomputed
 *   from the layer's input and weights without the activation (the fused layer only returns f(z));
 * - `activationMean`, `activationStd`: of the layer's output f(z) over the batch and the units;
 * - `saturatedFraction`: share of the outputs in a sigmoid's or tanh's flat tails (layer_statistics.ts);
 * - `deadFraction`: share of units (a convolution: of channels) that output exactly 0 for every
 *   sample of the batch (and every position of the feature map);
 * - `gradientStd`: std of dLoss/d(output) (for the softmax output layer, of dLoss/d(logits), which
 *   is what the fused crossentropy differentiates);
 * - `kernelGradientStd`, `kernelGradientNorm`: std and L2 norm of dLoss/dW;
 * - `theoryVarianceRatio`, `measuredVarianceRatio`: E[a_l^2] / E[a_{l-1}^2] predicted and measured
 *   (theory.ts, with the convolution's fan: receptive field x input channels; for the softmax output
 *   layer, of its logits).
 *
 * A number that cannot be computed (a layer that receives no gradient, an input whose second moment
 * is 0) is NaN, which JSON prints as null.
 */
import { ValueError, checkOptionKeys, keysOf } from '../core/errors.js';
import type { Tensor, Variable } from '../core/tensor.js';
import { backward } from '../autodiff/backward.js';
import { dense } from '../autodiff/primitives.js';
import { noGrad } from '../autodiff/node.js';
import { adviseInitializer } from '../initializers/advisor.js';
import { effectiveActivation } from '../models/effective_activation.js';
import { Dense } from '../layers/dense.js';
import type { Layer } from '../layers/layer.js';
import { getLoss, type LossConfig } from '../losses/get.js';
import { logitsOf } from '../ops/softmax.js';
import type { LayersModel } from '../models/layers_model.js';
import { deadFraction, meanStd } from './gradient_stats.js';
import { firstNonFinite, l2Norm, saturatedFraction, secondMoment } from './layer_statistics.js';
import { theoryVarianceRatio, weightSecondMoment } from './theory.js';
import { type FixPhrasing, type ModelStructure, type Verdict, judge } from './verdict.js';
import { Merge } from '../layers/merge.js';
import { BaseConv } from '../layers/base_conv.js';
import { DepthwiseConv2D } from '../layers/depthwise_conv2d.js';
import type { Initializer } from '../initializers/index.js';
import type { ActivationName } from '../activations/activations.js';
import { BatchNormalization } from '../layers/batch_normalization.js';

/** One layer's measurements (the keys of `deepwell diagnose --json` first, then extras). */
export interface LayerDiagnosis {
  name: string;
  activation: string;
  /** Keras name of the kernel initializer (`he_normal`), or its class name for a custom one. */
  initializer: string;
  activationMean: number;
  activationStd: number;
  gradientStd: number;
  kernelGradientStd: number;
  saturatedFraction: number;
  deadFraction: number;
  theoryVarianceRatio: number;
  measuredVarianceRatio: number;
  /** 1-based position among the layers with a kernel. */
  depth: number;
  /** Dense: units; a convolution: output channels (filters, or channels x depth multiplier). */
  units: number;
  preActivationMean: number;
  preActivationStd: number;
  kernelGradientNorm: number;
  /** E[a^2] of the layer's input and of its output (logits for softmax). */
  inputSecondMoment: number;
  outputSecondMoment: number;
  /** Whether E[W^2] in the theory came from the initializer's configuration or was measured on the kernel. */
  theorySource: 'initializer' | 'kernel';
  /** The initializer the chapter's table recommends for the activation when the layer departs from it, else null. */
  recommendedInitializer: string | null;
  /** Whether any value of the output or of its gradient is NaN or infinite. */
  nonFinite: { forward: boolean; backward: boolean };
}

/** The result of a diagnosis. */
export interface Diagnosis {
  layers: LayerDiagnosis[];
  /** The merge layers of a functional model (empty for a Sequential), in model order. */
  merges: MergeDiagnosis[];
  /** What the verdict knew of the structure: skip connections (merge layers), batch normalization. */
  structure: ModelStructure;
  verdict: Verdict;
  loss: number;
  batchSize: number;
}

export interface DiagnoseOptions {
  /**
   * Loss to differentiate: a name or `{ name, fromLogits }`. Default: the compiled loss, else
   * 'sparse_categorical_crossentropy'.
   */
  loss?: string | LossConfig;
  /**
   * Forward in training mode (dropout active, batch normalization on batch statistics), as a
   * training step sees the network. Default true. Use false to leave layer state and random
   * streams untouched (the `--report` snapshots of `deepwell train` do).
   */
  training?: boolean;
  /**
   * How the verdict's fix names the ways to change a setting (verdict.ts `FixPhrasing`). Default
   * CLI_PHRASING: the command line's flags and the library's options (`--init he_normal, or
   * kernelInitializer: 'he_normal'`); the playground passes its controls' labels.
   */
  fixPhrasing?: FixPhrasing;
}

/** A layer with a kernel, as the diagnosis reads it. */
export type KernelLayer = Dense | BaseConv | DepthwiseConv2D;

/** The kernel initializer of a layer with a kernel (DepthwiseConv2D: its depthwise initializer). */
function kernelInitializerOf(layer: KernelLayer): Initializer {
  return layer instanceof DepthwiseConv2D ? layer.depthwiseInitializer : layer.kernelInitializer;
}

/** Keras-style snake_case name of a layer's kernel initializer (GlorotUniform -> glorot_uniform). */
export function initializerName(layer: KernelLayer): string {
  return kernelInitializerOf(layer).getClassName().replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** Units of a Dense layer, output channels of a convolution. */
function unitsOf(layer: KernelLayer): number {
  if (layer instanceof Dense) return layer.units;
  const k = layer.kernel as Variable;
  return layer instanceof DepthwiseConv2D ? k.shape[2] * k.shape[3] : k.shape[k.rank - 1];
}

/**
 * z of the layer for `input` without its activation (no tape). Dense: the dense primitive. A
 * convolution: the layer's own call on a view of it whose activation is 'linear', so padding,
 * strides and dilation stay the layer's (the view shares the kernel and bias; the layer is untouched).
 */
function preActivation(layer: KernelLayer, input: Tensor): Tensor {
  if (layer instanceof Dense) return noGrad(() => dense(input, layer.kernel as Variable, layer.bias, 'linear'));
  const linear = Object.create(layer, { activation: { value: 'linear' satisfies ActivationName } }) as KernelLayer;
  return noGrad(() => linear.call(input));
}

/** The model's layers with a kernel, in model order (a functional model's: by depth from the output, as Keras). */
function kernelLayers(layers: readonly Layer[]): { layer: KernelLayer }[] {
  return layers.filter((l): l is KernelLayer => l instanceof Dense || l instanceof BaseConv || l instanceof DepthwiseConv2D).map((layer) => ({ layer }));
}

/** One merge layer's measurements (functional models: Add, Concatenate, Multiply, Average). */
export interface MergeDiagnosis {
  name: string;
  className: string;
  activationMean: number;
  activationStd: number;
  /** Std of dLoss/d(output of the merge). */
  gradientStd: number;
  deadFraction: number;
  /** Whether any value of the output or of its gradient is NaN or infinite. */
  nonFinite: { forward: boolean; backward: boolean };
}

/**
 * Passes one batch (x, y) forward and backward through the loss and returns the per-layer
 * measurements and the verdict. The weights are not changed.
 *
 * Shapes: x [batch, ...inputShape], y the loss's targets ([batch] class labels for sparse crossentropy).
 * @throws ValueError for an unknown option key or when the model has no Dense layer; errors of the model or the loss for bad shapes.
 * @example
 * const d = diagnoseModel(model, xBatch, yBatch);
 * d.verdict.kind; // 'vanishing' for 30 ReLU layers with glorot_uniform
 */
export function diagnoseModel(model: LayersModel, x: Tensor, y: Tensor, options: DiagnoseOptions = {}): Diagnosis {
  checkOptionKeys('diagnoseModel', options, keysOf<DiagnoseOptions>({ loss: true, training: true, fixPhrasing: true }));
  if (!model.built) model.build([null, ...x.shape.slice(1)]);
  const entries = kernelLayers(model.layers);
  if (entries.length === 0) throw new ValueError(`diagnose: model "${model.name}" has no layer with a kernel (Dense, Conv1D, Conv2D, DepthwiseConv2D) to diagnose.`);
  const lossFn = options.loss !== undefined ? getLoss(options.loss).fn
    : model.compiled !== null ? model.compiled.loss : getLoss('sparse_categorical_crossentropy').fn;
  // A training-mode forward updates layer state (batch-norm moving statistics): keep a copy and
  // put it back at the end, so diagnosing never changes the model.
  const pred = model.withStateRestored(() => model.call(x, { training: options.training ?? true }));
  const loss = lossFn(y, pred);
  // Each layer's input and output of this forward pass (a shared layer: its last call).
  const inputs = entries.map(({ layer }) => layer.lastInput ?? x);
  const outputs = entries.map(({ layer }) => layer.lastOutput as Tensor);
  // The softmax output layer is differentiated at its logits (the crossentropy works on them).
  const probes = outputs.map((o, i) => (entries[i].layer.activation === 'softmax' ? logitsOf(o) ?? o : o));
  const kernels = entries.map(({ layer }) => layer.kernel as Variable);
  const mergeLayers = model.layers.filter((l): l is Merge => l instanceof Merge && l.lastOutput !== null);
  const mergeOutputs = mergeLayers.map((l) => l.lastOutput as Tensor);
  const allGrads = backward(loss, [...probes, ...kernels, ...mergeOutputs]);
  const grads = allGrads.slice(0, probes.length + kernels.length);
  const merges = mergeLayers.map((layer, i): MergeDiagnosis => {
    const out = mergeOutputs[i];
    const g = allGrads[probes.length + kernels.length + i];
    const act = meanStd(out.data);
    return {
      name: layer.name, className: layer.className, activationMean: act.mean, activationStd: act.std,
      gradientStd: g !== null ? meanStd(g).std : NaN, deadFraction: deadFraction(out.data, out.shape[out.rank - 1]),
      nonFinite: { forward: firstNonFinite(out.data) >= 0, backward: g !== null && firstNonFinite(g) >= 0 },
    };
  });
  const structure: ModelStructure = {
    skipConnections: model.layers.some((l) => l instanceof Merge),
    batchNormalization: model.layers.some((l) => l instanceof BatchNormalization),
  };
  const connections = model.connections();
  const adviceFor = (layer: KernelLayer) => {
    const index = model.layers.indexOf(layer);
    // A layer of a nested model is not in this model's graph: its own activation.
    const activation = index >= 0 ? effectiveActivation(model.layers, connections, index) : layer.activation;
    return activation === null ? null : adviseInitializer(activation, kernelInitializerOf(layer));
  };
  const layers = entries.map(({ layer }, i): LayerDiagnosis => {
    const input = inputs[i];
    const output = outputs[i];
    const kernel = kernels[i];
    const isSoftmax = layer.activation === 'softmax';
    const z = isSoftmax ? probes[i] : layer.activation === 'linear' ? output : preActivation(layer, input);
    const pre = meanStd(z.data);
    const act = meanStd(output.data);
    const gOut = grads[i];
    const gKernel = grads[entries.length + i];
    const qIn = secondMoment(input.data);
    const qOut = secondMoment(isSoftmax ? z.data : output.data);
    const nominal = weightSecondMoment(kernelInitializerOf(layer), kernel.shape);
    const theory = theoryVarianceRatio({
      activation: layer.activation,
      // A depthwise output sums over its window of one channel: fan_in = kH * kW (not x inChannels).
      kernelShape: layer instanceof DepthwiseConv2D ? [kernel.shape[0], kernel.shape[1], 1, kernel.shape[3]] : kernel.shape,
      weightSecondMoment: nominal ?? secondMoment(kernel.data),
      biasSecondMoment: layer.bias !== null ? secondMoment(layer.bias.data) : 0,
      inputSecondMoment: qIn,
    });
    return {
      name: layer.name,
      activation: layer.activation,
      initializer: initializerName(layer),
      activationMean: act.mean,
      activationStd: act.std,
      gradientStd: gOut !== null ? meanStd(gOut).std : NaN,
      kernelGradientStd: gKernel !== null ? meanStd(gKernel).std : NaN,
      saturatedFraction: saturatedFraction(output.data, layer.activation),
      deadFraction: layer.activation === 'softmax' ? 0 : deadFraction(output.data, unitsOf(layer)),
      theoryVarianceRatio: theory,
      measuredVarianceRatio: qIn > 0 ? qOut / qIn : NaN,
      depth: i + 1,
      units: unitsOf(layer),
      preActivationMean: pre.mean,
      preActivationStd: pre.std,
      kernelGradientNorm: gKernel !== null ? l2Norm(gKernel) : NaN,
      inputSecondMoment: qIn,
      outputSecondMoment: qOut,
      theorySource: nominal !== null ? 'initializer' : 'kernel',
      // Against the effective activation: a linear conv before BatchNormalization / Add -> relu is a relu layer.
      recommendedInitializer: adviceFor(layer)?.recommended ?? null,
      nonFinite: {
        forward: firstNonFinite(output.data) >= 0,
        backward: (gOut !== null && firstNonFinite(gOut) >= 0) || (gKernel !== null && firstNonFinite(gKernel) >= 0),
      },
    };
  });
  return { layers, merges, structure, verdict: judge(layers, structure, options.fixPhrasing), loss: loss.data[0], batchSize: x.shape[0] };
}
