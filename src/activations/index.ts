export * from './activations.js';
export * from './composed.js';
