import autocannon from 'autocannon';
import { cpuPerOp, sampleCpu } from './cpu';

/** The load of every endpoint bench: 32 connections for BENCH_DURATION seconds (10), after a 2 s warm-up. */
export const CONNECTIONS = 32;
export const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);

export interface LoadRow {
  name: string;
  cpu: string;
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  failed: number;
}

/** One endpoint under load after a warm-up (JIT, pool, plan cache), and the CPU each request cost `processes`. */
export async function measureLoad(name: string, options: autocannon.Options, processes: Parameters<typeof sampleCpu>[0]): Promise<LoadRow> {
  await autocannon({ ...options, connections: CONNECTIONS, duration: 2 });
  const before = sampleCpu(processes);
  const r = await autocannon({ ...options, connections: CONNECTIONS, duration: DURATION_S });
  const cpu = cpuPerOp(before, sampleCpu(processes), r.requests.total, 2);
  return { name, cpu, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, ok: r['2xx'], failed: r.non2xx + r.errors + r.timeouts };
}
