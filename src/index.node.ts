/**
 * The package's entry point in Node (package.json conditional export "node"): registers the
 * native kernels, then re-exports the browser-clean public API (src/index.ts).
 */
import './kernels/native/register.node.js';

export * from './index.js';
export { nativeThreads, setNativeThreads, nativeIsa } from './kernels/native/index.node.js';
