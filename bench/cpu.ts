/**
 * CPU time of the processes a benchmark drives, read from Linux's /proc (the machine is shared and CPU-bound, so CPU
 * per operation says more than wall time about where an operation's cost goes). Elsewhere it reports nothing.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

const TICK_MS = 10; // USER_HZ is 100 on every Linux a CI runs

function stat(pid: number): { ppid: number; own: number; children: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // After the command: state ppid ... utime(14) stime(15) cutime(16) cstime(17), counted from pid as field 1.
    const n = (i: number) => Number(fields[i - 3]);
    return { ppid: n(4), own: (n(14) + n(15)) * TICK_MS, children: (n(16) + n(17)) * TICK_MS };
  } catch {
    return undefined;
  }
}

function pids(): number[] {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
}

/** The process listening on a local TCP port, found through the socket's inode. */
export function pidListening(port: number): number | undefined {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set<string>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[1]?.endsWith(`:${hex}`) && cols[3] === '0A') inodes.add(cols[9]);
    }
  }
  for (const pid of pids()) {
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m && inodes.has(m[1])) return pid;
      } catch {
        /* gone */
      }
    }
  }
  return undefined;
}

/** CPU ms of a process, with its children (live ones, and the ones it has reaped) when `tree` is set. */
export function cpuMs(pid: number | undefined, tree = false): number {
  if (pid === undefined) return 0;
  const root = stat(pid);
  if (!root) return 0;
  if (!tree) return root.own;
  let total = root.own + root.children;
  for (const child of pids()) {
    const s: ReturnType<typeof stat> = child === pid ? undefined : stat(child);
    if (s?.ppid === pid) total += s.own;
  }
  return total;
}

export type CpuSample = Record<string, number>;

/** Samples every named process; `delta` turns two samples into CPU ms per operation. */
export function sampleCpu(processes: Record<string, { pid: number | undefined; tree?: boolean }>): CpuSample {
  return Object.fromEntries(Object.entries(processes).map(([name, p]) => [name, cpuMs(p.pid, p.tree)]));
}

export function cpuPerOp(before: CpuSample, after: CpuSample, ops: number, digits = 1): string {
  const parts = Object.keys(after).map((name) => [name, (after[name] - before[name]) / ops] as const);
  const total = parts.reduce((sum, [, ms]) => sum + ms, 0);
  const shown = parts.filter(([, ms]) => ms >= 0.5 * 10 ** -digits);
  return `${total.toFixed(digits)} ms CPU per op (${shown.map(([name, ms]) => `${name} ${ms.toFixed(digits)}`).join(', ')})`;
}

/** CPU ms per thread name of a live process (threads share names: node's own, V8's, libuv's, the Temporal core's). */
export function threadCpu(pid: number | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  if (pid === undefined) return out;
  let tids: string[] = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      const text = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
      out[`${name}#${tid}`] = (Number(fields[11]) + Number(fields[12])) * TICK_MS;
    } catch {
      /* gone */
    }
  }
  return out;
}
