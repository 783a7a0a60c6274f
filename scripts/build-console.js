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

/**
 * What the browser fetches before a first screen can paint: the entry chunk, every chunk it imports statically, and
 * the largest of the screens it loads on demand (each screen is a chunk of its own, fetched by the boot for its page).
 */
function firstScreenFiles(manifest, sizeOf) {
  const withImports = (chunk, files = new Set()) => {
    if (!chunk || files.has(chunk.file)) return files;
    files.add(chunk.file);
    for (const key of chunk.imports ?? []) withImports(manifest[key], files);
    return files;
  };
  const entry = Object.values(manifest).find((chunk) => chunk.isEntry);
  const base = withImports(entry);
  const total = (files) => [...files].filter((file) => file.endsWith('.js')).reduce((sum, file) => sum + sizeOf(file), 0);
  let largest = base;
  for (const key of entry.dynamicImports ?? []) {
    const files = withImports(manifest[key], new Set(base));
    if (total(files) > total(largest)) largest = files;
  }
  return [...largest].filter((file) => file.endsWith('.js'));
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
  const sizeOf = (file) => zlib.gzipSync(fs.readFileSync(path.join(OUT, file)), { level: 9 }).length;
  const gzipped = firstScreenFiles(manifest, sizeOf).reduce((sum, file) => sum + sizeOf(file), 0);
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
