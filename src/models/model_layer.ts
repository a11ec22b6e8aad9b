/**
 * ModelLayer: a model (Sequential or functional) used as one layer of another model, as Keras lets a
 * model be called like a layer: `inner.apply(x)` on a SymbolicTensor, or `new Sequential([inner, ...])`.
 * The outer model holds this one layer, which carries the inner model's name and class name
 * ('Sequential' / 'Functional'), so its summary shows the inner model as one row with all its
 * parameters; its weights are the inner model's, frozen or unfrozen as a unit (`trainable = false`
 * freezes every inner layer, as Keras's `model.trainable = False`), and a model's config nests the
 * inner model's config in its layers list (Keras 3 form). `layer.model` is the inner model.
 *
 * Shapes: those of the inner model (one input and one output).
 * Reference: Keras 3 keras/src/models/functional.py (a Functional is an Operation, callable on
 * KerasTensors); keras/src/saving/serialization_lib.py (nested model configs).
 */
import { ValueError } from '../core/errors.js';
import type { Tensor, Variable } from '../core/tensor.js';
import { type SerializedObject, deserialize, serialize } from '../core/serialization.js';
import { type CallOptions, Layer, type SymbolicShape } from '../layers/layer.js';
import type { LayersModel } from './layers_model.js';

/** Class names of models in configs (Keras 3 'Functional' and 'Sequential'; Keras 2 / TF.js 'Model'). */
const MODEL_CLASS_NAMES = new Set(['Sequential', 'Functional', 'Model']);

export class ModelLayer extends Layer {
  static override readonly className = 'ModelLayer';
  private frozen = false;

  /** @param model - the inner model; its name becomes the layer's. */
  constructor(readonly model: LayersModel) {
    super({ name: model.name });
  }

  /** The inner model's class name (`Sequential`, `Functional`), as summaries and configs show it. */
  override get className(): string {
    return (this.model.constructor as unknown as { className: string }).className;
  }

  /** Builds the inner model for the input shape (a functional model checks it). */
  override build(inputShape: SymbolicShape): void {
    this.model.build(inputShape);
    this.built = true;
  }

  call(x: Tensor, options: CallOptions = {}): Tensor {
    return this.model.call(x, options);
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    this.model.build(inputShape);
    if (this.model.outputNames.length !== 1) {
      throw new ValueError(`${this.className} "${this.name}" has ${this.model.outputNames.length} outputs; deepwell nests models with one input and one output.`);
    }
    return this.model.outputShape();
  }

  /** The inner model's flag (Keras: setting it sets every inner layer's). */
  override get trainable(): boolean {
    return !this.frozen;
  }

  override set trainable(value: boolean) {
    this.frozen = !value;
    if (this.model !== undefined) for (const l of this.model.layers) l.trainable = value;
  }

  override get variables(): Variable[] {
    return this.model.layers.flatMap((l) => l.variables);
  }

  override get weights(): Variable[] {
    return this.model.weights;
  }

  override get trainableWeights(): Variable[] {
    return this.model.trainableWeights;
  }

  override get nonTrainableWeights(): Variable[] {
    return this.model.nonTrainableWeights;
  }

  override countParams(): number {
    return this.model.countParams();
  }

  override regularizationLosses(): Tensor[] {
    return this.model.layers.flatMap((l) => l.regularizationLosses());
  }

  override applyConstraints(): void {
    for (const l of this.model.layers) l.applyConstraints();
  }

  /** The inner model's config (Keras 3 nests it as the layer's config). */
  override getConfig(): Record<string, unknown> {
    return this.model.getConfig();
  }
}

/** `serialize(layer)`, or the inner model's serialized form for a nested model (Keras 3 nests it so). */
export function serializeLayer(layer: Layer): SerializedObject {
  return layer instanceof ModelLayer ? serialize(layer.model) : serialize(layer);
}

/** A layer from its serialized form; a nested model's entry (class 'Sequential' / 'Functional' / 'Model') becomes a ModelLayer. */
export function deserializeLayer(spec: unknown): Layer {
  const className = (spec as { class_name?: unknown; className?: unknown } | null)?.class_name ?? (spec as { className?: unknown } | null)?.className;
  if (typeof className === 'string' && MODEL_CLASS_NAMES.has(className)) {
    return deserialize<LayersModel>(spec, 'models').asLayer();
  }
  return deserialize<Layer>(spec, 'layers');
}
