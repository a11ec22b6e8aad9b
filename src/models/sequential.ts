/**
 * Sequential: a linear stack of layers with Keras's compile / fit / evaluate / predict / summary.
 *
 * Shapes: x [batch, ...inputShape] -> [batch, ...outputShape].
 * Reference: Keras 3 keras/src/models/sequential.py and keras/src/trainers/trainer.py.
 */
import { ValueError, checkOptionKeys, keysOf } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import type { CallOptions, Layer, SymbolicShape } from '../layers/layer.js';
import { CALL_OPTION_KEYS, uniqueLayerName } from '../layers/layer.js';
import { InputLayer } from '../layers/input_layer.js';
import '../layers/registry.js';
import '../optimizers/registry.js';
import { type SerializedObject, accepts, deserialize, registerSerializable, serialize } from '../core/serialization.js';
import { summaryTable } from './summary.js';
import { LayersModel } from './layers_model.js';
import { ModelLayer, deserializeLayer, serializeLayer } from './model_layer.js';

export { type CompileOptions, COMPILE_OPTION_KEYS, type Compiled, type EvaluateOptions, EVALUATE_OPTION_KEYS, checkSamples, checkBatchSize } from './layers_model.js';

/** Options of the Sequential constructor. */
export interface SequentialOptions {
  /** Model name; auto-numbered when omitted (`sequential`, `sequential_1`, ...). */
  name?: string;
}

/** The keys of `SequentialOptions`. */
export const SEQUENTIAL_OPTION_KEYS = keysOf<SequentialOptions>({ name: true });

export class Sequential extends LayersModel {
  /** The registered class name (Keras's `class_name: 'Sequential'`, module 'keras'). */
  static readonly className = 'Sequential';
  readonly layers: Layer[] = [];
  /** The name of the InputLayer that `getConfig` writes (kept from a loaded config; default 'input_layer', as Keras 3). */
  inputLayerName = 'input_layer';

  /**
   * @param layers - the layers in order; a model among them is nested as one layer (its `asLayer()`).
   * @throws ValueError for an unknown option key (with the nearest valid one) or a duplicate layer name.
   */
  constructor(layers: readonly (Layer | LayersModel)[] = [], options: SequentialOptions = {}) {
    checkOptionKeys('Sequential', options, SEQUENTIAL_OPTION_KEYS);
    super(options.name ?? uniqueLayerName('Sequential'));
    for (const l of layers) this.add(l);
  }

  /**
   * Appends a layer (a model is nested as one layer); builds the model when the first layer declares
   * its `inputShape` (or is a built model).
   */
  add(layerOrModel: Layer | LayersModel): void {
    const layer = layerOrModel instanceof LayersModel ? layerOrModel.asLayer() : layerOrModel;
    if (this.layers.some((l) => l.name === layer.name)) {
      throw new ValueError(`Sequential "${this.name}": a layer named "${layer.name}" is already in the model; layer names must be unique.`);
    }
    this.layers.push(layer);
    const head = this.layers[0];
    const first = head.inputShape ?? (head instanceof ModelLayer && head.model.built ? head.model.builtInputShape?.slice(1) as number[] | undefined : undefined);
    if (first !== undefined) this.build([null, ...first]);
  }

  /** Builds every layer for an input shape (batch dimension null) and returns the output shapes. */
  build(inputShape: SymbolicShape): SymbolicShape[] {
    this.builtInputShape = inputShape;
    const shapes: SymbolicShape[] = [];
    let s = inputShape;
    for (const l of this.layers) {
      if (!l.built) l.build(s);
      s = l.computeOutputShape(s);
      shapes.push(s);
    }
    return shapes;
  }

  get typeName(): string {
    return 'Sequential';
  }

  get built(): boolean {
    return this.layers.length > 0 && this.layers.every((l) => l.built);
  }

  /** The forward pass (records gradients when weights require them). */
  call(x: Tensor, options: CallOptions = {}): Tensor {
    checkOptionKeys('Sequential.call', options, CALL_OPTION_KEYS);
    let y = x;
    for (const l of this.layers) y = l.apply(y, options);
    return y;
  }

  /**
   * Keras 3's model config: `{ name, trainable, dtype, layers, buildInputShape }` with an InputLayer
   * first when the input shape is known (the first layer's `inputShape` moves into it), each layer in
   * its Keras 3 serialized form with its `build_config`, as Keras 3.3 writes them. `serialize(model)` wraps it as `{ module: 'keras', class_name: 'Sequential', ... }`.
   */
  getConfig(): Record<string, unknown> {
    const inputShape = this.builtInputShape?.slice(1) ?? this.layers[0]?.inputShape;
    const layers: SerializedObject[] = [];
    if (inputShape !== undefined && inputShape.every((d) => d !== null)) {
      layers.push(serialize(new InputLayer({ batchShape: [null, ...(inputShape as number[])], name: this.inputLayerName })));
    }
    // Keras 3 writes each built layer's input shape as its build_config.
    const shapes = this.built && this.builtInputShape !== null ? [this.builtInputShape, ...this.build(this.builtInputShape)] : null;
    this.layers.forEach((l, i) => {
      const s = serializeLayer(l);
      delete (s.config as Record<string, unknown>).input_shape;
      if (shapes !== null) s.build_config = { input_shape: [...shapes[i]] };
      layers.push(s);
    });
    const config: Record<string, unknown> = { name: this.name, trainable: true, dtype: 'float32', layers };
    if (this.builtInputShape !== null) config.buildInputShape = [...this.builtInputShape];
    return config;
  }

  /** Builds from Keras's `build_config` (`{ input_shape: [null, ...] }`) unless already built (Keras `build_from_config`). */
  buildFromConfig(config: Record<string, unknown>): void {
    const shape = config.input_shape ?? config.inputShape;
    if (this.built || !Array.isArray(shape)) return;
    if (shape.slice(1).some((d) => !Number.isInteger(d) || (d as number) <= 0)) {
      throw new ValueError(`Sequential "${this.name}": build_config input_shape ${JSON.stringify(shape)} must be [null, d1, ...] with positive integer dims.`);
    }
    this.build(shape as (number | null)[]);
  }

  /** Keras's `build_config`: `{ inputShape: [null, ...] }` once built, else null. */
  getBuildConfig(): Record<string, unknown> | null {
    return this.builtInputShape === null ? null : { inputShape: [...this.builtInputShape] };
  }

  /**
   * A model from its config: Keras 3 / Keras 2 / TF.js `{ name, layers }` (an InputLayer or the first
   * layer's `batch_input_shape` gives the input shape) or the legacy Keras <= 2.1 list of layers.
   * Layer names are kept as written.
   * @throws ValueError for an unknown layer class (naming it), Lambda, or a bad layer config.
   */
  static fromConfig(config: Record<string, unknown> | unknown[]): Sequential {
    const record = Array.isArray(config) ? { layers: config } : config;
    checkOptionKeys('Sequential config', record, ['name', 'layers', 'trainable', 'dtype', 'buildInputShape']);
    if (!accepts.float32(record.dtype)) throw new ValueError(`Sequential config: dtype ${JSON.stringify(record.dtype)} is not supported; deepwell models compute in float32.`);
    const specs = record.layers;
    if (!Array.isArray(specs)) throw new ValueError(`Sequential config: 'layers' is ${typeof specs}; expected an array of serialized layers.`);
    let input: InputLayer | undefined;
    const layers: Layer[] = [];
    for (const spec of specs) {
      const layer = deserializeLayer(spec);
      if (layer instanceof InputLayer && layers.length === 0 && input === undefined) input = layer;
      else if (layer instanceof InputLayer) throw new ValueError(`Sequential config: InputLayer "${layer.name}" must come first (and once).`);
      else layers.push(layer);
    }
    const model = new Sequential(layers, record.name === undefined ? {} : { name: record.name as string });
    const inputShape = input?.inputShape;
    if (input !== undefined) model.inputLayerName = input.name;
    if (record.trainable === false) for (const l of model.layers) l.trainable = false;
    if (!model.built && inputShape !== undefined) model.build([null, ...inputShape]);
    if (!model.built && Array.isArray(record.buildInputShape)) model.buildFromConfig({ input_shape: record.buildInputShape });
    return model;
  }

  /** The Keras-style summary table; also printed with `printFn` when given. */
  summary(printFn?: (line: string) => void): string {
    if (printFn !== undefined && typeof printFn !== 'function') {
      throw new ValueError(`${this.typeName}.summary: printFn must be a function (line) => void, such as console.log, received ${typeof printFn}.`);
    }
    if (!this.built) {
      throw new ValueError(`Sequential "${this.name}" is not built yet: give the first layer an inputShape, or call build() or fit() first.`);
    }
    const text = summaryTable(this.name, this.layers, this.build(this.builtInputShape ?? [null]));
    printFn?.(text);
    return text;
  }

  /** The output shape of the built model (the input shape when it has no layer). */
  outputShape(): SymbolicShape {
    const shapes = this.build(this.builtInputShape ?? [null]);
    return shapes[shapes.length - 1] ?? this.builtInputShape ?? [null];
  }


}

registerSerializable(Sequential, { kind: 'models', package: 'keras', module: 'keras' });

