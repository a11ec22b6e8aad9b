// Model files from bytes that are not on a disk (io/model_sources.ts, io/browser_store.ts), run in
// Node (which has fetch, Blob and File): the names model.save('downloads://...') gives, loadModel
// from File/Blob objects and from an http:// URL on 127.0.0.1, format sniffing, and the errors.
// test/playground/model_files.test.ts runs the same API in Chromium with real downloads.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Sequential, layers, loadModel, optimizers, tensor } from '../../src/index.node.js';
import type { LayersModel } from '../../src/models/layers_model.js';
import { DOWNLOADS_SCHEME, browserModelStore, downloadFiles, modelToFiles } from '../../src/io/browser_store.js';
import { sniffModelFormat } from '../../src/io/model_sources.js';
import { DataError, ValueError } from '../../src/core/errors.js';

async function trained(): Promise<LayersModel> {
  const model = new Sequential([new layers.Dense(4, { activation: 'tanh', inputShape: [3] }), new layers.Dense(2, { activation: 'softmax' })]);
  model.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new optimizers.Adam({ learningRate: 0.05 }) });
  const x = tensor(Array.from({ length: 24 }, (_, i) => Math.sin(i)), [8, 3]);
  await model.fit(x, tensor([0, 1, 1, 0, 1, 0, 0, 1], [8]), { epochs: 2, batchSize: 4, seed: 1, verbose: 0 });
  return model;
}
const X = tensor([0.1, -0.2, 0.3, 1, 2, -3], [2, 3]);
const predictions = (m: LayersModel) => Array.from(m.predict(X).data);

describe('model files from File/Blob objects and URLs', () => {
  test('modelToFiles: the names of the downloads:// convention, and each format sniffed back from its bytes', async () => {
    const model = await trained();
    const cases: [string, { format?: 'tfjs' | 'keras' | 'h5' | 'deepwell' }, string[], string][] = [
      ['', {}, ['model.safetensors'], 'deepwell'], // TF.js's default name 'model'
      ['mlp', {}, ['mlp.safetensors'], 'deepwell'],
      ['mlp.safetensors', {}, ['mlp.safetensors'], 'deepwell'],
      ['mlp', { format: 'tfjs' }, ['mlp.json', 'mlp.weights.bin'], 'tfjs'],
      ['mlp.json', {}, ['mlp.json', 'mlp.weights.bin'], 'tfjs'],
      ['mlp.keras', {}, ['mlp.keras'], 'keras'],
      ['mlp', { format: 'h5' }, ['mlp.h5'], 'h5'],
    ];
    for (const [name, options, names, format] of cases) {
      const files = await modelToFiles(model, name, options);
      assert.deepEqual(files.map((f) => f.name), names, name);
      assert.equal(sniffModelFormat(files[0].bytes), format, name);
    }
  });

  test('loadModel(File), loadModel([json, bin]) and loadModel(Blob) predict what the saved model predicts', async () => {
    const model = await trained();
    const expected = predictions(model);
    for (const format of ['deepwell', 'tfjs', 'keras', 'h5'] as const) {
      const files = (await modelToFiles(model, 'm', { format })).map((f) => new File([f.bytes], f.name));
      const loaded = await loadModel(files.length === 1 ? files[0] : files);
      assert.deepEqual(predictions(loaded), expected, format);
    }
    // A nameless Blob: the format is read from the bytes; the deepwell file keeps the optimizer state.
    const [file] = await modelToFiles(model, 'm');
    const loaded = await browserModelStore.load(new Blob([file.bytes]), {});
    assert.deepEqual(predictions(loaded), expected);
    assert.equal(loaded.optimizer?.iterations, 4); // 2 epochs x 2 batches of 4
  });

  test('loadModel(url): the file and TF.js weight files fetched from a local server; HTTP errors named', async () => {
    const model = await trained();
    const served = new Map<string, Uint8Array>();
    for (const format of ['deepwell', 'tfjs'] as const) for (const f of await modelToFiles(model, 'm', { format })) served.set(`/models/${f.name}`, f.bytes);
    const server = createServer((req, res) => {
      const body = served.get(req.url ?? '');
      if (body === undefined) res.writeHead(404).end();
      else res.writeHead(200).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const expected = predictions(model);
      assert.deepEqual(predictions(await loadModel(`${origin}/models/m.safetensors`)), expected);
      assert.deepEqual(predictions(await loadModel(`${origin}/models/m.json`)), expected);
      await assert.rejects(loadModel(`${origin}/models/none.json`), (e: unknown) => e instanceof DataError && /HTTP 404/.test(e.message) && e.message.includes('/models/none.json'));
      served.delete('/models/m.weights.bin');
      await assert.rejects(loadModel(`${origin}/models/m.json`), (e: unknown) => e instanceof DataError && /weight file of .*m\.json.*HTTP 404/.test(e.message));
    } finally {
      server.close();
    }
  });

  test('the errors: no files, two model.json files, a missing weight file, a save or load path the browser store cannot reach', async () => {
    const model = await trained();
    await assert.rejects(loadModel([]), (e: unknown) => e instanceof DataError && /empty list of files/.test(e.message));
    const [json, bin] = (await modelToFiles(model, 'm', { format: 'tfjs' })).map((f) => new File([f.bytes], f.name));
    await assert.rejects(loadModel([json, new File([json], 'n.json'), bin]), (e: unknown) => e instanceof DataError && /with 2 ending in \.json/.test(e.message));
    await assert.rejects(loadModel([json, new File([bin], 'other.bin')]), (e: unknown) => e instanceof DataError && /"m\.weights\.bin" listed in the manifest is not among the files given \(other\.bin\)/.test(e.message));
    assert.throws(() => downloadFiles([]), (e: unknown) => e instanceof ValueError && /needs a page with a document/.test(e.message) && /modelToFiles/.test(e.message));
    await assert.rejects(browserModelStore.save(model, '/tmp/x.keras', {}), (e: unknown) => e instanceof ValueError && e.message.includes(DOWNLOADS_SCHEME));
    await assert.rejects(browserModelStore.load('/tmp/x.keras', {}), (e: unknown) => e instanceof ValueError && /Paths on a disk need deepwell's Node entry/.test(e.message));
  });
});

// A file whose first bytes match no model format (a text named notes.keras, an empty .h5, a PNG named
// .safetensors) is named as such, with the formats recognised by their first bytes and what the
// name suggested, and not decoded as a safetensors file ("header length ... exceeds the limit"):
// the same message from a File (the browser's path) and from a path on the disk (Node's file store).
test('loadModel: a non-model file named .keras, .h5 or .safetensors says its first bytes match no model format, from a File and from a path', async () => {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'deepwell-not-a-model-'));
  const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  const cases: [string, Uint8Array, RegExp, RegExp][] = [
    ['notes.keras', new TextEncoder().encode('My notes about the model.\n'), /its first bytes \(4d 79 20 6e 6f 74 65 73\) match no model format/, /Its name suggests a Keras 3 \.keras file \(a zip\), but it is not one/],
    ['empty.h5', new Uint8Array(0), /it is empty \(0 bytes\)/, /Its name suggests a Keras 2 \.h5 file \(HDF5\), but it is not one/],
    ['picture.safetensors', png, /its first bytes \(89 50 4e 47 0d 0a 1a 0a\) match no model format/, /Its name suggests a deepwell \.safetensors file, but it is not one/],
  ];
  const formats = /deepwell recognises a model file by its first bytes: a zip \(PK\\x03\\x04\) for a Keras 3 \.keras, the HDF5 signature \(\\x89HDF\\r\\n\\x1a\\n\) for a Keras 2 \.h5, a safetensors header \(an 8-byte length, then '\{'\) for deepwell's \.safetensors, a JSON object \('\{'\) for a TF\.js model\.json\./;
  for (const [name, bytes, seen, suggested] of cases) {
    assert.equal(sniffModelFormat(bytes), undefined, name);
    const path = join(dir, name);
    writeFileSync(path, bytes);
    for (const source of [new File([bytes], name), path]) {
      const where = typeof source === 'string' ? 'path' : 'File';
      await assert.rejects(loadModel(source), (e: unknown) => {
        assert.ok(e instanceof DataError, `${name} (${where}): ${String(e)}`);
        assert.match(e.message, seen, `${name} (${where})`);
        assert.match(e.message, formats, `${name} (${where})`);
        assert.match(e.message, suggested, `${name} (${where})`);
        assert.doesNotMatch(e.message, /header length/, `${name} (${where})`);
        return true;
      });
    }
  }
});
