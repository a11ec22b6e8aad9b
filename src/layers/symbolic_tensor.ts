/**
 * SymbolicTensor and LayerNode: the graph that the functional API records (Keras 3 `KerasTensor` and
 * `Node`). Calling a layer on a SymbolicTensor computes nothing: it builds the layer for the input
 * shape, records one `LayerNode` (the call: the layer, its input tensors, its keyword options) in
 * `layer.inboundNodes`, and returns the node's output, a SymbolicTensor of the output shape.
 *
 * A tensor's `kerasHistory` is `[layer, nodeIndex, tensorIndex]`, the triple Keras writes in configs
 * (`keras_history`): the layer that made it, which call of that layer (a shared layer has one node per
 * call), and which output of the call (always 0: deepwell's layers have one output).
 *
 * Shapes: `shape` has the batch dimension first, as `null`: `[null, 784]`.
 * Reference: Keras 3 keras/src/backend/common/keras_tensor.py, keras/src/ops/node.py.
 */
import type { CallOptions, Layer, SymbolicShape } from './layer.js';

/** One call of a layer in a functional graph (Keras `Node`). */
export class LayerNode {
  /** The node's outputs (one per layer output; deepwell's layers have one). */
  readonly outputs: SymbolicTensor[] = [];

  /**
   * @param layer - the layer called.
   * @param index - the position of this call among the layer's calls (`layer.inboundNodes[index]`).
   * @param inputs - the tensors the layer was called on (empty for an InputLayer's node).
   * @param listInput - whether the layer received a list (merge layers), not one tensor.
   * @param kwargs - the call options given with the symbolic call (`{ training: false }` pins the mode).
   */
  constructor(
    readonly layer: Layer,
    readonly index: number,
    readonly inputs: readonly SymbolicTensor[],
    readonly listInput: boolean,
    readonly kwargs: Readonly<CallOptions>,
  ) {}

  /** The nodes that produced this node's inputs (Keras `parent_nodes`). */
  get parentNodes(): LayerNode[] {
    return this.inputs.map((t) => t.node);
  }

  /** Whether this is the node of an InputLayer (no inputs). */
  get isInput(): boolean {
    return this.inputs.length === 0;
  }
}

/** A placeholder for a batch of values in a functional graph: a shape and where it comes from. */
export class SymbolicTensor {
  /** Always 'float32': deepwell's layers compute in float32. */
  readonly dtype = 'float32';

  constructor(
    /** The shape with the batch dimension first (`null`). */
    readonly shape: SymbolicShape,
    /** The call that produced the tensor. */
    readonly node: LayerNode,
    /** Which output of the call (0). */
    readonly index: number,
  ) {}

  /** `[layer, nodeIndex, tensorIndex]` (Keras `_keras_history`). */
  get kerasHistory(): readonly [Layer, number, number] {
    return [this.node.layer, this.node.index, this.index];
  }

  /** The tensor's name as Keras shows it in summaries: `dense[0][0]`. */
  get name(): string {
    return `${this.node.layer.name}[${this.node.index}][${this.index}]`;
  }

  /** The rank, batch dimension included. */
  get rank(): number {
    return this.shape.length;
  }

  toString(): string {
    return `<SymbolicTensor shape=(${this.shape.map((d) => (d === null ? 'None' : String(d))).join(', ')}${this.shape.length === 1 ? ',' : ''}), name=${this.name}>`;
  }
}

/** Whether a value is a SymbolicTensor or a non-empty list of them. */
export function isSymbolic(x: unknown): x is SymbolicTensor | readonly SymbolicTensor[] {
  return x instanceof SymbolicTensor || (Array.isArray(x) && x.length > 0 && x.every((t) => t instanceof SymbolicTensor));
}
