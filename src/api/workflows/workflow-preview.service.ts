import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, ObjectLiteral } from 'typeorm';
import { Customer, Invoice, Location, User, Vendor, WorkflowDefinition } from '../../db/entities';
import { SweepsRepository } from '../../db/sweeps.repository';
import { sweepPlan, toSweepRecord } from '../../db/sweep-plans';
import type { SweepDefinition } from '../../db/sweep-query';
import { selectStep, stepDay } from '../../domain/collection-sequence';
import { Condition, RecordType } from '../../domain/conditions';
import { addDays, todayIn } from '../../domain/dates';
import { Action } from '../../domain/definitions';
import { RenderOptions, renderHtmlBody, renderText } from '../../domain/messages';
import { groupByCustomer, statementLineOf, statementLines, statementStep, statementVariables } from '../../domain/statements';
import { findTemplate } from '../../domain/templates';
import { messageVariables, sampleVariables } from '../../domain/variables';
import { AuthUser } from '../auth/current-user.decorator';

export interface PreviewMessage {
  action: number;
  type: Action['type'];
  /** Email addresses (email, send), user ids (push, task, approval), or empty (memo, stamp). */
  recipients: string[];
  subject?: string;
  body?: string;
  html?: string;
  title?: string;
  text?: string;
}

export interface PreviewMatch {
  recordType: RecordType;
  recordId: string;
  record: Record<string, unknown>;
  messages: PreviewMessage[];
  /** collection-sequence: the step that goes out today (1-based `number`), its day, and the step last sent (0: none). */
  step?: { number: number; offsetDays: number; day: string; lastSent: number };
}

/** A sequence grouped by customer: the statement each customer of the listed matches gets. */
export interface PreviewStatement {
  customerId: string;
  invoiceIds: string[];
  /** 1-based, as `PreviewMatch.step.number`. */
  step: number;
  messages: PreviewMessage[];
}

interface Lookups {
  customers: Map<string, Customer>;
  vendors: Map<string, Vendor>;
  locations: Map<string, Location>;
  users: Map<string, User>;
  invoices: Map<string, Invoice>;
}

const byId = <T extends { id: string }>(rows: T[]) => new Map(rows.map((r) => [r.id, r]));
const ids = (values: Array<string | null | undefined>) => [...new Set(values.filter((v): v is string => !!v))];

/**
 * What a definition would do right now: the records its conditions select (the sweep's SQL) and each rendered message.
 * Sends nothing. The definition may be a saved one or a draft not saved yet (no id).
 */
@Injectable()
export class WorkflowPreviewService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async preview(caller: AuthUser, definition: WorkflowDefinition, limit: number, now = new Date()) {
    if (definition.templateKey === 'collection-sequence') return this.previewSequence(caller, definition, limit, now);
    const template = findTemplate(definition.templateKey)!;
    const { timezone } = caller.company;
    const actions = definition.actions as Action[];
    const sweeps = new SweepsRepository(this.dataSource);
    const found = await sweeps
      .findConditionMatches(caller.companyId, template.recordType, definition.conditions as Condition[], { timezone, now }, limit + 1);
    const pageIds = found.slice(0, limit);
    const records = await sweeps.findRecords(template.recordType, pageIds);
    const ordered = pageIds.map((id) => records.find((r) => r.id === id)!).filter(Boolean);
    const lookups = await this.lookups(caller, ordered, actions);
    const options: Omit<RenderOptions, 'html'> = { locale: caller.company.locale, currency: caller.company.currency, timezone };
    const company = { name: caller.company.name, currency: caller.company.currency, timezone };
    const deadline = this.deadline(actions, timezone, now);

    const matches: PreviewMatch[] = ordered.map((record) => {
      const variables = messageVariables(template.recordType, {
        company, now, record,
        customer: lookups.customers.get(record.customerId) ?? null,
        vendor: lookups.vendors.get(record.vendorId) ?? null,
        location: lookups.locations.get(record.locationId) ?? null,
        invoice: lookups.invoices.get(record.invoiceId) ?? null,
        createdBy: lookups.users.get(record.createdBy) ?? null,
        deadline,
      });
      return {
        recordType: template.recordType,
        recordId: record.id,
        record: summary(template.recordType, record),
        messages: this.messages(actions, variables, options, lookups, lookups.customers.get(record.customerId) ?? null),
      };
    });
    return {
      definitionId: definition.id ?? null,
      templateKey: definition.templateKey,
      status: definition.status,
      evaluatedAt: now.toISOString(),
      timezone,
      today: todayIn(timezone, now),
      matches,
      hasMore: found.length > limit,
      sample: this.messages(actions, { ...sampleVariables(template), companyName: caller.company.name, currency: caller.company.currency }, options, lookups, null),
    };
  }

  /**
   * A sequence's preview is its sweep's own selection (the same statement, the same step choice), so it shows exactly
   * which invoices get which step today: the definition's conditions, the steps due, pauses and opt-outs.
   */
  private async previewSequence(caller: AuthUser, definition: WorkflowDefinition, limit: number, now: Date) {
    const { timezone } = caller.company;
    const sweeps = new SweepsRepository(this.dataSource);
    const plan = sweepPlan('collection-sequence')!;
    const def = sweepDefinitionOf(caller, definition);
    const found = await sweeps.findMatchingIds(plan, def, now, { cursor: null, limit: limit + 1 });
    const pageIds = found.slice(0, limit).map((r) => r.id);
    const details = await sweeps.findMatchingDetails(plan, def, now, pageIds);
    const company = { name: caller.company.name, currency: caller.company.currency, timezone };
    const options: Omit<RenderOptions, 'html'> = { locale: caller.company.locale, currency: caller.company.currency, timezone };
    const today = todayIn(timezone, now);
    const sequence = definition.sequence!;
    const byId = new Map(details.map((d) => [String(d.id), d]));
    const grouped = sequence.groupBy === 'customer';
    const statementParts: Array<{ record: ReturnType<typeof toSweepRecord>; index: number }> = [];
    const matches: PreviewMatch[] = [];
    for (const id of pageIds) {
      const raw = byId.get(id);
      if (!raw) continue;
      const record = toSweepRecord('invoice', raw, { company, asOf: now });
      const lastStep = Number(raw.last_step ?? -1);
      const index = selectStep(sequence, { dueDate: record.row.dueDate!, today, lastStep });
      if (index === null) continue;
      const step = sequence.steps[index];
      const text = (t: string) => renderText(t, record.variables, { ...options, html: false });
      if (grouped) statementParts.push({ record, index });
      const messages: PreviewMessage[] = grouped ? [] : [{
        action: 0, type: 'email', recipients: record.customerEmail ? [record.customerEmail] : [],
        subject: text(step.subject).replace(/[\r\n]+/g, ' ').trim(), body: text(step.body), html: renderHtmlBody(step.body, record.variables, options),
      }];
      if (step.task && !grouped) messages.push({ action: 1, type: 'task', recipients: taskRecipients(step.task), title: text(step.task.title), body: text(step.task.description) });
      matches.push({
        recordType: 'invoice', recordId: id,
        record: {
          number: raw.number, customerId: raw.customer_id, amount: raw.amount, balance: raw.balance, issueDate: raw.issue_date, dueDate: raw.due_date,
          sentAt: raw.sent_at ? new Date(String(raw.sent_at)).toISOString() : null, approvalStatus: raw.approval_status,
        },
        step: { number: index + 1, offsetDays: step.offsetDays, day: stepDay(step, record.row.dueDate!), lastSent: lastStep + 1 },
        messages,
      });
    }
    return {
      definitionId: definition.id ?? null, templateKey: definition.templateKey, status: definition.status, evaluatedAt: now.toISOString(),
      timezone, today, matches, hasMore: found.length > limit, sample: [] as PreviewMessage[],
      ...(grouped ? { statements: this.statements(statementParts, sequence.steps, caller, options, today) } : {}),
    };
  }

  private statements(
    parts: Array<{ record: ReturnType<typeof toSweepRecord>; index: number }>, steps: NonNullable<WorkflowDefinition['sequence']>['steps'],
    caller: AuthUser, options: Omit<RenderOptions, 'html'>, today: string,
  ): PreviewStatement[] {
    const { company } = caller;
    return groupByCustomer(parts, (p) => p.record.row.customerId).map(({ customerId, records }) => {
      const first = records[0].record;
      const lines = statementLines(records.map(({ record }) => statementLineOf(record.id, record.variables)));
      const variables = statementVariables({
        company: { name: company.name, locale: caller.company.locale, currency: company.currency, timezone: company.timezone },
        customer: { name: String(first.variables.customerName ?? ''), email: first.customerEmail }, asOf: today, lines,
      });
      const index = statementStep(records.map((r) => r.index));
      const step = steps[index];
      const text = (t: string) => renderText(t, variables, { ...options, html: false });
      const messages: PreviewMessage[] = [{
        action: 0, type: 'email', recipients: first.customerEmail ? [first.customerEmail] : [],
        subject: text(step.subject).replace(/[\r\n]+/g, ' ').trim(), body: text(step.body), html: renderHtmlBody(step.body, variables, options),
      }];
      if (step.task) messages.push({ action: 1, type: 'task', recipients: taskRecipients(step.task), title: text(step.task.title), body: text(step.task.description) });
      return { customerId, invoiceIds: lines.map((l) => l.invoiceId), step: index + 1, messages };
    });
  }

  private deadline(actions: Action[], timezone: string, now: Date): string | null {
    const approval = actions.find((a) => a.type === 'approval');
    return approval?.type === 'approval' ? addDays(todayIn(timezone, now), approval.timeoutDays) : null;
  }

  private messages(actions: Action[], variables: Record<string, unknown>, options: Omit<RenderOptions, 'html'>, lookups: Lookups, customer: Customer | null): PreviewMessage[] {
    const text = (t: string) => renderText(t, variables, { ...options, html: false });
    const subject = (t: string) => text(t).replace(/[\r\n]+/g, ' ').trim();
    const emails = (userIds: string[]) => userIds.map((id) => lookups.users.get(id)?.email ?? id);
    return actions.map((action, i): PreviewMessage => {
      switch (action.type) {
        case 'email': {
          const recipients = action.to === 'customer' ? (customer?.email ? [customer.email] : []) : [...emails(action.to.userIds), ...action.to.emails];
          return { action: i, type: 'email', recipients, subject: subject(action.subject), body: text(action.body), html: renderHtmlBody(action.body, variables, options) };
        }
        case 'send':
          return { action: i, type: 'send', recipients: customer?.email ? [customer.email] : [], subject: subject(action.subject), body: text(action.body), html: renderHtmlBody(action.body, variables, options) };
        case 'push':
          return { action: i, type: 'push', recipients: action.userIds, title: subject(action.title), body: text(action.body) };
        case 'task':
          return { action: i, type: 'task', recipients: taskRecipients(action), title: subject(action.title), body: text(action.description) };
        case 'memo':
        case 'stamp':
          return { action: i, type: action.type, recipients: [], text: text(action.text) };
        case 'approval':
          return {
            action: i, type: 'approval', recipients: [...new Set([...action.steps[0].approverIds, ...action.notify.userIds])],
            subject: subject(action.subject), body: text(action.body),
          };
      }
    });
  }

  private async lookups(caller: AuthUser, records: ObjectLiteral[], actions: Action[]): Promise<Lookups> {
    const companyId = caller.companyId;
    const userIds = ids([
      ...records.map((r) => r.createdBy as string | undefined),
      ...actions.flatMap((a) => (a.type === 'email' && a.to !== 'customer' ? a.to.userIds : [])),
    ]);
    const found = await new SweepsRepository(this.dataSource).findPreviewLookups(companyId, {
      customerIds: ids(records.map((r) => r.customerId)),
      vendorIds: ids(records.map((r) => r.vendorId)),
      locationIds: ids(records.map((r) => r.locationId)),
      userIds,
      invoiceIds: ids(records.map((r) => r.invoiceId)),
    });
    return {
      customers: byId(found.customers), vendors: byId(found.vendors), locations: byId(found.locations), users: byId(found.users),
      invoices: byId(found.invoices),
    };
  }
}

/** No definition has it: a draft's sequence has sent no step to any invoice. */
const UNSAVED_ID = '00000000-0000-0000-0000-000000000000';

/** The definition as its sweep reads it, with the caller's company (a draft has no row to read it from). */
function sweepDefinitionOf(caller: AuthUser, d: WorkflowDefinition): SweepDefinition {
  const { company } = caller;
  return {
    id: d.id ?? UNSAVED_ID, companyId: caller.companyId, templateKey: d.templateKey, name: d.name, status: d.status,
    conditions: d.conditions as Condition[], actions: d.actions, locale: d.locale, companyName: company.name, timezone: company.timezone,
    currency: company.currency, plan: company.plan, sequence: d.sequence, sendWindow: null,
  };
}

function summary(recordType: RecordType, r: ObjectLiteral): Record<string, unknown> {
  switch (recordType) {
    case 'invoice':
      return { number: r.number, customerId: r.customerId, amount: r.amount, balance: r.balance, issueDate: r.issueDate, dueDate: r.dueDate, sentAt: r.sentAt, approvalStatus: r.approvalStatus };
    case 'bill':
      return { number: r.number, vendorId: r.vendorId, amount: r.amount, balance: r.balance, dueDate: r.dueDate, paidAt: r.paidAt };
    case 'payment':
      return { invoiceId: r.invoiceId, customerId: r.customerId, amount: r.amount, receivedAt: r.receivedAt, depositId: r.depositId };
  }
}

export type WorkflowPreview = Awaited<ReturnType<WorkflowPreviewService['preview']>>;

/** Who gets a task: its assignee, or else its candidate group's members, shown as `group:<id>`. */
function taskRecipients(task: { assigneeId?: string | null; candidateGroupId?: string | null }): string[] {
  if (task.assigneeId) return [task.assigneeId];
  return task.candidateGroupId ? [`group:${task.candidateGroupId}`] : [];
}
