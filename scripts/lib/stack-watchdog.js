'use strict';
// `node stack-watchdog.js <state file>`: started detached by the dev launcher. Waits for the launcher the state file
// names to end; if it ended without removing the file (killed, its terminal closed), stops every child it lists.
const fs = require('node:fs');
const state = require('./stack-state');

const file = process.argv[2];
const launcher = state.read(file)?.launcher;

async function watch() {
  for (;;) {
    await new Promise((r) => setTimeout(r, 250));
    const current = state.read(file);
    // The launcher stopped its stack and removed the file, or another launcher owns it now: nothing to do.
    if (!current || current.launcher?.pid !== launcher?.pid) return;
    if (state.alive(launcher)) continue;
    await state.stopListed(current);
    fs.rmSync(file, { force: true });
    return;
  }
}

if (launcher) watch().then(() => process.exit(0));
