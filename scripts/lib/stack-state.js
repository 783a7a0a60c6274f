'use strict';
// What a dev launcher started, in a file beside its data (.data/dev-stack.json): its own pid and the pid of each child
// (with the start time the kernel gave it, so a recycled pid is never mistaken for ours). A watchdog process reads it
// when the launcher dies without stopping its children (SIGKILL, a closed terminal) and stops what it lists; the next
// launcher does the same if the watchdog was killed too.
const fs = require('node:fs');
const path = require('node:path');

/** The kernel's start time of a process (clock ticks since boot), or null when no such process runs (or a zombie). */
function startTime(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z' || fields[0] === 'X') return null;
    return fields[19];
  } catch {
    return null;
  }
}

/** True when the process this record names still runs (same pid, same start time). */
function alive(record) {
  return record && record.pid > 0 && startTime(record.pid) === record.start;
}

function record(name, pid) {
  return { name, pid, start: startTime(pid) };
}

function read(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

function write(file, state) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  fs.renameSync(tmp, file);
}

function signal(pid, sig, group) {
  try {
    process.kill(group ? -pid : pid, sig);
  } catch {
    /* already gone */
  }
}

/**
 * Stops every process the state lists that still runs: each child's process group gets SIGTERM (PostgreSQL SIGINT,
 * its fast shutdown), then SIGKILL for whatever still runs after graceMs. Answers the names of what it found running.
 */
async function stopListed(state, graceMs = 3000) {
  const running = (state?.children ?? []).filter(alive);
  for (const child of running) signal(child.pid, child.name === 'postgres' ? 'SIGINT' : 'SIGTERM', child.group);
  const deadline = Date.now() + graceMs;
  while (running.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  for (const child of running.filter(alive)) {
    signal(child.pid, 'SIGKILL', child.group);
    if (child.name === 'postgres') signal(child.pid, 'SIGKILL', false);
  }
  while (running.some(alive) && Date.now() < deadline + 2000) await new Promise((r) => setTimeout(r, 50));
  return running.map((c) => `${c.name} (pid ${c.pid})`);
}

module.exports = { startTime, alive, record, read, write, stopListed };
