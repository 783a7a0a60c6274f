'use strict';
const { spawn, spawnSync } = require('node:child_process');
const net = require('node:net');
const fs = require('node:fs');

const children = new Set();
const startListeners = [];

/** Calls `listener(child)` for each child started from now on (the dev launcher records them in its state file). */
function onStart(listener) {
  startListeners.push(listener);
}

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
  for (const listener of startListeners) listener(child);
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
 * the Temporal server, the mail catcher and the database they were started after are still up. With `budgetMs`, all
 * of it takes no longer than that: what still runs when a child's share is spent is killed (SIGKILL).
 */
async function stopAll({ budgetMs } = {}) {
  const list = [...children].reverse();
  const deadline = budgetMs ? Date.now() + budgetMs : null;
  for (const [i, child] of list.entries()) {
    const share = deadline ? Math.max(200, (deadline - Date.now()) / (list.length - i)) : undefined;
    await stop(child, share);
  }
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
    if (child && (child.exitCode !== null || child.signalCode !== null)) {
      throw new Error(`${what ?? 'process'} exited (${child.exitCode ?? child.signalCode}) before listening on ${port}`);
    }
    if (await portOpen(port, host)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what ?? 'process'} did not listen on ${host}:${port} within ${timeoutMs} ms`);
}

module.exports = { run, start, onStart, runNode, stop, stopAll, freePort, portOpen, waitForPort };

/** The process listening on a TCP port, as "pid 123 (command line)", read from /proc (Linux); null when unknown. */
function portOwner(port) {
  const inodes = new Set();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = fs.readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10 || cols[3] !== '0A') continue; // 0A: LISTEN
      if (parseInt(cols[1].split(':').pop(), 16) === port) inodes.add(cols[9]);
    }
  }
  if (!inodes.size) return null;
  let pids = [];
  try {
    pids = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return null;
  }
  for (const pid of pids) {
    let fds = [];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let link = '';
      try {
        link = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const m = /^socket:\[(\d+)\]$/.exec(link);
      if (m && inodes.has(m[1])) {
        let cmd = '';
        try {
          cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
        } catch {
          /* gone meanwhile */
        }
        return `pid ${pid}${cmd ? ` (${cmd.length > 80 ? `${cmd.slice(0, 77)}...` : cmd})` : ''}`;
      }
    }
  }
  return null;
}

/** Fails with one line naming the port and, where known, the process holding it. */
async function ensurePortFree(port, what, hint) {
  if (!(await portOpen(port))) return;
  const owner = portOwner(port);
  const { fail } = require('./log');
  fail(`port ${port} (${what}) is already in use${owner ? ` by ${owner}` : ''}: stop it${hint ? ` or ${hint}` : ''}`);
}

module.exports.portOwner = portOwner;
module.exports.ensurePortFree = ensurePortFree;
