/**
 * `deepwell info [--json]`: the version, which kernel backend runs and why, and its thread count.
 *
 * Example output (text):
 * ```
 * deepwell 0.1.0 (node v20.20.2, linux x64)
 * kernels: native: addon built, avx512f
 * threads: 2
 * backends: native (available), wasm (available), ts (available)
 * ```
 */
import { backendInfo } from '../kernels/index.js';

export interface InfoFlags {
  json?: boolean;
}

/** Prints the information; `version` is the package's. */
export function runInfo(flags: InfoFlags, version: string): void {
  const info = backendInfo();
  if (flags.json === true) {
    process.stdout.write(`${JSON.stringify({
      version, node: process.version, platform: `${process.platform} ${process.arch}`,
      backend: info.backend, reason: info.reason, detail: info.detail, threads: info.threads,
      servedBy: info.servedBy, backends: info.backends,
    })}\n`);
    return;
  }
  const lines = [
    `deepwell ${version} (node ${process.version}, ${process.platform} ${process.arch})`,
    `kernels: ${info.backend}: ${info.reason}`,
    `threads: ${info.threads}`,
    `backends: ${info.backends.map((b) => `${b.name} (${b.available ? 'available' : b.reason})`).join(', ')}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
