// What the layer serialization tests share: a layer through JSON and back.
import assert from 'node:assert/strict';
import type { Layer } from '../../src/layers/layer.js';
import { layerFromConfig, serializeLayer } from '../../src/layers/registry.js';

/** serializeLayer -> JSON text -> layerFromConfig; asserts the copy's class and config equal the original's and returns it. */
export function roundTrip(layer: Layer): Layer {
  const spec = JSON.parse(JSON.stringify(serializeLayer(layer))) as { className: string; config: Record<string, unknown> };
  const copy = layerFromConfig(spec);
  assert.equal(copy.className, layer.className);
  assert.deepEqual(copy.getConfig(), layer.getConfig());
  return copy;
}
