/**
 * Registers the native kernels with the kernel registry (side effect of importing this file).
 * Imported by the Node entry point (src/index.node.ts) and the CLI; never by browser code.
 * When the addon is not available the backend is still registered, with the reason, so
 * `deepwell info` can say why it does not run.
 */
import { BACKEND_PRIORITY, registerBackend } from '../registry.js';
import { loadNativeAddon, loadNativeKernels } from './index.node.js';

const { addon, reason } = loadNativeAddon();
registerBackend('native', loadNativeKernels() ?? {}, BACKEND_PRIORITY.native, {
  unavailableReason: reason,
  describe: () => (addon === undefined ? reason : `addon built, ${addon.isa()}`),
  threads: () => addon?.threads() ?? 1,
});
