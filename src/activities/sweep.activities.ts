import { Context } from '@temporalio/activity';
import { performance } from 'node:perf_hooks';
import type { DataSource } from 'typeorm';
import type { FindMatchingPageInput, FinishRunInput, MatchingPage, StartedRun, StartRunInput, SweepActivities } from '../contracts';
import { sweepPlan } from './sweep-plans';
import { buildMatchQuery, loadSweepDefinition, whyNotLive } from './sweep-query';

/** Recording a run and finding its matches; delivering them is in delivery.activities.ts. */
export function createSweepActivities(dataSource: DataSource): SweepActivities {
  return {
    /** Records the run once per Temporal run (retries find the same row through the unique workflow/run ids). */
    async startRun(input: StartRunInput): Promise<StartedRun | null> {
      const def = await loadSweepDefinition(dataSource, input.definitionId, input.companyId);
      if (!def) return null;
      const execution = Context.current().info.workflowExecution;
      if (!execution) throw new Error('startRun runs only inside a workflow');
      const { workflowId, runId } = execution;
      const [row] = await dataSource.query(
        `INSERT INTO workflow_runs (company_id, definition_id, kind, trigger, temporal_workflow_id, temporal_run_id)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (temporal_workflow_id, temporal_run_id) DO UPDATE SET trigger = EXCLUDED.trigger
         RETURNING id, started_at`,
        [def.companyId, def.id, input.kind, input.trigger, workflowId, runId],
      );
      const notLive = sweepPlan(def.templateKey) ? whyNotLive(def) : `template "${def.templateKey}" is not a reminder`;
      return { runRecordId: row.id, asOf: new Date(row.started_at).toISOString(), notLive };
    },

    /**
     * One page of matching record ids: a single indexed query, resuming after the cursor. It reads one row more than
     * the page, so that a last page that happens to be full is known to be the last (no empty page after it).
     */
    async findMatchingPage(input: FindMatchingPageInput): Promise<MatchingPage> {
      const def = await loadSweepDefinition(dataSource, input.definitionId, input.companyId);
      const plan = def && sweepPlan(def.templateKey);
      if (!def || !plan) return { ids: [], nextCursor: null, queryMs: 0, stopped: 'the definition was deleted' };
      const notLive = whyNotLive(def);
      if (notLive) return { ids: [], nextCursor: null, queryMs: 0, stopped: notLive };
      const { sql, params } = buildMatchQuery({
        plan, def, asOf: new Date(input.asOf), page: { cursor: input.cursor, limit: input.limit + 1 }, recordIds: input.recordIds, select: 'keyset',
      });
      const started = performance.now();
      const found: { id: string; k?: string }[] = await dataSource.query(sql, params);
      const queryMs = performance.now() - started;
      const rows = found.slice(0, input.limit);
      const last = rows[rows.length - 1];
      return {
        ids: rows.map((r) => r.id),
        nextCursor: found.length > input.limit ? { key: last.k ?? null, id: last.id } : null,
        queryMs,
      };
    },

    async finishRun(input: FinishRunInput): Promise<void> {
      await dataSource.query(
        `UPDATE workflow_runs SET status = $2, ended_at = now(), matched = $3, delivered = $4, skipped = $5, failed = $6, errors = $7
          WHERE id = $1`,
        [input.runRecordId, input.status, input.matched, input.delivered, input.skipped, input.failed, JSON.stringify(input.errors)],
      );
    },

    /** Active definitions of an event template whose conditions the record meets. */
    async findEventDefinitions(input: { companyId: string; templateKey: string; recordId: string }): Promise<string[]> {
      const plan = sweepPlan(input.templateKey);
      if (!plan) return [];
      const ids: { id: string }[] = await dataSource.query(
        `SELECT d.id FROM workflow_definitions d WHERE d.company_id = $1 AND d.template_key = $2 AND d.status = 'active'
          ORDER BY d.created_at, d.id`,
        [input.companyId, input.templateKey],
      );
      const matching: string[] = [];
      for (const { id } of ids) {
        const def = await loadSweepDefinition(dataSource, id, input.companyId);
        if (!def || whyNotLive(def)) continue;
        const { sql, params } = buildMatchQuery({ plan, def, asOf: new Date(), recordIds: [input.recordId], select: 'keyset' });
        if ((await dataSource.query(sql, params)).length > 0) matching.push(id);
      }
      return matching;
    },
  };
}
