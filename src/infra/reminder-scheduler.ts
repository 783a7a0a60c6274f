import { Client, ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOptions, ScheduleOverlapPolicy } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { type ReminderSweepInput, SCHEDULED_TEMPLATE_KEYS, searchAttributes, workflowIds, workflowTypes } from '../contracts';
import { DEFAULT_SCHEDULE_JITTER_SECONDS } from '../config';
import { type CompanyFacts, type Queryable, ReminderDefinitionsRepository, type ScheduledDefinition } from '../db/reminder-definitions.repository';

export const DEFAULT_REMINDER_TIME = '09:00';
/** Missed firings (server down) are still taken within this window, then skipped. */
export const CATCHUP_WINDOW = '6 hours';
const SCHEDULE_PREFIX = 'reminder-';

export type SyncResult = 'created' | 'updated' | 'paused' | 'deleted' | 'unchanged';

export interface ReconcileReport {
  created: string[];
  resumed: string[];
  /** Running schedules whose spec was brought in line (a jitter configured since they were made). */
  updated: string[];
  paused: string[];
  deleted: string[];
}

/** The definition id a reminder schedule id belongs to, or null for other schedules. */
export function definitionIdOfSchedule(scheduleId: string): string | null {
  const m = /^reminder-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i.exec(scheduleId);
  return scheduleId.startsWith(SCHEDULE_PREFIX) && m ? m[1].toLowerCase() : null;
}

export function isScheduledTemplate(templateKey: string): boolean {
  return SCHEDULED_TEMPLATE_KEYS.includes(templateKey);
}

/** The start options shared by scheduled firings and run-now: readable id, search attributes, a summary. */
export function sweepAction(def: ScheduledDefinition, companyName: string, trigger: 'schedule' | 'run-now') {
  const args: [ReminderSweepInput] = [{ definitionId: def.id, companyId: def.companyId, kind: 'sweep', trigger }];
  return {
    args,
    typedSearchAttributes: [
      { key: searchAttributes.workflowDefinitionId, value: def.id },
      { key: searchAttributes.companyId, value: def.companyId },
    ],
    staticSummary: `Reminder sweep "${def.name}" (${def.templateKey}) for ${companyName}`,
  };
}

/**
 * Keeps one Temporal Schedule per scheduled definition (`reminder-<definitionId>`) in line with it: created on
 * activation, updated on change, paused when inactive or when the company leaves the advanced plan, deleted with it.
 * Framework-free so that the API (lifecycle hooks, run-now) and the worker (reconcile at start) share it.
 */
export class ReminderScheduler {
  private readonly definitions: ReminderDefinitionsRepository;

  private readonly jitterMs: number;

  /** `jitterSeconds`: each firing is delayed by a random 0 to this many seconds, so that one timezone's companies do not all sweep at once. */
  constructor(
    private readonly client: Client, private readonly taskQueue: string, private readonly dataSource: DataSource,
    { jitterSeconds = DEFAULT_SCHEDULE_JITTER_SECONDS }: { jitterSeconds?: number } = {},
  ) {
    this.definitions = new ReminderDefinitionsRepository(dataSource);
    this.jitterMs = jitterSeconds * 1000;
  }

  options(def: ScheduledDefinition, live: boolean, company: CompanyFacts): ScheduleOptions {
    const [hour, minute] = (def.schedule?.time ?? DEFAULT_REMINDER_TIME).split(':').map(Number);
    const action = sweepAction(def, company.name, 'schedule');
    return {
      scheduleId: workflowIds.reminderSchedule(def.id),
      spec: {
        calendars: [{ hour, minute, comment: `every day at ${def.schedule?.time ?? DEFAULT_REMINDER_TIME}` }], timezone: company.timezone, jitter: this.jitterMs,
      },
      action: {
        type: 'startWorkflow', workflowType: workflowTypes.reminderSweep, workflowId: workflowIds.reminderSweep(def.id), taskQueue: this.taskQueue, ...action,
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: CATCHUP_WINDOW },
      state: { paused: !live, note: live ? `definition "${def.name}" is active` : this.pauseNote(def, company.plan) },
      typedSearchAttributes: action.typedSearchAttributes,
    };
  }

  /**
   * Brings the definition's schedule in line with the definition; idempotent. `db` reads the company: pass the
   * transaction that is saving the definition (or creating the company) so that uncommitted rows are seen.
   */
  async sync(def: ScheduledDefinition, db: Queryable = this.dataSource): Promise<SyncResult> {
    if (!isScheduledTemplate(def.templateKey)) return (await this.remove(def.id)) ? 'deleted' : 'unchanged';
    const company = await this.company(def.companyId, db);
    const live = def.status === 'active' && company.plan === 'advanced';
    const options = this.options(def, live, company);
    const handle = this.client.schedule.getHandle(options.scheduleId);
    if (live) {
      try {
        await this.client.schedule.create(options);
        return 'created';
      } catch (err) {
        if (!(err instanceof ScheduleAlreadyRunning)) throw err;
      }
    }
    try {
      await handle.update((previous) => ({ spec: options.spec, action: options.action, policies: options.policies, state: previous.state }));
      const paused = (await handle.describe()).state.paused;
      if (live && paused) await handle.unpause(options.state!.note);
      if (!live && !paused) await handle.pause(options.state!.note);
      return live ? 'updated' : 'paused';
    } catch (err) {
      if (err instanceof ScheduleNotFoundError) return 'unchanged';
      throw err;
    }
  }

  async pause(definitionId: string, note: string): Promise<boolean> {
    try {
      await this.client.schedule.getHandle(workflowIds.reminderSchedule(definitionId)).pause(note);
      return true;
    } catch (err) {
      if (err instanceof ScheduleNotFoundError) return false;
      throw err;
    }
  }

  async remove(definitionId: string): Promise<boolean> {
    try {
      await this.client.schedule.getHandle(workflowIds.reminderSchedule(definitionId)).delete();
      return true;
    } catch (err) {
      if (err instanceof ScheduleNotFoundError) return false;
      throw err;
    }
  }

  /** After a downgrade: every reminder schedule of the company stops firing. */
  async pauseAllForCompany(companyId: string): Promise<string[]> {
    const paused: string[] = [];
    for (const id of await this.definitions.idsOfCompany(companyId)) if (await this.pause(id, 'the company is not on the advanced plan')) paused.push(id);
    return paused;
  }

  /**
   * Repairs drift between definitions and schedules (an activation whose schedule call failed, a definition
   * deleted while Temporal was down...): an active definition without a running schedule gets one; a reminder
   * schedule without an active definition is paused, or deleted when the definition is gone.
   */
  async reconcile(): Promise<ReconcileReport> {
    const report: ReconcileReport = { created: [], resumed: [], updated: [], paused: [], deleted: [] };
    const defs = await this.definitions.allWithPlan();
    const byId = new Map(defs.map((d) => [d.id, d]));
    const schedules = new Map<string, boolean>();
    const staleJitter = new Set<string>();
    for await (const s of this.client.schedule.list()) {
      const id = definitionIdOfSchedule(s.scheduleId);
      if (!id) continue;
      schedules.set(id, s.state.paused);
      // The listed spec comes from visibility; without calendars it was not listed, and says nothing of the jitter.
      if (s.spec?.calendars?.length && (s.spec.jitter ?? 0) !== this.jitterMs) staleJitter.add(id);
    }
    for (const def of defs) {
      const live = def.status === 'active' && def.plan === 'advanced';
      const paused = schedules.get(def.id);
      if (live && paused !== false) {
        const result = await this.sync(def);
        (result === 'created' ? report.created : report.resumed).push(def.id);
      } else if (live && staleJitter.has(def.id)) {
        if ((await this.sync(def)) === 'updated') report.updated.push(def.id);
      }
    }
    for (const [id, paused] of schedules) {
      const def = byId.get(id);
      if (!def) {
        if (await this.remove(id)) report.deleted.push(id);
      } else if (!paused && !(def.status === 'active' && def.plan === 'advanced')) {
        if (await this.pause(id, this.pauseNote(def, def.plan))) report.paused.push(id);
      }
    }
    return report;
  }

  private pauseNote(def: ScheduledDefinition, plan: string): string {
    return plan !== 'advanced' ? 'the company is not on the advanced plan' : `definition "${def.name}" is ${def.status}`;
  }

  private async company(companyId: string, db: Queryable): Promise<CompanyFacts> {
    const facts = await new ReminderDefinitionsRepository(db).companyFacts(companyId);
    if (!facts) throw new Error(`company ${companyId} not found`);
    return facts;
  }
}
