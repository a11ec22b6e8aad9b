import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DEEPWELL_VERSION } from '../../src/io/deepwell_version.js';

test('DEEPWELL_VERSION equals the version in package.json (bump both together)', () => {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  assert.equal(DEEPWELL_VERSION, pkg.version);
});
