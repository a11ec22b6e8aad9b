// Builds the playground (src/playground) into dist/playground with esbuild: main.js (the page) and
// worker.js (training), each one ES module importing 'deepwell' through the package's browser
// entry (dist/src/index.js, so run after build:ts), the chunks they import on demand, and index.html. Run by `npm run build`.
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url);
const out = new URL('dist/playground/', root);
// A fresh folder: chunk names carry content hashes, so an old build's chunks would stay behind.
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: { main: 'src/playground/main.ts', worker: 'src/playground/worker.ts' },
  absWorkingDir: root.pathname,
  outdir: out.pathname,
  bundle: true,
  format: 'esm',
  // The Keras codecs (and h5wasm's 4 MB) are imported on demand: a chunk loaded only for a .keras/.h5 download.
  splitting: true,
  chunkNames: 'chunk-[hash]',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  legalComments: 'linked',
  logLevel: 'warning',
});
copyFileSync(new URL('src/playground/index.html', root), new URL('index.html', out));
console.log('built dist/playground (index.html, main.js, worker.js)');
