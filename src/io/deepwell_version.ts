/**
 * The deepwell package version, as a constant so that browser bundles need no `package.json` read.
 * A test (`test/io/deepwell_version.test.ts`) fails when it disagrees with package.json: bump both.
 */
export const DEEPWELL_VERSION = '0.1.0';
