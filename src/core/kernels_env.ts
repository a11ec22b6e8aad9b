/**
 * The one place that reads `DEEPWELL_KERNELS`, the environment variable that names the kernel
 * backend to use ('native', 'wasm' or 'ts'; empty or unset: the fastest one that can run).
 *
 * Browser-clean: `process` is looked up on `globalThis`, so in a browser (no `process`) the
 * variable is simply unset. It lives in core/ because both the kernel registry (kernels/) and the
 * random generator's bulk rounds (core/random.ts, WebAssembly or TypeScript) obey it.
 */

/** The value of `DEEPWELL_KERNELS`, trimmed and lower-cased; undefined when unset or empty. */
export function kernelsFromEnvironment(): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const value = env?.DEEPWELL_KERNELS?.trim().toLowerCase();
  return value === undefined || value === '' ? undefined : value;
}
