'use strict';
// Builds the console (console/, a Preact app on the public API) into dist/console/ with Vite, then prints the size of
// the JavaScript a browser loads for the first screen, gzipped, and fails above the budget: phones on slow networks
// are among its users.
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'dist', 'console');
const FIRST_SCREEN_BUDGET_BYTES = 250 * 1024;

/** The entry chunk and every chunk it imports statically: what index.html makes the browser fetch before it can paint. */
function firstScreenFiles(manifest) {
  const entry = Object.values(manifest).find((chunk) => chunk.isEntry);
  const files = new Set();
  const visit = (chunk) => {
    if (!chunk || files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const key of chunk.imports ?? []) visit(manifest[key]);
  };
  visit(entry);
  return [...files].filter((file) => file.endsWith('.js'));
}

async function main() {
  const { build } = await import('vite');
  await build({
    root: path.join(ROOT, 'console'),
    base: '/app/',
    configFile: false,
    logLevel: 'warn',
    esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
    build: { outDir: OUT, emptyOutDir: true, manifest: true, target: 'es2022', reportCompressedSize: false },
  });
  const manifest = JSON.parse(fs.readFileSync(path.join(OUT, '.vite', 'manifest.json'), 'utf8'));
  const gzipped = firstScreenFiles(manifest)
    .reduce((sum, file) => sum + zlib.gzipSync(fs.readFileSync(path.join(OUT, file)), { level: 9 }).length, 0);
  const kb = (gzipped / 1024).toFixed(1);
  process.stdout.write(`[relance] console: first screen JavaScript ${kb} kB gzipped (budget ${FIRST_SCREEN_BUDGET_BYTES / 1024} kB)\n`);
  if (gzipped > FIRST_SCREEN_BUDGET_BYTES) {
    process.stderr.write(`the console's first screen needs ${kb} kB of JavaScript gzipped, over its budget\n`);
    process.exitCode = 1;
  }
}

main().catch((err) => {
  process.stderr.write(`${err.stack ?? err}\n`);
  process.exitCode = 1;
});
