/**
 * The functional graph between a model's input and output SymbolicTensors: its nodes in an order in
 * which every node comes after the nodes that feed it, and its layers in Keras's order (by depth from
 * the output, deepest first, ties by first visit from the outputs). Keras's config and its `.keras`
 * weight paths both follow that layer order, so deepwell writes and reads the same files.
 *
 * Iterative (an explicit stack, no recursion), so a graph of thousands of layers does not overflow.
 * Reference: Keras 3 keras/src/ops/function.py (`map_graph`, `_build_map`).
 */
import { ValueError } from '../core/errors.js';
import type { Layer } from '../layers/layer.js';
import type { LayerNode, SymbolicTensor } from '../layers/symbolic_tensor.js';

/** A mapped graph. */
export interface FunctionalGraph {
  /** Every node between the inputs and the outputs, producers before consumers. */
  nodes: LayerNode[];
  /** Every layer once, in Keras's `model.layers` order (InputLayers included). */
  layers: Layer[];
}

/**
 * Maps the graph from `outputs` back to `inputs` (Keras `map_graph`).
 * @throws ValueError when an output depends on a tensor that no input reaches (a disconnected graph),
 *   or when two layers share a name.
 */
export function mapGraph(inputs: readonly SymbolicTensor[], outputs: readonly SymbolicTensor[]): FunctionalGraph {
  // Depth-first from each output; post-order gives producers before consumers (Keras `_build_map`).
  const finished = new Set<LayerNode>();
  const order: LayerNode[] = [];
  const layerIndex = new Map<Layer, number>();
  const inputSet = new Set(inputs);
  for (const output of outputs) {
    const stack: { node: LayerNode; next: number }[] = [];
    const inProgress = new Set<LayerNode>();
    const visit = (t: SymbolicTensor): void => {
      const node = t.node;
      if (finished.has(node) || inProgress.has(node)) return;
      if (!layerIndex.has(node.layer)) layerIndex.set(node.layer, layerIndex.size);
      inProgress.add(node);
      stack.push({ node, next: inputSet.has(t) ? node.inputs.length : 0 });
    };
    visit(output);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      if (frame.next < frame.node.inputs.length) {
        visit(frame.node.inputs[frame.next++]);
      } else {
        stack.pop();
        inProgress.delete(frame.node);
        finished.add(frame.node);
        order.push(frame.node);
      }
    }
  }
  // Depth: 0 at the outputs, one more than the deepest consumer; a shared layer takes its deepest node's depth.
  const nodeDepth = new Map<LayerNode, number>();
  const layerDepth = new Map<Layer, number>();
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i];
    const depth = Math.max(nodeDepth.get(node) ?? 0, layerDepth.get(node.layer) ?? 0);
    layerDepth.set(node.layer, depth);
    nodeDepth.set(node, depth);
    for (const parent of node.parentNodes) nodeDepth.set(parent, Math.max(depth + 1, nodeDepth.get(parent) ?? 0));
  }
  // Inputs that no output uses still belong to the model (Keras keeps them, first in their depth).
  for (const t of inputs) {
    if (!layerDepth.has(t.node.layer)) {
      layerDepth.set(t.node.layer, 0);
      layerIndex.set(t.node.layer, -1);
      nodeDepth.set(t.node, 0);
      order.unshift(t.node);
    }
  }
  const layers = [...layerDepth.keys()].sort((a, b) => (layerDepth.get(b) as number) - (layerDepth.get(a) as number) || (layerIndex.get(a) as number) - (layerIndex.get(b) as number));
  // Every tensor a node needs must come from an input or an earlier node.
  const computable = new Set<SymbolicTensor>(inputs);
  for (const node of order) {
    if (!node.isInput && !node.outputs.every((t) => inputSet.has(t))) {
      const missing = node.inputs.find((t) => !computable.has(t));
      if (missing !== undefined) {
        throw new ValueError(`Graph disconnected: layer "${node.layer.name}" needs ${missing.name} (from layer "${missing.node.layer.name}"), which the model's inputs (${inputs.map((t) => t.name).join(', ')}) do not reach. Pass that tensor's Input among the model's inputs.`);
      }
    } else if (node.isInput && !node.outputs.every((t) => inputSet.has(t))) {
      throw new ValueError(`Graph disconnected: the outputs depend on Input "${node.layer.name}", which is not among the model's inputs (${inputs.map((t) => t.name).join(', ')}). Add it to inputs.`);
    }
    for (const t of node.outputs) computable.add(t);
  }
  const names = new Map<string, number>();
  for (const l of layers) names.set(l.name, (names.get(l.name) ?? 0) + 1);
  const repeated = [...names].filter(([, n]) => n > 1).map(([name]) => name);
  if (repeated.length > 0) {
    throw new ValueError(`The layer name${repeated.length > 1 ? 's' : ''} ${repeated.map((n) => `"${n}"`).join(', ')} ${repeated.length > 1 ? 'are' : 'is'} used by more than one layer of the model; layer names must be unique (configs and weight files refer to layers by name). Pass distinct { name } options.`);
  }
  return { nodes: order, layers };
}
