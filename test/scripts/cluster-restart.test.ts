import { type ChildProcess, spawn } from 'node:child_process';

interface Target { start(): Promise<void>; kill(): Promise<void>; pid(): number | null }
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { restartingTarget } = require('../../scripts/lib/cluster') as {
  restartingTarget(o: {
    startOnce(deadline: number): Promise<void>; kill(): Promise<void>; pid(): number | null; isStopped(): boolean; budgetMs?: number; pauseMs?: number;
  }): Target;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const running = (c: ChildProcess) => c.exitCode === null && c.signalCode === null;

/**
 * A target of the cluster harness made of real processes: each attempt starts one; `attempt(n, child)` decides how
 * the n-th start goes. `stop()` does what the cluster's stop does to it: marks the cluster stopped and kills its process.
 */
const everyChild: ChildProcess[] = [];
afterEach(() => {
  for (const c of everyChild.splice(0)) if (running(c)) c.kill('SIGKILL');
});

function fakeTarget(attempt: (n: number, child: ChildProcess) => Promise<void>) {
  const started: ChildProcess[] = [];
  let stopped = false;
  const kill = async () => {
    const c = started.at(-1);
    if (!c || !running(c)) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await exited;
  };
  const target = restartingTarget({
    startOnce: async () => {
      const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      started.push(child);
      everyChild.push(child);
      await attempt(started.length, child);
    },
    kill,
    pid: () => (started.at(-1) && running(started.at(-1)!) ? started.at(-1)!.pid! : null),
    isStopped: () => stopped,
    budgetMs: 20000,
    pauseMs: 500,
  });
  return { target, started, stop: async () => ((stopped = true), await kill()) };
}

describe('the cluster harness\'s restarts (restartingTarget)', () => {
  it('starts a target that exits while starting again, until it comes up', async () => {
    const t = fakeTarget(async (n, child) => {
      if (n < 3) throw new Error(`attempt ${n}: exited while starting`);
      await sleep(50);
      expect(running(child)).toBe(true);
    });
    await t.target.start();
    expect(t.started.map(running)).toEqual([false, false, true]);
    await t.target.kill();
  });

  it('starts nothing again once stopped during the pause after a failed start: nothing is left running', async () => {
    const t = fakeTarget(async (n) => {
      if (n === 1) {
        setTimeout(() => void t.stop(), 100); // Ctrl-C while the harness waits to start it again
        throw new Error('exited while starting');
      }
    });
    await expect(t.target.start()).rejects.toThrow();
    await sleep(600);
    expect(t.started.filter(running)).toEqual([]);
    expect(t.started).toHaveLength(1);
  });

  it('stops what came up after the stop passed it by: nothing is left running', async () => {
    const t = fakeTarget(async () => {
      await t.stop(); // the cluster stopped while this start was on its way (its process not known to the stop yet)
      await sleep(50);
    });
    await expect(t.target.start()).rejects.toThrow(/stopping/);
    expect(t.started.filter(running)).toEqual([]);
  });
});
