import { Context } from '@temporalio/activity';
import { approvalNotices } from '../domain/approval-notices';
import { ApplicationFailure } from '@temporalio/common';
import type { DataSource } from 'typeorm';
import { approvalEffects, type ApprovalNoticeFacts, type ApprovalRecipient, ApprovalsRepository } from '../db/approvals.repository';
import { createDeliveriesRepository } from '../db/deliveries.repository';
import { webhookEvents } from '../db/webhook-events';
import { ApprovalSeatsRepository } from '../db/approval-seats.repository';
import {
  type ApprovalActivities, type ApprovalNotice, type ApprovalSeatActivities, type ApprovalStepActivities, type CancelApprovalInput, type CompleteApprovalInput,
  documentOf, type EscalateApprovalInput, type MarkPendingInput, type MoveApprovalRequestsInput, type NotifyApprovalRequestedInput,
  type OpenApprovalStepInput, type OpenApprovalTasksInput, type RecordDecisionInput, type RemindApproversInput, type SettleApprovalInput,
} from '../contracts';
import type { Mailer } from '../infra/mailer';
import { createOutbox, deliveryPolicies } from '../infra/outbox';
import { ApprovalLinksRepository } from '../db/approval-links.repository';
import { decisionTokenHash, newDecisionToken } from '../infra/decision-tokens';

export interface ApprovalActivityDeps {
  dataSource: DataSource;
  mailer: Mailer;
  /** The API's public address: approval emails link to its decision page. Without it, emails carry no link. */
  publicUrl?: string;
}

/** The document an activity's notice names, as its tasks and notifications link it. */
function linkOf(n: ApprovalNotice): { kind: 'invoice' | 'bill'; id: string } {
  const { kind, id } = documentOf(n);
  return { kind, id };
}

/** What the document's webhook events name: invoice.approval.* for an invoice, bill.approval.* for a bill. */
function documentEventOf(n: ApprovalNotice): { document: { kind: 'invoice' | 'bill'; id: string; number: string } } {
  const { kind, id, number } = documentOf(n);
  return { document: { kind, id, number } };
}

function currentExecution(): { workflowId: string; runId: string } {
  const { workflowExecution } = Context.current().info;
  if (!workflowExecution) throw ApplicationFailure.nonRetryable('approval activities run only inside a workflow', 'NotInWorkflow');
  return { workflowId: workflowExecution.workflowId, runId: workflowExecution.runId };
}

/**
 * The side effects of a document's approval run. Each one is safe to retry: tasks, notifications and deliveries
 * carry keys the database keeps unique, decisions are unique per approval and step, and status changes are
 * guarded by the state they move from.
 */
function createApprovalSideEffects({ dataSource, mailer, publicUrl }: ApprovalActivityDeps): ApprovalStepActivities {
  const approvals = new ApprovalsRepository(dataSource);
  const links = new ApprovalLinksRepository(dataSource);
  const seatsRepo = new ApprovalSeatsRepository(dataSource);

  /**
   * `text` with a link to decide the step from, for an approver: a fresh random token per email (a resent email
   * carries its own, equally valid), stored only as its sha-256, bound to the recipient, the run and the step.
   */
  async function withDecisionLink(n: ApprovalNotice, facts: ApprovalNoticeFacts, step: number, to: ApprovalRecipient, deadline: string, text: string) {
    if (!publicUrl) return text;
    const token = newDecisionToken();
    await links.issue({ tokenHash: decisionTokenHash(token), companyId: n.companyId, approvalId: n.approvalId, step, userId: to.id, expiresAt: deadline });
    return `${text}\n\n${approvalNotices(facts).decisionLink(`${publicUrl.replace(/(?<!\/)\/+$/, '')}/approvals/${token}`)}`;
  }
  const outbox = createOutbox(createDeliveriesRepository(dataSource));

  function approvalNotFound(n: ApprovalNotice): ApplicationFailure {
    return ApplicationFailure.create({
      type: 'ApprovalNotFound', nonRetryable: true,
      message: `approval ${n.approvalId} of ${documentOf(n).kind} ${documentOf(n).id} (company ${n.companyId}) does not exist`,
    });
  }

  /**
   * The invoice's facts for notices, and the given users of the company (ordered by id), in one statement: only the
   * active ones (a deactivated user is told nothing), unless `inactiveToo` (to name a delegator who was deactivated).
   */
  async function factsAndPeople(n: ApprovalNotice, userIds: string[] = [], inactiveToo = false): Promise<ApprovalNoticeFacts & { people: ApprovalRecipient[] }> {
    const facts = await approvals.findNoticeFacts(n, userIds);
    if (!facts) throw approvalNotFound(n);
    return inactiveToo ? facts : { ...facts, people: facts.people.filter((p) => p.active) };
  }

  /** An approval's delivery: its row's company, definition, document and run are the approval's. */
  function approvalDelivery(n: ApprovalNotice, key: string, occurrence: string, channel: 'email' | 'push' | 'task', recipient: string) {
    return { key, occurrence, channel, recipient, owner: { approvalId: n.approvalId }, attempt: Context.current().info.attempt };
  }

  /** Sent until its row is `sent`, with a Message-ID fixed by the key: a resend is the same message to the receiver. */
  async function emailOnce(n: ApprovalNotice, key: string, occurrence: string, to: ApprovalRecipient, subject: string, text: string): Promise<void> {
    await outbox.deliver(approvalDelivery(n, key, occurrence, 'email', to.email), {
      policy: deliveryPolicies.approvalEmail,
      send: async (deliveryKey) => { await mailer.send({ to: to.email, subject, text, deliveryKey }); },
    });
  }

  /** The in-app notification, in the statement of its `sent` row. */
  async function pushOnce(n: ApprovalNotice, key: string, occurrence: string, to: ApprovalRecipient, title: string, body: string): Promise<void> {
    await outbox.deliver(approvalDelivery(n, key, occurrence, 'push', to.id), {
      policy: deliveryPolicies.inbox,
      statement: approvalEffects.notification({ companyId: n.companyId, userId: to.id, title, body, document: linkOf(n), key }),
    });
  }

  /** An open approval task for `assigneeId`, keyed by `key`, with its delivery row in the same statement. */
  async function openTask(
    n: ApprovalNotice, facts: ApprovalNoticeFacts, seat: { assigneeId: string; seatId: string }, step: number, key: string, occurrence: string, dueAt: string,
  ) {
    const task = approvalNotices(facts).task({ step });
    await outbox.deliver(approvalDelivery(n, key, occurrence, 'task', seat.assigneeId), {
      policy: deliveryPolicies.task,
      statement: approvalEffects.openTask({
        companyId: n.companyId, assigneeId: seat.assigneeId, title: task.title, description: task.description, document: linkOf(n),
        approvalId: n.approvalId, definitionId: facts.definitionId, key, dueAt, seatId: seat.seatId,
      }),
    });
  }

  return {
    /**
     * The step's escalation, once: the trail's entry, a task and an email (and push, if on) to whoever holds each
     * escalation user's seat (one, or several at once for a step short of its quorum).
     */
    async escalateApproval(input: EscalateApprovalInput): Promise<{ notified: number }> {
      const seats = input.seats ?? [{ escalateToId: input.escalateToId, holderId: input.holderId }];
      const { people, ...facts } = await factsAndPeople(input, seats.map((s) => s.holderId));
      if (facts.approvalStatus !== 'pending') return { notified: 0 };
      for (const seat of seats) {
        await approvals.recordEscalation({ approvalId: input.approvalId, step: input.step, userId: seat.escalateToId, at: input.escalatedAt, comment: input.reason ?? null });
      }
      await webhookEvents.approvalEscalated(dataSource, {
        companyId: input.companyId, approvalId: input.approvalId, ...documentEventOf(input),
        step: input.step, level: input.level ?? 1, escalatedTo: seats.map((s) => s.escalateToId),
        reason: input.reason ? 'the step\'s seats could no longer reach its quorum' : 'no decision before the step\'s escalateAfterDays',
      });
      const occurrence = `approval-${input.approvalId}-escalated-${input.step}`;
      const { subject, text } = approvalNotices(facts).escalated({ documentId: linkOf(input).id, step: input.step, stepCount: input.stepCount, deadline: input.deadline });
      const byId = new Map(people.map((p) => [p.id, p]));
      let notified = 0;
      for (const seat of seats) {
        const person = byId.get(seat.holderId);
        if (!person) continue;
        notified += 1;
        await openTask(input, facts, { assigneeId: person.id, seatId: seat.escalateToId }, input.step,
          `approval:${input.approvalId}:step:${input.step}:escalated:task:${person.id}`, occurrence, input.deadline);
        const body = await withDecisionLink(input, facts, input.step, person, input.deadline, text);
        await emailOnce(input, `approval:${input.approvalId}:escalated:${input.step}:email:${person.id}`, occurrence, person, subject, body);
        if (input.push) await pushOnce(input, `approval:${input.approvalId}:escalated:${input.step}:push:${person.id}`, occurrence, person, subject, text);
      }
      return { notified };
    },

    /**
     * A delegation started or ended while the step waits: each moved seat's open task is cancelled for whoever held it
     * and opened, with an email (and push, if on), for whoever holds it now; the former holder's links of the step say
     * where it went (superseded), the new holder's earlier ones decide again. Keyed by the run's move number.
     */
    async moveApprovalRequests(input: MoveApprovalRequestsInput): Promise<{ moved: number }> {
      const ids = input.moves.flatMap((m) => [m.seatId, m.toId]);
      const { people, ...facts } = await factsAndPeople(input, ids, true);
      if (facts.approvalStatus !== 'pending') return { moved: 0 };
      const byId = new Map(people.map((p) => [p.id, p]));
      const occurrence = `approval-${input.approvalId}-step-${input.step}-move-${input.move}`;
      for (const move of input.moves) {
        const to = byId.get(move.toId);
        if (move.fromId) await approvals.cancelSeatTask(input.approvalId, move.fromId, move.seatId);
        // The former holder's links of the step say where the request went, unless they still hold another seat of it.
        if (move.fromId && !(input.holderIds ?? []).includes(move.fromId)) await links.supersede(input.approvalId, input.step, move.fromId, move.toId);
        await links.restore(input.approvalId, input.step, move.toId);
        if (!to?.active) continue;
        const base = `approval:${input.approvalId}:step:${input.step}:move:${input.move}:${move.seatId}`;
        await openTask(input, facts, { assigneeId: to.id, seatId: move.seatId }, input.step, `${base}:task:${to.id}`, occurrence, input.deadline);
        // One email (and push) a day per seat's request and holder, however often a delegation is toggled: the key
        // names the day, not the move, and the outbox sends a key once. A holder the request comes back to the same
        // day keeps their earlier email's link, which `restore` made valid again (the new one, never sent, is unknown to all).
        const daily = `approval:${input.approvalId}:step:${input.step}:moved:${move.seatId}:to:${to.id}:day:${new Date().toISOString().slice(0, 10)}`;
        const forName = move.seatId === to.id ? null : (byId.get(move.seatId)?.name ?? null);
        const { subject, text } = approvalNotices(facts).delegated({ documentId: linkOf(input).id, forName, deadline: input.deadline });
        await emailOnce(input, `${daily}:email`, occurrence, to, subject, await withDecisionLink(input, facts, input.step, to, input.deadline, text));
        if (input.push) await pushOnce(input, `${daily}:push`, occurrence, to, subject, text);
      }
      return { moved: input.moves.length };
    },

    /** The run has started: records its run id and the deadline it computed, and opens its run history row. */
    async markPending(input: MarkPendingInput): Promise<void> {
      const { workflowId, runId } = currentExecution();
      if (!await approvals.markPending(input, { workflowId, runId })) throw approvalNotFound(input);
    },

    /**
     * One open approval task per seat of the step (a person holding their own and a delegator's has two), each with its
     * delivery row in the same statement; a seat held by its own approver keeps the key it always had.
     */
    async openApprovalTasks(input: OpenApprovalTasksInput): Promise<{ opened: number }> {
      const { people: approvers, ...facts } = await factsAndPeople(input, input.approverIds);
      // Cancelled by an edit of the invoice before the run got here: nobody is asked to decide it.
      if (facts.approvalStatus !== 'pending') return { opened: 0 };
      const known = new Set(approvers.map((a) => a.id));
      const seats = input.seats.filter((s) => known.has(s.userId));
      for (const seat of seats) {
        const key = `approval:${input.approvalId}:step:${input.step}:task:${seat.userId}${seat.onBehalfOf ? `:for:${seat.onBehalfOf}` : ''}`;
        await openTask(input, facts, { assigneeId: seat.userId, seatId: seat.onBehalfOf ?? seat.userId }, input.step, key,
          `approval-${input.approvalId}-step-${input.step}`, input.dueAt);
      }
      return { opened: seats.length };
    },

    /** Emails (and pushes, if on) that the invoice waits for a decision. */
    async notifyApprovalRequested(input: NotifyApprovalRequestedInput): Promise<{ notified: number }> {
      const { people, ...facts } = await factsAndPeople(input, input.userIds);
      if (facts.approvalStatus !== 'pending') return { notified: 0 };
      const occurrence = `approval-${input.approvalId}-requested-${input.step}`;
      const { subject, text } = input.message
        ?? approvalNotices(facts).requested({ documentId: linkOf(input).id, step: input.step, stepCount: input.stepCount, deadline: input.deadline });
      await webhookEvents.approvalRequested(dataSource, {
        companyId: input.companyId, approvalId: input.approvalId, ...documentEventOf(input),
        step: input.step, stepCount: input.stepCount, deadline: input.deadline, userIds: input.userIds,
      });
      const approverIds = new Set(input.approverIds);
      for (const person of people) {
        const key = `approval:${input.approvalId}:requested:${input.step}:email:${person.id}`;
        const body = approverIds.has(person.id) ? await withDecisionLink(input, facts, input.step, person, input.deadline, text) : text;
        await emailOnce(input, key, occurrence, person, subject, body);
        if (input.push) await pushOnce(input, `approval:${input.approvalId}:requested:${input.step}:push:${person.id}`, occurrence, person, subject, text);
      }
      return { notified: people.length };
    },

    /**
     * The decision of a step (or its timeout), once; the step's open tasks close with it. A lost seat (`seat_lost`)
     * cancels the seat's tasks and links instead; an `escalated` entry without a user says nobody more can be asked.
     */
    async recordDecision(input: RecordDecisionInput): Promise<void> {
      if (input.decision === 'seat_lost' && input.userId) {
        await seatsRepo.recordSeatLost({ approvalId: input.approvalId, step: input.step, userId: input.userId, reason: input.comment, at: input.decidedAt });
      } else if (input.decision === 'escalated' && !input.userId) {
        await seatsRepo.recordNobodyToEscalate({ approvalId: input.approvalId, step: input.step, comment: input.comment, at: input.decidedAt });
      } else {
        await approvals.recordDecision(input);
      }
    },

    /** The reminder before the deadline, once per approval, to the approvers of the pending step. */
    async remindApprovers(input: RemindApproversInput): Promise<{ reminded: number }> {
      const { people, ...facts } = await factsAndPeople(input, input.approverIds);
      if (facts.approvalStatus !== 'pending') return { reminded: 0 };
      const occurrence = `approval-${input.approvalId}-reminder`;
      const { subject, text } = approvalNotices(facts).reminder({ deadline: input.deadline });
      for (const person of people) {
        const body = await withDecisionLink(input, facts, input.step, person, input.deadline, text);
        await emailOnce(input, `approval:${input.approvalId}:reminder:email:${person.id}`, occurrence, person, subject, body);
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
      return { applied: await approvals.completeApproval(input) };
    },

    /** The decision that ends the approval and the outcome, in one statement (see `recordDecision` and `completeApproval`). */
    async recordOutcome(input: Required<SettleApprovalInput>): Promise<{ applied: boolean }> {
      return { applied: await approvals.recordOutcome(input.decision, input.completion) };
    },

    /**
     * Tells the creator and the people to notify of the outcome (email, and push where asked), each once, then closes
     * the run's history row. Sends nothing unless the approval has this outcome (a cancelled approval tells nobody), nor
     * for a submission its document has been submitted again since (a run of an earlier one settling late, at its
     * deadline): the document is the later submission's now; its row is closed.
     */
    async notifyApprovalOutcome(input: CompleteApprovalInput): Promise<{ notified: number }> {
      const { people, ...facts } = await factsAndPeople(input, [input.creatorId, ...input.notifyUserIds]);
      if (facts.approvalStatus !== input.outcome) return { notified: 0 };
      if (!facts.latest) {
        await approvals.endRun(facts.workflowId, 'completed');
        return { notified: 0 };
      }
      await webhookEvents.approvalDecided(dataSource, {
        companyId: input.companyId, approvalId: input.approvalId, ...documentEventOf(input),
        outcome: input.outcome, decision: input.decision, decidedBy: input.decidedBy, comment: input.comment,
      });
      const occurrence = `approval-${input.approvalId}-decided`;
      const { subject, text } = approvalNotices(facts).decided({ outcome: input.outcome, timedOut: input.decision === 'timeout', comment: input.comment });
      for (const person of people) {
        await emailOnce(input, `approval:${input.approvalId}:decided:email:${person.id}`, occurrence, person, subject, text);
        if (input.push || person.id === input.creatorId) {
          await pushOnce(input, `approval:${input.approvalId}:decided:push:${person.id}`, occurrence, person, subject, text);
        }
      }
      await approvals.endRun(facts.workflowId, 'completed');
      return { notified: people.length };
    },

    /** The run ends without an outcome (the document was edited): nothing is sent, open tasks are cancelled. */
    async cancelApproval(input: CancelApprovalInput): Promise<void> {
      if (!await approvals.cancelApproval(input)) throw approvalNotFound(input);
    },
  };
}

export function createApprovalActivities(deps: ApprovalActivityDeps): ApprovalActivities & ApprovalSeatActivities {
  const parts = createApprovalSideEffects(deps);
  return { ...parts, ...composeApprovalActivities(parts), ...createApprovalSeatActivities(deps.dataSource) };
}

/** Who holds the seats of a step that names groups or routes by limit: read when it opens, and again when one may be lost. */
export function createApprovalSeatActivities(dataSource: DataSource): ApprovalSeatActivities {
  const seats = new ApprovalSeatsRepository(dataSource);
  return {
    async resolveApprovalSeats(input) {
      return seats.findSeats(input);
    },
  };
}

/**
 * Whether `recordOutcome`'s single statement writes what `recordDecision` then `completeApproval` would: a decision
 * of the trail's usual kinds that closes the last step (the statement closes every open task and moves to no next step).
 */
function endsInOneStatement(d: SettleApprovalInput['decision']): boolean {
  return d.closesStep !== false && d.nextStep == null && ['approved', 'rejected', 'timeout'].includes(d.decision);
}

type Granular = Pick<ApprovalStepActivities, 'markPending' | 'openApprovalTasks' | 'recordDecision' | 'completeApproval' | 'recordOutcome'>;

/**
 * What must be durable at each of the workflow's two moments, as one local activity each: opening a step before anyone
 * is asked, and settling a decision before it answers (the notices follow as activities of their own). Fewer
 * activities mean fewer workflow activations and history events per approval; each part stays idempotent on its own,
 * so a retry of the whole is as harmless as a retry of a part. Built from the parts, so tests compose mocks.
 */
export function composeApprovalActivities(a: Granular): Pick<ApprovalActivities, 'openApprovalStep' | 'settleDecision'> {
  async function openApprovalStep(input: OpenApprovalStepInput): Promise<{ opened: number }> {
    const notice = { approvalId: input.approvalId, companyId: input.companyId, document: input.document, invoiceId: input.invoiceId, invoiceNumber: input.invoiceNumber };
    if (input.first) await a.markPending({ ...notice, deadline: input.deadline });
    return a.openApprovalTasks({ ...notice, step: input.step, approverIds: input.approverIds, seats: input.seats, dueAt: input.deadline });
  }
  async function settleDecision(input: SettleApprovalInput): Promise<{ applied: boolean }> {
    if (input.completion && a.recordOutcome && endsInOneStatement(input.decision)) {
      return a.recordOutcome({ decision: input.decision, completion: input.completion });
    }
    await a.recordDecision(input.decision);
    return input.completion ? a.completeApproval(input.completion) : { applied: true };
  }
  return {
    /** The run's start (first step only), then the step's tasks: what must be durable before anyone is asked. */
    openApprovalStep,

    /** The step's decision, then, when it ends the approval (`completion`), the outcome: what must be durable before the decision answers. */
    settleDecision,
  };
}
