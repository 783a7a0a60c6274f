'use strict';
const { spawn, spawnSync } = require('node:child_process');
const net = require('node:net');
const fs = require('node:fs');

const children = new Set();

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

/** Starts a long-running child; its output goes to logFile (or inherits). Tracked for stopAll(). */
function start(name, command, args, { env, logFile, cwd } = {}) {
  const out = logFile ? fs.openSync(logFile, 'a') : 'inherit';
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', out, out],
    detached: true, // own process group, so stopAll() reaches grandchildren too
  });
  child.relanceName = name;
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    /* already gone */
  }
}

async function stop(child, timeoutMs = 10000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  killGroup(child, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
}

/**
 * A node script as a tracked child (its own process group, stopped by stopAll with what it spawned), its output
 * inherited; answers its exit code (1 when a signal ended it).
 */
function runNode(name, args, { env, cwd } = {}) {
  return new Promise((resolve) => {
    const child = start(name, process.execPath, args, { env, cwd });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/**
 * Newest first, one at a time: the API and the worker stop (and the worker reports its last activity results) while
 * the Temporal server, the mail catcher and the database they were started after are still up.
 */
async function stopAll() {
  for (const child of [...children].reverse()) await stop(child);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function portOpen(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitForPort(port, { host = '127.0.0.1', timeoutMs = 60000, child, what } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) {
      throw new Error(`${what ?? 'process'} exited with code ${child.exitCode} before listening on ${port}`);
    }
    if (await portOpen(port, host)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what ?? 'process'} did not listen on ${host}:${port} within ${timeoutMs} ms`);
}

module.exports = { run, start, runNode, stop, stopAll, freePort, portOpen, waitForPort };
