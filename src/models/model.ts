/**
 * Model: the functional API (Keras `keras.Model(inputs, outputs)`): a graph of layers from an `Input`
 * to an output, with everything `Sequential` has (compile, fit, evaluate, predict, summary, weights,
 * save: the shared `LayersModel` base). Layers may branch and merge (Add, Concatenate, ...), and one
 * layer object called twice is one layer with one set of weights.
 *
 * The forward pass runs the graph's nodes in topological order (a loop, no recursion).
 *
 * Shapes: x [batch, ...inputShape] -> [batch, ...outputShape]; with several inputs or outputs, one
 * tensor per input (in `inputs` order, or keyed by input name) -> one per output (`predict` returns a list).
 * Reference: Keras 3 keras/src/models/functional.py (config: `layers` with `inbound_nodes`,
 * `input_layers`, `output_layers`; class_name 'Functional'); TF.js `tf.model`.
 * @example
 * const x = Input({ shape: [8] });
 * const h = new layers.Dense(8, { activation: 'relu' }).apply(x);
 * const model = new Model({ inputs: x, outputs: new layers.Add().apply([x, h]) });  // a residual block
 */
import { ShapeError, ValueError, checkOptionKeys, keysOf } from '../core/errors.js';
import { formatShape } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { type SerializedObject, deserialize, registerSerializable, serialize } from '../core/serialization.js';
import { type CallOptions, CALL_OPTION_KEYS, type Layer, type SymbolicShape, formatSymbolic, uniqueLayerName } from '../layers/layer.js';
import { InputLayer } from '../layers/input_layer.js';
import { type LayerNode, SymbolicTensor } from '../layers/symbolic_tensor.js';
import '../layers/registry.js';
import '../optimizers/registry.js';
import { mapGraph } from './functional_graph.js';
import { LayersModel } from './layers_model.js';
import { functionalSummaryTable } from './summary.js';
import { deserializeLayer, serializeLayer } from './model_layer.js';

/** Options of the Model constructor. */
export interface ModelOptions {
  /** The model's inputs: a SymbolicTensor from `Input`, or a list of them (a multi-input model). */
  inputs: SymbolicTensor | readonly SymbolicTensor[];
  /** The model's outputs: a SymbolicTensor computed from the inputs, or a list of them (a multi-output model). */
  outputs: SymbolicTensor | readonly SymbolicTensor[];
  /** Model name; auto-numbered when omitted (`functional`, `functional_1`, ...), as Keras 3. */
  name?: string;
}

/** The keys of `ModelOptions`. */
export const MODEL_OPTION_KEYS = keysOf<ModelOptions>({ inputs: true, outputs: true, name: true });

/** A tensor reference in a config: `[layerName, nodeIndex, tensorIndex]`. */
type TensorRef = [string, number, number];

/** The keyword options a node of a config may carry; anything else is refused. */
const NODE_KWARGS = ['training', 'mask'] as const;

export class Model extends LayersModel {
  /** Keras 3's class name for a functional model (module keras.src.models.functional). */
  static readonly className = 'Functional';
  readonly layers: Layer[];
  /** The model's input tensors, in the order `fit`/`predict` take their data. */
  readonly inputs: readonly SymbolicTensor[];
  /** The model's output tensors, in the order `predict` returns them and `compile` takes per-output losses. */
  readonly outputs: readonly SymbolicTensor[];
  /** The graph's nodes, producers before consumers. */
  private readonly nodes: readonly LayerNode[];
  /** The nodes of each layer that belong to this model, in call order (their position is the node index in configs). */
  private readonly ownNodes = new Map<Layer, LayerNode[]>();

  /**
   * @throws ValueError for an unknown option key, an input that does not come from `Input`, an input
   *   listed twice, a disconnected graph or two layers with one name.
   */
  constructor(options: ModelOptions) {
    checkOptionKeys('Model', options, MODEL_OPTION_KEYS);
    super(options.name ?? uniqueLayerName('Functional'));
    const inputs = toList('inputs', options.inputs);
    const outputs = toList('outputs', options.outputs);
    for (const t of inputs) {
      if (!t.node.isInput) {
        throw new ValueError(`Model "${this.name}": input ${t.name} is computed by layer "${t.node.layer.name}"; a model's inputs must come from Input({ shape }).`);
      }
    }
    if (new Set(inputs).size !== inputs.length) throw new ValueError(`Model "${this.name}": an input is listed twice in inputs (${inputs.map((t) => t.name).join(', ')}); list each Input once.`);
    this.inputs = inputs;
    this.outputs = outputs;
    const graph = mapGraph(inputs, outputs);
    this.nodes = graph.nodes;
    this.layers = graph.layers;
    const inModel = new Set(graph.nodes);
    for (const layer of this.layers) this.ownNodes.set(layer, layer.inboundNodes.filter((n) => inModel.has(n)));
    this.builtInputShape = inputs[0].shape;
  }

  override inputShapesExpected(): SymbolicShape[] {
    return this.inputs.map((t) => t.shape);
  }

  get typeName(): string {
    return 'Model';
  }

  /** Always true: calling layers on symbolic tensors built them. */
  get built(): boolean {
    return true;
  }

  /** The names of the model's inputs (their InputLayers' names), the keys of `fit`/`predict` data given by name. */
  override get inputNames(): string[] {
    return this.inputs.map((t) => t.node.layer.name);
  }

  /** The names of the model's outputs (the names of the layers that compute them, as Keras 3's `output_names`). */
  override get outputNames(): string[] {
    return this.outputs.map((t) => t.node.layer.name);
  }

  /**
   * Checks an input shape against the model's (its layers were built when called on the Input).
   * @throws ShapeError for another shape.
   */
  build(inputShape: SymbolicShape): void {
    this.checkInputShape(0, inputShape, formatSymbolic(inputShape));
  }

  private checkInputShape(i: number, shape: SymbolicShape, shown: string): void {
    const expected = this.inputs[i].shape;
    if (shape.length !== expected.length || shape.some((d, k) => k > 0 && d !== expected[k])) {
      const which = this.inputs.length > 1 ? ` ${i} ("${this.inputNames[i]}")` : '';
      throw new ShapeError(`Model "${this.name}": expected input${which} of shape ${formatSymbolic(expected)}, received ${shown}. Reshape the data or build the model on Input({ shape: [${shape.slice(1).join(', ')}] }).`);
    }
  }

  /** The (first) output's shape, batch dimension null. */
  outputShape(): SymbolicShape {
    return this.outputs[0].shape;
  }

  /** Every output's shape, batch dimension null. */
  override outputShapes(): SymbolicShape[] {
    return this.outputs.map((t) => t.shape);
  }

  /** The output shape for an input shape (a model used as a layer): checked against the input, then the output's. */
  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    this.build(inputShape);
    return this.outputShape();
  }

  /**
   * The forward pass of a one-input, one-output model (see `callAll` for several).
   * @throws ShapeError when x does not have the input's shape; ValueError for a multi-input or multi-output model.
   */
  call(x: Tensor, options: CallOptions = {}): Tensor {
    if (this.inputs.length !== 1 || this.outputs.length !== 1) {
      throw new ValueError(`Model "${this.name}" has ${this.inputs.length} inputs and ${this.outputs.length} outputs; call it with callAll([x1, ...]) (one tensor per input), which returns one tensor per output, or use predict.`);
    }
    return this.callAll([x], options)[0];
  }

  /**
   * The forward pass: each node of the graph in topological order, each layer applied to the values
   * of its inputs. A training mode pinned at the symbolic call (`layer.apply(x, { training: false })`)
   * wins over `options.training`.
   * Shapes: one tensor per input ([batch, ...inputShape_i]) -> one per output.
   * @throws ShapeError when a tensor does not have its input's shape or the batch sizes differ;
   *   ValueError for a wrong number of tensors.
   */
  override callAll(xs: readonly Tensor[], options: CallOptions = {}): Tensor[] {
    checkOptionKeys('Model.call', options, CALL_OPTION_KEYS);
    if (xs.length !== this.inputs.length) {
      throw new ValueError(`Model "${this.name}": received ${xs.length} input tensors for its ${this.inputs.length} inputs (${this.inputNames.join(', ')}); pass one tensor per input, in that order.`);
    }
    xs.forEach((x, i) => this.checkInputShape(i, [null, ...x.shape.slice(1)], formatShape(x.shape)));
    if (xs.some((x) => x.shape[0] !== xs[0].shape[0])) {
      throw new ShapeError(`Model "${this.name}": the input tensors have ${xs.map((x) => x.shape[0]).join(', ')} samples; every input needs the same number of samples.`);
    }
    const values = new Map<SymbolicTensor, Tensor>(this.inputs.map((t, i) => [t, xs[i]]));
    for (const node of this.nodes) {
      if (node.isInput) continue;
      const args = node.inputs.map((t) => values.get(t) as Tensor);
      const training = node.kwargs.training ?? options.training;
      const y = node.layer.apply(node.listInput ? args : args[0], training === undefined ? {} : { training });
      values.set(node.outputs[0], y);
    }
    return this.outputs.map((t) => values.get(t) as Tensor);
  }

  /** Every `[from, to]` pair of layer indices such that `layers[to]` is called on an output of `layers[from]` (each pair once). */
  override connections(): [number, number][] {
    const index = new Map(this.layers.map((l, i) => [l, i]));
    const seen = new Set<string>();
    const out: [number, number][] = [];
    this.layers.forEach((layer, to) => {
      for (const node of this.ownNodes.get(layer) as LayerNode[]) {
        for (const t of node.inputs) {
          const from = index.get(t.node.layer) as number;
          if (!seen.has(`${from},${to}`)) {
            seen.add(`${from},${to}`);
            out.push([from, to]);
          }
        }
      }
    });
    return out;
  }

  /** The position of a node among its layer's nodes in this model (the node index of configs and summaries). */
  private nodeIndex(node: LayerNode): number {
    return (this.ownNodes.get(node.layer) as LayerNode[]).indexOf(node);
  }

  /** `[layerName, nodeIndex, tensorIndex]` of a tensor of this model. */
  private ref(t: SymbolicTensor): TensorRef {
    return [t.node.layer.name, this.nodeIndex(t.node), t.index];
  }

  /**
   * The summary table (tf.keras 2 layout) with the "Connected to" column: the tensors each layer is
   * called on, as `layer[node][tensor]`.
   */
  summary(printFn?: (line: string) => void): string {
    if (printFn !== undefined && typeof printFn !== 'function') {
      throw new ValueError(`${this.typeName}.summary: printFn must be a function (line) => void, such as console.log, received ${typeof printFn}.`);
    }
    const rows = this.layers.map((layer) => {
      const nodes = this.ownNodes.get(layer) as LayerNode[];
      return {
        layer,
        shape: nodes[0].outputs[0].shape,
        connected: nodes.flatMap((n) => n.inputs.map((t) => { const [l, i, k] = this.ref(t); return `${l}[${i}][${k}]`; })),
      };
    });
    const text = functionalSummaryTable(this.name, rows);
    printFn?.(text);
    return text;
  }

  /**
   * Keras 3's functional config: `{ name, trainable, layers, input_layers, output_layers }`, each layer
   * serialized with its `name`, `build_config` (the input shape of its first call) and `inbound_nodes`
   * (`{ args: [tensor or [tensors]], kwargs }`, each tensor `{ class_name: '__keras_tensor__',
   * config: { shape, dtype, keras_history: [layer, node, tensor] } }`).
   */
  getConfig(): Record<string, unknown> {
    const layers = this.layers.map((layer) => {
      const s = serializeLayer(layer) as SerializedObject & Record<string, unknown>;
      delete (s.config as Record<string, unknown>).input_shape;
      const nodes = this.ownNodes.get(layer) as LayerNode[];
      if (!(layer instanceof InputLayer)) {
        const shapes = nodes[0].inputs.map((t) => [...t.shape]);
        s.build_config = { input_shape: nodes[0].listInput ? shapes : shapes[0] };
      }
      s.name = layer.name;
      s.inbound_nodes = nodes.filter((n) => !n.isInput).map((n) => {
        const tensors = n.inputs.map((t) => ({ class_name: '__keras_tensor__', config: { shape: [...t.shape], dtype: 'float32', keras_history: this.ref(t) } }));
        return { args: [n.listInput ? tensors : tensors[0]], kwargs: { ...n.kwargs } };
      });
      return s;
    });
    return {
      name: this.name,
      trainable: this.layers.every((l) => l.trainable),
      layers,
      inputLayers: this.inputs.map((t) => this.ref(t)),
      outputLayers: this.outputs.map((t) => this.ref(t)),
    };
  }

  /**
   * A model from its config: Keras 3 (`inbound_nodes: [{ args, kwargs }]`) or Keras 2 / TF.js
   * (`inbound_nodes: [[[name, node, tensor, kwargs], ...]]`), layers created in order and called as
   * their nodes say (shared layers: one layer, several nodes). Layer names are kept as written.
   * @throws ValueError for an unknown layer class, a node that refers to a missing layer or node, a
   *   keyword option other than `training`, or inputs/outputs that are not a layer's output.
   */
  static fromConfig(config: Record<string, unknown>): Model {
    checkOptionKeys('Functional config', config, ['name', 'trainable', 'layers', 'inputLayers', 'outputLayers']);
    const specs = config.layers;
    if (!Array.isArray(specs)) throw new ValueError(`Functional config: 'layers' is ${typeof specs}; expected an array of serialized layers with inbound_nodes.`);
    const created = new Map<string, Layer>();
    const pending = new Map<Layer, unknown[]>();
    const order: Layer[] = [];
    for (const spec of specs) {
      const layer = deserializeLayer(spec);
      const outerName = (spec as { name?: unknown }).name;
      if (typeof outerName === 'string' && outerName !== layer.name) throw new ValueError(`Functional config: a layer is listed as "${outerName}" but its config names it "${layer.name}".`);
      if (created.has(layer.name)) throw new ValueError(`Functional config: two layers are named "${layer.name}"; layer names must be unique.`);
      created.set(layer.name, layer);
      order.push(layer);
      if (layer instanceof InputLayer) void layer.output;
      const nodes = (spec as { inbound_nodes?: unknown }).inbound_nodes ?? [];
      if (!Array.isArray(nodes)) throw new ValueError(`Functional config: layer "${layer.name}" has inbound_nodes ${JSON.stringify(nodes)}; expected a list.`);
      pending.set(layer, [...nodes]);
    }
    const find = (ref: unknown, where: string): SymbolicTensor | null => {
      if (!Array.isArray(ref) || typeof ref[0] !== 'string' || !Number.isInteger(ref[1]) || !Number.isInteger(ref[2] ?? 0)) {
        throw new ValueError(`Functional config: ${where} refers to ${JSON.stringify(ref)}; expected [layerName, nodeIndex, tensorIndex].`);
      }
      const layer = created.get(ref[0]);
      if (layer === undefined) throw new ValueError(`Functional config: ${where} refers to layer "${ref[0]}", which the config does not have (layers: ${[...created.keys()].join(', ')}).`);
      const node = layer.inboundNodes[ref[1] as number];
      return node === undefined ? null : node.outputs[(ref[2] ?? 0) as number] ?? null;
    };
    // Each pass calls every layer whose next node's inputs exist; configs are in topological order, so one pass usually suffices.
    let progress = true;
    while (progress && [...pending.values()].some((n) => n.length > 0)) {
      progress = false;
      for (const layer of order) {
        const queue = pending.get(layer) as unknown[];
        while (queue.length > 0) {
          const call = parseNode(queue[0], layer.name, find);
          if (call === null) break;
          queue.shift();
          progress = true;
          layer.apply(call.listInput ? call.inputs : call.inputs[0], call.kwargs);
        }
      }
    }
    const stuck = order.filter((l) => (pending.get(l) as unknown[]).length > 0);
    if (stuck.length > 0) {
      throw new ValueError(`Functional config: the inbound nodes of ${stuck.map((l) => `"${l.name}"`).join(', ')} refer to tensors no layer produces (a cycle or a missing node). The config is corrupt.`);
    }
    const io = (key: 'inputLayers' | 'outputLayers'): SymbolicTensor[] => {
      const raw = config[key];
      const refs = Array.isArray(raw) && typeof raw[0] === 'string' ? [raw] : raw;
      if (!Array.isArray(refs) || refs.length === 0) throw new ValueError(`Functional config: ${key === 'inputLayers' ? 'input_layers' : 'output_layers'} is ${JSON.stringify(raw)}; expected [[layerName, nodeIndex, tensorIndex], ...].`);
      return refs.map((r, i) => {
        const t = find(r, `${key === 'inputLayers' ? 'input_layers' : 'output_layers'}[${i}]`);
        if (t === null) throw new ValueError(`Functional config: ${key === 'inputLayers' ? 'input_layers' : 'output_layers'}[${i}] refers to ${JSON.stringify(r)}, a node that does not exist.`);
        return t;
      });
    };
    const model = new Model({ inputs: io('inputLayers'), outputs: io('outputLayers'), ...(typeof config.name === 'string' ? { name: config.name } : {}) });
    if (config.trainable === false) for (const l of model.layers) l.trainable = false;
    return model;
  }
}

registerSerializable(Model, { kind: 'models', package: 'keras', module: 'keras.src.models.functional', aliases: ['Model'] });

function toList(what: string, x: SymbolicTensor | readonly SymbolicTensor[]): SymbolicTensor[] {
  const list = Array.isArray(x) ? [...x] : [x];
  if (list.length === 0 || list.some((t) => !(t instanceof SymbolicTensor))) {
    throw new ValueError(`Model: ${what} must be a SymbolicTensor (from Input or a layer called on one) or a list of them, received ${list.length === 0 ? 'an empty list' : 'something else'}. Call layers with layer.apply(x) on x = Input({ shape }).`);
  }
  return list;
}

/** One parsed inbound node: the input tensors, whether they form a list, the call options. */
interface ParsedNode {
  inputs: SymbolicTensor[];
  listInput: boolean;
  kwargs: CallOptions;
}

/**
 * Parses one inbound node (Keras 3 `{ args, kwargs }` or Keras 2 `[[name, node, tensor, kwargs], ...]`);
 * null when a tensor it needs does not exist yet.
 */
function parseNode(data: unknown, layerName: string, find: (ref: unknown, where: string) => SymbolicTensor | null): ParsedNode | null {
  const where = `an inbound node of layer "${layerName}"`;
  let refs: unknown[];
  let listInput: boolean;
  let kwargs: Record<string, unknown> = {};
  if (data !== null && typeof data === 'object' && !Array.isArray(data)) {
    const { args, kwargs: kw } = data as { args?: unknown; kwargs?: unknown };
    if (!Array.isArray(args) || args.length !== 1) throw new ValueError(`Functional config: ${where} has args ${JSON.stringify(args)}; expected [tensor] or [[tensors]].`);
    listInput = Array.isArray(args[0]);
    refs = (listInput ? args[0] : [args[0]]) as unknown[];
    refs = refs.map((t) => {
      const c = (t as { class_name?: unknown; config?: { keras_history?: unknown } });
      if (c?.class_name !== '__keras_tensor__') throw new ValueError(`Functional config: ${where} has an argument ${JSON.stringify(t)}; expected a '__keras_tensor__'.`);
      return c.config?.keras_history;
    });
    kwargs = (kw ?? {}) as Record<string, unknown>;
  } else if (Array.isArray(data)) {
    listInput = data.length > 1;
    refs = data;
    for (const r of data) if (Array.isArray(r) && r[3] !== undefined && r[3] !== null) kwargs = { ...kwargs, ...(r[3] as Record<string, unknown>) };
  } else {
    throw new ValueError(`Functional config: ${where} is ${JSON.stringify(data)}; expected { args, kwargs } (Keras 3) or [[name, node, tensor, kwargs]] (Keras 2).`);
  }
  for (const k of Object.keys(kwargs)) {
    if (!(NODE_KWARGS as readonly string[]).includes(k) || (k === 'mask' && kwargs[k] !== null) || (k === 'training' && typeof kwargs[k] !== 'boolean' && kwargs[k] !== null)) {
      throw new ValueError(`Functional config: ${where} has keyword ${k} = ${JSON.stringify(kwargs[k])}; deepwell reads only training (true/false) and mask: null.`);
    }
  }
  const inputs: SymbolicTensor[] = [];
  for (const r of refs) {
    const t = find(r, where);
    if (t === null) return null;
    inputs.push(t);
  }
  return { inputs, listInput, kwargs: typeof kwargs.training === 'boolean' ? { training: kwargs.training } : {} };
}
