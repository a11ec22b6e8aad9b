/**
 * The ready-made datasets every environment has (browser-clean): the 2-D toy sets. The Node entry
 * (src/index.node.ts, via data/index.node.ts) adds those that read files: mnist, fashionMnist,
 * loadIdxDirectory, fromCsv.
 */
import { toy2d } from './toy_2d.js';

export { TOY_2D_NAMES, type Toy2dName, type Toy2dOptions, toy2d } from './toy_2d.js';

/** `datasets.toy2d('spiral', { samples: 400 })` gives `{ x [n, 2], y [n], classes }`. */
export const datasets = { toy2d } as const;
