// The README's flag table lists what the CLI accepts: the `--activation` row names exactly the
// activations `--help` offers (HIDDEN_ACTIVATIONS, from the registry), so a new activation cannot be left out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HIDDEN_ACTIVATIONS } from '../../src/cli/hidden_layers.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

test("README's --activation row lists the registered hidden activations, no more, no fewer", () => {
  const row = /^\| `--activation` \| `relu` \| (.*) \|$/m.exec(readme);
  assert.ok(row !== null, 'the --activation row of the flag table');
  const listed = row[1].split(',').map((a) => a.trim());
  assert.deepEqual([...listed].sort(), [...HIDDEN_ACTIVATIONS].sort());
  assert.ok(HIDDEN_ACTIVATIONS.includes('relu6') && !HIDDEN_ACTIVATIONS.includes('softmax' as never));
});
