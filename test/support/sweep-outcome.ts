import type { ReminderSweepResult } from '../../src/contracts';
import { sql } from './db';

/**
 * What a sweep through a fault must leave: each of its `expected` reminders either sent once (counted by delivery key
 * at the SMTP listener) or reported in doubt and sent at most once; none recorded failed; the run completed.
 * Answers how many are in doubt.
 */
export async function expectEachReminderOnceOrInDoubt(
  sweepWorkflowId: string, result: ReminderSweepResult, sentByKey: Map<string, number>, expected: number,
): Promise<number> {
  const deliveries = await sql<{ delivery_key: string; status: string; error: string | null }>(
    `SELECT d.delivery_key, d.status, d.error FROM deliveries d JOIN workflow_runs r ON r.id = d.run_id WHERE r.temporal_workflow_id = $1`,
    [sweepWorkflowId]);
  const inDoubt = deliveries.filter((d) => d.status === 'pending');
  expect(deliveries).toHaveLength(expected);
  expect(deliveries.filter((d) => d.status === 'failed')).toEqual([]);
  expect(inDoubt.filter((d) => !/in doubt/.test(d.error ?? ''))).toEqual([]);
  expect(deliveries.filter((d) => d.status === 'sent' && sentByKey.get(d.delivery_key) !== 1)).toEqual([]);
  expect(inDoubt.filter((d) => (sentByKey.get(d.delivery_key) ?? 0) > 1)).toEqual([]);
  expect(result).toMatchObject({ outcome: 'completed', matched: expected, delivered: expected - inDoubt.length });
  return inDoubt.length;
}
