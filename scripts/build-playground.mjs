// Builds the playground (src/playground) into dist/playground with esbuild: main.js (the page) and
// worker.js (training), each one ES module importing 'deepwell' through the package's browser
// entry (dist/src/index.js, so run after build:ts), and index.html. Run by `npm run build`.
import { copyFileSync, mkdirSync } from 'node:fs';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url);
const out = new URL('dist/playground/', root);
mkdirSync(out, { recursive: true });
await build({
  entryPoints: { main: 'src/playground/main.ts', worker: 'src/playground/worker.ts' },
  absWorkingDir: root.pathname,
  outdir: out.pathname,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  legalComments: 'linked',
  logLevel: 'warning',
});
copyFileSync(new URL('src/playground/index.html', root), new URL('index.html', out));
console.log('built dist/playground (index.html, main.js, worker.js)');
