import { Context } from '@temporalio/activity';
import { performance } from 'node:perf_hooks';
import type { DataSource } from 'typeorm';
import type { DeferredPartInput, FindMatchingPageInput, FinishRunInput, MatchingPage, StartedRun, StartRunInput, SweepActivities } from '../contracts';
import { sweepPlan } from '../db/sweep-plans';
import { whyNotLive } from '../db/sweep-query';
import { SweepsRepository } from '../db/sweeps.repository';
import { webhookEvents } from '../db/webhook-events';

/** Recording a run and finding its matches; delivering them is in delivery.activities.ts. */
export function createSweepActivities(dataSource: DataSource): SweepActivities {
  const sweeps = new SweepsRepository(dataSource);
  return {
    /** Records the run once per Temporal run (retries find the same row through the unique workflow/run ids). */
    async startRun(input: StartRunInput): Promise<StartedRun | null> {
      const def = await sweeps.findDefinition(input.definitionId, input.companyId);
      if (!def) return null;
      const execution = Context.current().info.workflowExecution;
      if (!execution) throw new Error('startRun runs only inside a workflow');
      const run = await sweeps.recordRunStarted(def, { kind: input.kind, trigger: input.trigger, ...execution });
      const notLive = sweepPlan(def.templateKey) ? whyNotLive(def) : `template "${def.templateKey}" is not a reminder`;
      return { runRecordId: run.id, asOf: run.startedAt.toISOString(), notLive };
    },

    /**
     * One page of matching record ids: a single indexed query, resuming after the cursor. It reads one row more than
     * the page, so that a last page that happens to be full is known to be the last (no empty page after it).
     */
    async findMatchingPage(input: FindMatchingPageInput): Promise<MatchingPage> {
      const def = await sweeps.findDefinition(input.definitionId, input.companyId);
      const plan = def && sweepPlan(def.templateKey);
      if (!def || !plan) return { ids: [], nextCursor: null, queryMs: 0, stopped: 'the definition was deleted' };
      const notLive = whyNotLive(def);
      if (notLive) return { ids: [], nextCursor: null, queryMs: 0, stopped: notLive };
      const started = performance.now();
      const found = await sweeps.findMatchingIds(plan, def, new Date(input.asOf), { cursor: input.cursor, limit: input.limit + 1 }, input.recordIds);
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
      await sweeps.recordRunFinished(input);
      if (input.status === 'failed') await webhookEvents.runFailed(dataSource, input.runRecordId);
    },

    async recordDeferredPart(input: DeferredPartInput): Promise<void> {
      await sweeps.recordDeferredPart(input);
    },

    /** Active definitions of an event template whose conditions the record meets. */
    async findEventDefinitions(input: { companyId: string; templateKey: string; recordId: string }): Promise<string[]> {
      const plan = sweepPlan(input.templateKey);
      if (!plan) return [];
      const matching: string[] = [];
      for (const id of await sweeps.findActiveDefinitionIds(input.companyId, input.templateKey)) {
        const def = await sweeps.findDefinition(id, input.companyId);
        if (!def || whyNotLive(def)) continue;
        if ((await sweeps.findMatchingIds(plan, def, new Date(), undefined, [input.recordId])).length > 0) matching.push(id);
      }
      return matching;
    },
  };
}
