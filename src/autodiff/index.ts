export { backward, topologicalOrder } from './backward.js';
export { backwardRules } from './backward_rules.js';
export { grad, valueAndGrad } from './grad.js';
export { gradcheck, type GradcheckResult } from './gradcheck.js';
export { noGrad, type OpKind } from './node.js';
export * from './primitives.js';
export { conv2d, depthwiseConv2d, pool2d, type WindowOptions, type Conv2DPrimitiveOptions } from './conv.js';
