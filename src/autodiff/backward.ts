/**
 * Reverse-mode backpropagation: an iterative topological sort of the recorded graph (no recursion,
 * so a 1,000-layer network cannot overflow the stack), then one pass in reverse order that applies
 * each node's backward rule and accumulates one gradient per tensor.
 */
import { type TypedArray, allocate } from '../core/dtype.js';
import { ShapeError } from '../core/errors.js';
import { formatShape } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { backwardRules, type BackwardRule } from './backward_rules.js';
import type { Node, OpKind } from './node.js';

/** Tensors reachable from `root` through recorded nodes, inputs before outputs. */
export function topologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  // Explicit stack of [tensor, index of the next input to visit].
  const stack: [Tensor, number][] = [[root, 0]];
  visited.add(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const [t, i] = top;
    const inputs = t.node?.inputs ?? [];
    if (i < inputs.length) {
      top[1] = i + 1;
      const child = inputs[i];
      if (child.requiresGrad && !visited.has(child)) {
        visited.add(child);
        stack.push([child, 0]);
      }
    } else {
      stack.pop();
      order.push(t);
    }
  }
  return order;
}

/**
 * Gradients of `output` with respect to each tensor of `wrt` (null when it does not depend on it).
 * `seed` is the gradient of the final objective with respect to `output`; it defaults to ones,
 * which for a scalar output gives d output / d wrt.
 */
export function backward(output: Tensor, wrt: readonly Tensor[], seed?: TypedArray): (TypedArray | null)[] {
  const grads = new Map<Tensor, TypedArray>();
  const start = seed ?? allocate(output.dtype, output.size).fill(1);
  if (start.length !== output.size) {
    throw new ShapeError(`backward: seed has ${start.length} elements, output ${formatShape(output.shape)} has ${output.size}.`);
  }
  grads.set(output, start);
  const order = topologicalOrder(output);
  for (let idx = order.length - 1; idx >= 0; idx--) {
    const t = order[idx];
    const node = t.node as Node<OpKind> | null;
    const dy = grads.get(t);
    if (node === null || dy === undefined) continue;
    const rule = backwardRules[node.kind] as BackwardRule<OpKind>;
    const inputGrads = rule(node, dy);
    node.inputs.forEach((input, i) => {
      const g = inputGrads[i];
      if (g === null || g === undefined || !input.requiresGrad) return;
      const prev = grads.get(input);
      if (prev === undefined) {
        grads.set(input, g);
      } else {
        // A new array: `prev` or `g` may be shared with another tensor's gradient.
        const acc = allocate(input.dtype, prev.length);
        for (let j = 0; j < acc.length; j++) acc[j] = prev[j] + g[j];
        grads.set(input, acc);
      }
    });
    // Intermediate gradients are no longer needed once propagated.
    if (!wrt.includes(t)) grads.delete(t);
  }
  return wrt.map((w) => grads.get(w) ?? null);
}
