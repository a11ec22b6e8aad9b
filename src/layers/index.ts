export { Layer, type LayerOptions, type CallOptions, type SymbolicShape, resetLayerNames } from './layer.js';
export { Dense, type DenseOptions } from './dense.js';
export { Flatten } from './flatten.js';
export { Activation } from './activation.js';
export { layerFromConfig, registerLayer, serializeLayer } from './registry.js';
