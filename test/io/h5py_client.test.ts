// A real HDF5 client outside deepwell reads the files deepwell writes: Debian's python3-h5py (with
// Python's zipfile for the .keras zip) runs test/io/h5py_check.py on a .keras and an .h5 written by
// deepwell and on the files Keras 3.8 and Keras 2.10 wrote for the same models; file list, config
// keys, group and dataset paths, attributes, shapes, dtypes and values must agree.
// Skips with a message when /usr/bin/python3 has no h5py, except under CI=true, where it fails
// (.ci/run installs python3-h5py).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeKerasFile, encodeKerasFile } from '../../src/io/keras_zip.js';
import { decodeKerasH5, encodeKerasH5 } from '../../src/io/keras_h5.js';

const MODELS = fileURLToPath(new URL('../../../../shared/data/models/', import.meta.url));
const SCRIPT = fileURLToPath(new URL('../../../test/io/h5py_check.py', import.meta.url));
const PYTHON = '/usr/bin/python3';

const hasH5py = spawnSync(PYTHON, ['-c', 'import h5py'], { encoding: 'utf8' }).status === 0;
const ci = process.env.CI === 'true';
const skip = !existsSync(MODELS)
  ? `${MODELS} is absent (a clone outside this workspace): skipped`
  : !hasH5py && !ci
    ? `${PYTHON} has no h5py (apt-get install -y python3-h5py): the real-HDF5-client check is skipped`
    : false;

interface H5Report {
  entries?: string[];
  compress_types?: number[];
  config_keys?: string[];
  metadata?: { [k: string]: string };
  h5: {
    root_attrs: { [k: string]: unknown };
    root_keys: string[];
    groups: { [path: string]: { attrs: { [k: string]: unknown }; keys: string[] } };
    datasets: { [path: string]: { shape: number[]; dtype: string; values: number[]; attrs: object } };
  };
}

function h5py(path: string): H5Report {
  assert.ok(hasH5py, `CI=true but ${PYTHON} cannot import h5py: install python3-h5py (see .ci/run)`);
  const r = spawnSync(PYTHON, [SCRIPT, path], { encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, `h5py_check.py failed on ${path}: ${r.stderr}`);
  return JSON.parse(r.stdout) as H5Report;
}

test('h5py reads the .keras deepwell writes exactly as the one Keras 3.8 wrote (paths, attrs, shapes, values)', { skip }, async () => {
  const original = `${MODELS}keras3.8-hml3-ch11-model_A-dotkeras/my_model_A.keras`;
  const dir = mkdtempSync(join(tmpdir(), 'deepwell-h5py-'));
  try {
    const ours = join(dir, 'model.keras');
    const a = await decodeKerasFile(readFileSync(original), 'my_model_A.keras');
    writeFileSync(ours, await encodeKerasFile(a, { date: new Date(Date.UTC(2026, 0, 1)) }));
    const mine = h5py(ours);
    const keras = h5py(original);
    assert.deepEqual(mine.entries, ['metadata.json', 'config.json', 'model.weights.h5']);
    assert.deepEqual(mine.compress_types, [0, 0, 0]); // ZIP_STORED, as Python's zipfile default that Keras uses
    assert.deepEqual(mine.config_keys, ['module', 'class_name', 'config', 'registered_name', 'build_config', 'compile_config']);
    assert.deepEqual(mine.metadata, { keras_version: '3.8.0', date_saved: '2026-01-01@00:00:00' });
    assert.deepEqual(mine.config_keys, keras.config_keys);
    // The HDF5 content, as h5py sees it: same groups with the same attrs (vars/name), same datasets.
    assert.deepEqual(mine.h5.root_keys, ['layers', 'optimizer', 'vars']);
    assert.deepEqual(mine.h5.groups, keras.h5.groups);
    assert.deepEqual(mine.h5.groups['layers/dense_3/vars'], { attrs: { name: 'dense_6' }, keys: ['0', '1'] });
    assert.deepEqual(Object.keys(mine.h5.datasets).sort(), Object.keys(keras.h5.datasets).sort());
    assert.deepEqual(mine.h5.datasets['layers/dense/vars/0'].shape, [784, 100]);
    assert.equal(mine.h5.datasets['optimizer/vars/0'].dtype, '<i8');
    for (const [path, d] of Object.entries(keras.h5.datasets)) assert.deepEqual(mine.h5.datasets[path], d, path);
    // And the values are deepwell's weights (float32 printed exactly by Python).
    assert.deepEqual(mine.h5.datasets['layers/dense_3/vars/1'].values, Array.from(a.weights[7].data));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('h5py reads the .h5 deepwell writes as the one Keras 2.10 wrote (attrs, layer_names, weight_names, datasets)', { skip }, async () => {
  const original = `${MODELS}keras2.10-h5-hml2-ch11-model_A/my_model_A.h5`;
  const dir = mkdtempSync(join(tmpdir(), 'deepwell-h5py-'));
  try {
    const ours = join(dir, 'model.h5');
    const a = await decodeKerasH5(readFileSync(original), 'my_model_A.h5');
    writeFileSync(ours, await encodeKerasH5(a));
    const mine = h5py(ours);
    const keras = h5py(original);
    assert.deepEqual(mine.config_keys, ['class_name', 'config']);
    assert.deepEqual(Object.keys(mine.h5.root_attrs).sort(), ['backend', 'keras_version', 'model_config', 'training_config']);
    assert.deepEqual(JSON.parse(mine.h5.root_attrs.model_config as string), JSON.parse(keras.h5.root_attrs.model_config as string));
    assert.deepEqual(JSON.parse(mine.h5.root_attrs.training_config as string), JSON.parse(keras.h5.root_attrs.training_config as string));
    assert.equal(mine.h5.root_attrs.keras_version, keras.h5.root_attrs.keras_version);
    assert.deepEqual(mine.h5.root_keys, keras.h5.root_keys);
    assert.deepEqual(mine.h5.groups, keras.h5.groups);
    assert.deepEqual(mine.h5.groups['model_weights/dense_218'].attrs, { weight_names: ['dense_218/kernel:0', 'dense_218/bias:0'] });
    assert.deepEqual(Object.keys(mine.h5.datasets).sort(), Object.keys(keras.h5.datasets).sort());
    for (const [path, d] of Object.entries(keras.h5.datasets)) assert.deepEqual(mine.h5.datasets[path], d, path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
