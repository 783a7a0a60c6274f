import { Context } from '@temporalio/activity';
import { approvalNotices } from '../domain/approval-notices';
import { ApplicationFailure } from '@temporalio/common';
import type { DataSource } from 'typeorm';
import { createDeliveriesRepository } from '../db/deliveries.repository';
import { preparedSql, type Sql } from '../db/sql';
import type {
  ApprovalActivities, ApprovalNotice, ApprovalStepActivities, CancelApprovalInput, CompleteApprovalInput, MarkPendingInput,
  NotifyApprovalRequestedInput, OpenApprovalStepInput, OpenApprovalTasksInput, RecordDecisionInput, RemindApproversInput, RequestApprovalInput, SettleApprovalInput,
} from '../contracts';
import type { Mailer } from '../infra/mailer';
import { createOutbox, deliveryPolicies } from './outbox';

export interface ApprovalActivityDeps {
  dataSource: DataSource;
  mailer: Mailer;
}

interface Recipient {
  id: string;
  name: string;
  email: string;
}

interface InvoiceFacts {
  number: string;
  amount: string;
  currency: string;
  locale: string;
  timezone: string;
  customerName: string;
  companyName: string;
  definitionId: string | null;
  workflowId: string;
  approvalStatus: string;
}

type Manager = Pick<Sql, 'query'>;

/**
 * The statement that closes an approval's open tasks (the approval id is `$1`), as SQL text for statements of their
 * own and for steps of larger ones: `status` and `by` are SQL expressions, `when` an extra condition.
 */
function closeTasksSql(status: string, by: string, when?: string): string {
  return `UPDATE tasks SET status = ${status}, completed_at = now(), completed_by = ${by}
           WHERE approval_id = $1 AND status = 'open'${when ? ` AND ${when}` : ''}`;
}

/**
 * Every statement that changes an invoice's approval takes the invoice's row lock first (as the API's edit and submit
 * do), then the approval's: one lock order, so that an edit and a decision wait for each other instead of deadlocking.
 * As the first CTE of a statement (the invoice id is `$n`), read by the statement's first write with `AND EXISTS
 * (SELECT 1 FROM invoice_lock)` so that the lock is taken before that write locks the approval.
 */
function invoiceLockSql(n: number): string {
  return `invoice_lock AS (SELECT id FROM invoices WHERE id = $${n} FOR UPDATE)`;
}

function currentExecution(): { workflowId: string; runId: string } {
  const { workflowExecution } = Context.current().info;
  if (!workflowExecution) throw ApplicationFailure.nonRetryable('approval activities run only inside a workflow', 'NotInWorkflow');
  return { workflowId: workflowExecution.workflowId, runId: workflowExecution.runId };
}

/**
 * The side effects of an invoice approval run. Each one is safe to retry: tasks, notifications and deliveries
 * carry keys the database keeps unique, decisions are unique per approval and step, and status changes are
 * guarded by the state they move from.
 */
function createApprovalSideEffects({ dataSource, mailer }: ApprovalActivityDeps): ApprovalStepActivities {
  const db = preparedSql(dataSource);
  const outbox = createOutbox(createDeliveriesRepository(dataSource));

  /** The invoice's facts for notices, and the given users of the company (ordered by id), in one statement. */
  async function factsAndPeople(m: Manager, n: ApprovalNotice, userIds: string[] = []): Promise<InvoiceFacts & { people: Recipient[] }> {
    const rows: (InvoiceFacts & { people: Recipient[] })[] = await m.query(
      `SELECT i.number, i.amount::text AS amount, co.currency, co.locale, co.timezone, cu.name AS "customerName", co.name AS "companyName",
              a.definition_id AS "definitionId", a.workflow_id AS "workflowId", a.status AS "approvalStatus",
              (SELECT coalesce(json_agg(json_build_object('id', u.id, 'name', u.name, 'email', u.email) ORDER BY u.id), '[]')
                 FROM users u WHERE u.company_id = a.company_id AND u.id = ANY($4::uuid[])) AS people
         FROM approvals a
         JOIN invoices i ON i.id = a.invoice_id
         JOIN customers cu ON cu.id = i.customer_id
         JOIN companies co ON co.id = i.company_id
        WHERE a.id = $1 AND a.invoice_id = $2 AND a.company_id = $3`,
      [n.approvalId, n.invoiceId, n.companyId, [...new Set(userIds)]],
    );
    if (!rows[0]) {
      throw ApplicationFailure.create({
        type: 'ApprovalNotFound', nonRetryable: true,
        message: `approval ${n.approvalId} of invoice ${n.invoiceId} (company ${n.companyId}) does not exist`,
      });
    }
    return rows[0];
  }

  /** An approval's delivery: its row's company, definition, invoice and run are the approval's. */
  function approvalDelivery(n: ApprovalNotice, key: string, occurrence: string, channel: 'email' | 'push' | 'task', recipient: string) {
    return { key, occurrence, channel, recipient, owner: { approvalId: n.approvalId }, attempt: Context.current().info.attempt };
  }

  /** Sent until its row is `sent`, with a Message-ID fixed by the key: a resend is the same message to the receiver. */
  async function emailOnce(n: ApprovalNotice, key: string, occurrence: string, to: Recipient, subject: string, text: string): Promise<void> {
    await outbox.deliver(approvalDelivery(n, key, occurrence, 'email', to.email), {
      policy: deliveryPolicies.approvalEmail,
      send: async (deliveryKey) => { await mailer.send({ to: to.email, subject, text, deliveryKey }); },
    });
  }

  /** The in-app notification, in the statement of its `sent` row. */
  async function pushOnce(n: ApprovalNotice, key: string, occurrence: string, to: Recipient, title: string, body: string): Promise<void> {
    await outbox.deliver(approvalDelivery(n, key, occurrence, 'push', to.id), {
      policy: deliveryPolicies.inbox,
      statement: {
        sql: `INSERT INTO notifications (company_id, user_id, title, body, record_type, record_id, idempotency_key)
              SELECT $1::uuid, $2::uuid, $3::text, $4::text, 'invoice', $5::uuid, $6::text WHERE EXISTS (SELECT 1 FROM claimed)
              ON CONFLICT (idempotency_key) DO NOTHING`,
        params: [n.companyId, to.id, title, body, n.invoiceId, key],
      },
    });
  }

  async function closeOpenTasks(m: Manager, approvalId: string, status: 'completed' | 'cancelled', by: string | null): Promise<void> {
    await m.query(closeTasksSql('$2', '$3'), [approvalId, status, by]);
  }

  async function endRun(m: Manager, workflowId: string, status: 'completed' | 'failed'): Promise<void> {
    await m.query(
      `UPDATE workflow_runs r SET status = $2, ended_at = now(),
              delivered = (SELECT count(*) FROM deliveries d WHERE d.run_id = r.id AND d.status = 'sent'),
              failed = (SELECT count(*) FROM deliveries d WHERE d.run_id = r.id AND d.status = 'failed')
        WHERE r.temporal_workflow_id = $1 AND r.status = 'running'`,
      [workflowId, status],
    );
  }

  return {
    /** The run has started: records its run id and the deadline it computed, and opens its run history row. */
    async markPending(input: MarkPendingInput): Promise<void> {
      const { workflowId, runId } = currentExecution();
      // One statement, so all or nothing without a transaction's extra round trips.
      const [row]: { found: boolean }[] = await db.query(
        `WITH ${invoiceLockSql(2)},
         approval AS (
           UPDATE approvals SET run_id = $4, deadline = $5
            WHERE id = $1 AND invoice_id = $2 AND company_id = $3 AND status = 'pending' AND EXISTS (SELECT 1 FROM invoice_lock) RETURNING id),
         invoice AS (
           UPDATE invoices SET approval_status = 'pending_approval', updated_at = now()
            WHERE id = $2 AND approval_status <> 'pending_approval' AND EXISTS (SELECT 1 FROM approval)),
         run AS (
           INSERT INTO workflow_runs (company_id, definition_id, kind, trigger, temporal_workflow_id, temporal_run_id, matched)
           SELECT a.company_id, a.definition_id, 'approval', 'submit-for-approval', $6, $4, 1
             FROM approvals a WHERE a.id = $1 AND a.invoice_id = $2 AND a.company_id = $3
           ON CONFLICT (temporal_workflow_id, temporal_run_id) DO NOTHING)
         SELECT EXISTS (SELECT 1 FROM approvals WHERE id = $1 AND invoice_id = $2 AND company_id = $3) AS found`,
        [input.approvalId, input.invoiceId, input.companyId, runId, input.deadline, workflowId],
      );
      if (!row.found) {
        throw ApplicationFailure.create({
          type: 'ApprovalNotFound', nonRetryable: true,
          message: `approval ${input.approvalId} of invoice ${input.invoiceId} (company ${input.companyId}) does not exist`,
        });
      }
    },

    /** One open approval task per approver of the step, each with its delivery row in the same statement. */
    async openApprovalTasks(input: OpenApprovalTasksInput): Promise<{ opened: number }> {
      const { people: approvers, ...facts } = await factsAndPeople(db, input, input.approverIds);
      // Cancelled by an edit of the invoice before the run got here: nobody is asked to decide it.
      if (facts.approvalStatus !== 'pending') return { opened: 0 };
      const task = approvalNotices(facts).task({ step: input.step });
      for (const approver of approvers) {
        const key = `approval:${input.approvalId}:step:${input.step}:task:${approver.id}`;
        await outbox.deliver(approvalDelivery(input, key, `approval-${input.approvalId}-step-${input.step}`, 'task', approver.id), {
          policy: deliveryPolicies.task,
          statement: {
            sql: `INSERT INTO tasks (company_id, assignee_id, kind, title, description, record_type, record_id, approval_id, definition_id,
                                     idempotency_key, due_at)
                  SELECT $1::uuid, $2::uuid, 'approval', $3::text, $4::text, 'invoice', $5::uuid, $6::uuid, $7::uuid, $8::text, $9::timestamptz
                   WHERE EXISTS (SELECT 1 FROM claimed)
                  ON CONFLICT (idempotency_key) DO NOTHING`,
            params: [input.companyId, approver.id, task.title, task.description, input.invoiceId, input.approvalId, facts.definitionId, key, input.dueAt],
          },
        });
      }
      return { opened: approvers.length };
    },

    /** Emails (and pushes, if on) that the invoice waits for a decision. */
    async notifyApprovalRequested(input: NotifyApprovalRequestedInput): Promise<{ notified: number }> {
      const { people, ...facts } = await factsAndPeople(db, input, input.userIds);
      if (facts.approvalStatus !== 'pending') return { notified: 0 };
      const occurrence = `approval-${input.approvalId}-requested-${input.step}`;
      const { subject, text } = input.message
        ?? approvalNotices(facts).requested({ invoiceId: input.invoiceId, step: input.step, stepCount: input.stepCount, deadline: input.deadline });
      for (const person of people) {
        const key = `approval:${input.approvalId}:requested:${input.step}:email:${person.id}`;
        await emailOnce(input, key, occurrence, person, subject, text);
        if (input.push) await pushOnce(input, `approval:${input.approvalId}:requested:${input.step}:push:${person.id}`, occurrence, person, subject, text);
      }
      return { notified: people.length };
    },

    /** The decision of a step (or its timeout), once; the step's open tasks close with it. */
    async recordDecision(input: RecordDecisionInput): Promise<void> {
      // One statement: the decision, the next step and the closed tasks go together or not at all.
      await db.query(
        `WITH ${invoiceLockSql(8)},
         decision AS (
           INSERT INTO approval_decisions (approval_id, step, decision, user_id, comment, decided_at)
           SELECT $1, $2, $3, $4, $5, $6 WHERE EXISTS (SELECT 1 FROM invoice_lock) ON CONFLICT (approval_id, step) DO NOTHING),
         next_step AS (
           UPDATE approvals SET current_step = $7 WHERE id = $1 AND status = 'pending' AND $7::int IS NOT NULL AND EXISTS (SELECT 1 FROM invoice_lock))
         ${closeTasksSql("'completed'", '$4', 'EXISTS (SELECT 1 FROM invoice_lock)')}`,
        [input.approvalId, input.step, input.decision, input.userId, input.comment, input.decidedAt, input.nextStep, input.invoiceId],
      );
    },

    /** The reminder before the deadline, once per approval, to the approvers of the pending step. */
    async remindApprovers(input: RemindApproversInput): Promise<{ reminded: number }> {
      const { people, ...facts } = await factsAndPeople(db, input, input.approverIds);
      if (facts.approvalStatus !== 'pending') return { reminded: 0 };
      const occurrence = `approval-${input.approvalId}-reminder`;
      const { subject, text } = approvalNotices(facts).reminder({ deadline: input.deadline });
      for (const person of people) {
        await emailOnce(input, `approval:${input.approvalId}:reminder:email:${person.id}`, occurrence, person, subject, text);
        if (input.push) await pushOnce(input, `approval:${input.approvalId}:reminder:push:${person.id}`, occurrence, person, subject, text);
      }
      return { reminded: people.length };
    },

    /**
     * The outcome, durably: approval row, invoice `approvalStatus`, open tasks. `applied: false` when the API cancelled
     * the approval first (the invoice was edited), in which case nothing changes. Nobody is told here: see
     * `notifyApprovalOutcome`, which the workflow runs once the decision's Update has answered.
     */
    async completeApproval(input: CompleteApprovalInput): Promise<{ applied: boolean }> {
      // One statement, all or nothing: the approval moves from pending to the outcome (or already had it: a retry),
      // and only then the invoice's status and the open tasks follow. A cancelled approval changes nothing.
      const [{ applied }]: { applied: boolean }[] = await db.query(
        `WITH ${invoiceLockSql(3)},
         moved AS (
           UPDATE approvals SET status = $2, decided_at = now() WHERE id = $1 AND status = 'pending' AND EXISTS (SELECT 1 FROM invoice_lock) RETURNING id),
         outcome AS (
           SELECT EXISTS (SELECT 1 FROM moved) OR EXISTS (SELECT 1 FROM approvals WHERE id = $1 AND status = $2) AS applied),
         invoice AS (
           UPDATE invoices SET approval_status = $2, updated_at = now()
            WHERE id = $3 AND approval_status = 'pending_approval' AND (SELECT applied FROM outcome)),
         tasks AS (${closeTasksSql("'completed'", '$4', '(SELECT applied FROM outcome)')})
         SELECT applied FROM outcome`,
        [input.approvalId, input.outcome, input.invoiceId, input.decidedBy],
      );
      return { applied };
    },

    /**
     * Tells the creator and the people to notify of the outcome (email, and push where asked), each once, then closes
     * the run's history row. Sends nothing unless the approval has this outcome (a cancelled approval tells nobody).
     */
    async notifyApprovalOutcome(input: CompleteApprovalInput): Promise<{ notified: number }> {
      const { people, ...facts } = await factsAndPeople(db, input, [input.creatorId, ...input.notifyUserIds]);
      if (facts.approvalStatus !== input.outcome) return { notified: 0 };
      const occurrence = `approval-${input.approvalId}-decided`;
      const { subject, text } = approvalNotices(facts).decided({ outcome: input.outcome, timedOut: input.decision === 'timeout', comment: input.comment });
      for (const person of people) {
        await emailOnce(input, `approval:${input.approvalId}:decided:email:${person.id}`, occurrence, person, subject, text);
        if (input.push || person.id === input.creatorId) {
          await pushOnce(input, `approval:${input.approvalId}:decided:push:${person.id}`, occurrence, person, subject, text);
        }
      }
      await endRun(db, facts.workflowId, 'completed');
      return { notified: people.length };
    },

    /** The run ends without an outcome (the invoice was edited): nothing is sent, open tasks are cancelled. */
    async cancelApproval(input: CancelApprovalInput): Promise<void> {
      await dataSource.transaction(async (m) => {
        await m.query('SELECT id FROM invoices WHERE id = $1 FOR UPDATE', [input.invoiceId]);
        const facts = await factsAndPeople(m, input);
        const [before]: { status: string }[] = await m.query('SELECT status FROM approvals WHERE id = $1 FOR UPDATE', [input.approvalId]);
        await m.query(`UPDATE approvals SET status = 'cancelled', decided_at = now() WHERE id = $1 AND status = 'pending'`, [input.approvalId]);
        await m.query(
          `INSERT INTO approval_decisions (approval_id, step, decision, user_id, comment, decided_at)
           VALUES ($1, $2, 'cancelled', $3, $4, $5) ON CONFLICT (approval_id, step) DO NOTHING`,
          [input.approvalId, input.step, input.userId, input.comment, input.decidedAt],
        );
        // When the API cancelled first it already set the invoice's status; a cancel from elsewhere (CLI) hands it back to the creator.
        if (before.status === 'pending') {
          await m.query(
            `UPDATE invoices SET approval_status = 'approval_required', updated_at = now() WHERE id = $1 AND approval_status = 'pending_approval'`,
            [input.invoiceId],
          );
        }
        await closeOpenTasks(m, input.approvalId, 'cancelled', input.userId);
        await endRun(m, facts.workflowId, 'completed');
      });
    },
  };
}

export function createApprovalActivities(deps: ApprovalActivityDeps): ApprovalActivities {
  const parts = createApprovalSideEffects(deps);
  return { ...parts, ...composeApprovalActivities(parts) };
}

type Granular = Pick<ApprovalStepActivities,
  'markPending' | 'openApprovalTasks' | 'notifyApprovalRequested' | 'recordDecision' | 'completeApproval' | 'notifyApprovalOutcome'>;

/**
 * What the workflow runs at each of its two moments, as one activity each: asking for a step's decision, and settling
 * it. Fewer activities mean fewer workflow activations and history events per approval; each part stays idempotent on
 * its own, so a retry of the whole is as harmless as a retry of a part. Built from the parts, so tests compose mocks.
 */
export function composeApprovalActivities(a: Granular):
  Pick<ApprovalActivities, 'requestApproval' | 'settleApproval' | 'openApprovalStep' | 'settleDecision'> {
  async function openApprovalStep(input: OpenApprovalStepInput): Promise<{ opened: number }> {
    const notice = { approvalId: input.approvalId, companyId: input.companyId, invoiceId: input.invoiceId, invoiceNumber: input.invoiceNumber };
    if (input.first) await a.markPending({ ...notice, deadline: input.deadline });
    return a.openApprovalTasks({ ...notice, step: input.step, approverIds: input.approverIds, dueAt: input.deadline });
  }
  async function settleDecision(input: SettleApprovalInput): Promise<{ applied: boolean }> {
    await a.recordDecision(input.decision);
    return input.completion ? a.completeApproval(input.completion) : { applied: true };
  }
  return {
    /**
     * The run's start (first step only), then the step's tasks and its request to approvers and people to notify. What
     * runs recorded before the `request-notices-in-activity` patch call; newer runs call `openApprovalStep`, then
     * `notifyApprovalRequested` as an activity of its own.
     */
    async requestApproval(input: RequestApprovalInput): Promise<{ opened: number; notified: number }> {
      const notice = { approvalId: input.approvalId, companyId: input.companyId, invoiceId: input.invoiceId, invoiceNumber: input.invoiceNumber };
      const { opened } = await openApprovalStep(input);
      const { notified } = await a.notifyApprovalRequested({
        ...notice, step: input.step, stepCount: input.stepCount, userIds: input.userIds, push: input.push, deadline: input.deadline, message: input.message,
      });
      return { opened, notified };
    },

    /**
     * The step's decision, then, when it ends the approval (`completion`), the outcome and its notices. What runs
     * recorded before the `notify-after-decision` patch call; newer runs call `settleDecision`, then
     * `notifyApprovalOutcome` as an activity of its own, so that the approver does not wait for the notices.
     */
    async settleApproval(input: SettleApprovalInput): Promise<{ applied: boolean }> {
      const result = await settleDecision(input);
      if (input.completion && result.applied) await a.notifyApprovalOutcome(input.completion);
      return result;
    },

    /** The run's start (first step only), then the step's tasks: what must be durable before anyone is asked. */
    openApprovalStep,

    /** The step's decision, then, when it ends the approval (`completion`), the outcome: what must be durable before the decision answers. */
    settleDecision,
  };
}
