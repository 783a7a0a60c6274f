import { type DataSource, type EntityManager, In } from 'typeorm';
import {
  type ApprovalDocumentKind, type ApprovalNotice, type ApprovalStepInput, type CancelApprovalInput, type CompleteApprovalInput, type DecisionChannel, documentOf,
  type MarkPendingInput, type RecordDecisionInput,
} from '../contracts';
import type { ClaimedEffect } from './deliveries.repository';
import { Approval, ApprovalDecision, type ApprovalStatus, Bill, Customer, Invoice, Location, User, Vendor, WorkflowDefinition } from './entities';
import { preparedSql, type Sql } from './sql';

/** The approval's approver, creator or person to notify, as its notices address them. */
export interface ApprovalRecipient {
  id: string;
  name: string;
  email: string;
  /** False once the user was deactivated: no notice goes to them. */
  active: boolean;
}

/** What an approval's notices say of the document, and where the approval stands. */
export interface ApprovalNoticeFacts {
  kind: ApprovalDocumentKind;
  number: string;
  amount: string;
  currency: string;
  locale: string;
  timezone: string;
  /** The invoice's customer, or the bill's vendor. */
  customerName: string;
  companyName: string;
  definitionId: string | null;
  workflowId: string;
  approvalStatus: string;
  /** The approval is its document's latest submission (a run of an earlier one may settle late, at its deadline). */
  latest: boolean;
}

/** A document that approvals decide on: an invoice or a bill, by id. */
export interface DocumentRef {
  kind: ApprovalDocumentKind;
  id: string;
}

/** Which approval of which document of which company (an approval activity's notice). */
export type ApprovalRef = Pick<ApprovalNotice, 'approvalId' | 'companyId' | 'document' | 'invoiceId' | 'invoiceNumber'>;

/**
 * Where each kind of document lives: its table, the approvals column naming it, its number as people read it, and the
 * table and column of the party it is with (the invoice's customer, the bill's vendor). Every statement below is
 * written once for both kinds through this map.
 */
const DOCUMENTS: Record<ApprovalDocumentKind, { table: string; column: string; number: (alias: string) => string; party: string; partyColumn: string }> = {
  invoice: { table: 'invoices', column: 'invoice_id', number: (d) => `${d}.number`, party: 'customers', partyColumn: 'customer_id' },
  bill: { table: 'bills', column: 'bill_id', number: (d) => `coalesce(${d}.number, ${d}.id::text)`, party: 'vendors', partyColumn: 'vendor_id' },
};

/** One SQL text per kind, built once (prepared statements are keyed by their text). */
function perKind(build: (kind: ApprovalDocumentKind) => string): Record<ApprovalDocumentKind, string> {
  return { invoice: build('invoice'), bill: build('bill') };
}

/** The document an activity's notice names. */
function documentRef(n: ApprovalRef): DocumentRef {
  const { kind, id } = documentOf(n);
  return { kind, id };
}

/** What VIEW_SQL returns: the invoice, its latest approval, every decision of every submission, and people's names. */
interface ViewRow {
  id: string;
  number: string;
  approvalStatus: ApprovalStatus;
  createdBy: string | null;
  delegated: Record<string, string>;
  latest: (Omit<Approval, 'deadline' | 'createdAt' | 'decidedAt'> & { deadline: string; createdAt: string; decidedAt: string | null }) | null;
  decisions: (Omit<ApprovalDecision, 'decidedAt'> & { submission: number; decidedAt: string })[];
  names: Record<string, string>;
  seats: ApprovalSeatHolder[];
}

/** A seat of a step of the latest submission as the run resolved it: an approval task of the step not cancelled. */
export interface ApprovalSeatHolder {
  /** From 0. */
  step: number;
  seatId: string;
  holderId: string;
  /** Whether the task is still open (its holder may decide now). */
  open: boolean;
}

/** The approval view in one round trip (it answers every submit and decision, so it is on the hot path). */
const VIEW_SQL = perKind((kind) => {
  const { table, column, number } = DOCUMENTS[kind];
  return `
  SELECT i.id, ${number('i')} AS number, i.approval_status AS "approvalStatus", i.created_by AS "createdBy",
    (SELECT coalesce(json_object_agg(g.user_id, g.delegate_id), '{}') FROM delegations g
      WHERE g.company_id = i.company_id AND g.starts_at <= now() AND g.ends_at > now()) AS delegated,
    (SELECT row_to_json(a) FROM (
       SELECT id, company_id AS "companyId", record_type AS "recordType", invoice_id AS "invoiceId", bill_id AS "billId", submission,
              definition_id AS "definitionId", definition_version AS "definitionVersion",
              workflow_id AS "workflowId", run_id AS "runId", status, steps, current_step AS "currentStep",
              allow_admins AS "allowAdmins", deadline, submitted_by AS "submittedBy", created_at AS "createdAt", decided_at AS "decidedAt"
         FROM approvals WHERE ${column} = i.id ORDER BY submission DESC LIMIT 1) a) AS latest,
    (SELECT coalesce(json_agg(d ORDER BY d.submission, d.step, d."decidedAt", d.id), '[]') FROM (
       SELECT d.id, d.approval_id AS "approvalId", a.submission, d.step, d.decision, d.user_id AS "userId", d.comment, d.decided_at AS "decidedAt",
              d.closes_step AS "closesStep", d.on_behalf_of AS "onBehalfOf", d.via
         FROM approval_decisions d JOIN approvals a ON a.id = d.approval_id WHERE a.${column} = i.id) d) AS decisions,
    (SELECT coalesce(json_agg(x ORDER BY x.step, x."seatId", x."holderId"), '[]') FROM (
       SELECT DISTINCT split_part(t.idempotency_key, ':', 4)::int AS step, t.approval_seat_id AS "seatId", t.assignee_id AS "holderId",
              t.status = 'open' AS open
         FROM tasks t
        WHERE t.approval_id = (SELECT id FROM approvals WHERE ${column} = i.id ORDER BY submission DESC LIMIT 1)
          AND t.approval_seat_id IS NOT NULL AND t.status <> 'cancelled' AND t.idempotency_key ~ '^approval:[^:]+:step:[0-9]+:') x) AS seats,
    (SELECT coalesce(json_object_agg(u.id, u.name), '{}') FROM users u
      WHERE u.company_id = i.company_id AND u.id IN (
        SELECT a.submitted_by FROM approvals a WHERE a.${column} = i.id
        UNION SELECT d.user_id FROM approval_decisions d JOIN approvals a ON a.id = d.approval_id WHERE a.${column} = i.id
        UNION SELECT d.on_behalf_of FROM approval_decisions d JOIN approvals a ON a.id = d.approval_id WHERE a.${column} = i.id
        UNION SELECT t.approval_seat_id FROM tasks t JOIN approvals a ON a.id = t.approval_id WHERE a.${column} = i.id
        UNION SELECT t.assignee_id FROM tasks t JOIN approvals a ON a.id = t.approval_id WHERE a.${column} = i.id
        UNION SELECT g.delegate_id FROM delegations g WHERE g.company_id = i.company_id AND g.starts_at <= now() AND g.ends_at > now()
        UNION SELECT (s.step ->> 'escalateToId')::uuid
                FROM approvals a CROSS JOIN LATERAL jsonb_array_elements(a.steps) AS s(step) WHERE a.${column} = i.id AND s.step ? 'escalateToId'
        UNION SELECT (jsonb_array_elements_text(s.step -> 'approverIds'))::uuid
                FROM approvals a CROSS JOIN LATERAL jsonb_array_elements(a.steps) AS s(step) WHERE a.${column} = i.id)) AS names
    FROM ${table} i WHERE i.id = $1 AND i.company_id = $2`;
});

/** A document's approvals as its view shows them: the latest submission, every decision, the names of the people in them. */
export interface ApprovalHistory {
  /** The invoice or the bill (its number, or its id when it has none; its creator, null for a bill recorded before bills had one). */
  invoice: Pick<Invoice, 'id' | 'number' | 'approvalStatus'> & { createdBy: string | null; kind: ApprovalDocumentKind };
  /** Delegations in force now in the company, delegator → delegate. */
  delegated: Map<string, string>;
  latest: Approval | null;
  decisions: (ApprovalDecision & { submission: number })[];
  names: Map<string, string>;
  /** The seats of the latest submission's steps that the run resolved (from its approval tasks). */
  seats: ApprovalSeatHolder[];
}

/** What a submission starts from: the invoice, the definition it was saved under (if still active), its customer. */
export interface SubmissionFacts {
  invoice: Invoice;
  savedDefinition: WorkflowDefinition | null;
  customer: Customer | null;
}

/** What a bill's submission starts from: the bill, the definition it was saved under (if still active), its vendor. */
export interface BillSubmissionFacts {
  bill: Bill;
  savedDefinition: WorkflowDefinition | null;
  vendor: Vendor | null;
}

/**
 * The statement that closes an approval's open tasks (the approval id is `$1`), as SQL text for statements of their
 * own and for steps of larger ones: `status` and `by` are SQL expressions, `when` an extra condition.
 */
function closeTasksSql(status: string, by: string, when?: string): string {
  return `UPDATE tasks SET status = ${status}, completed_at = now(), completed_by = ${by}
           WHERE approval_id = $1 AND status = 'open'${when ? ` AND ${when}` : ''}`;
}

/** An open task's condition: it is for seat `seat` (an SQL expression), or it was opened before tasks had a seat. */
const SEAT_TASK_SQL = (seat: string) => `(approval_seat_id = ${seat} OR approval_seat_id IS NULL)`;

/**
 * Every statement that changes a document's approval takes the document's row lock first (as the API's edit and submit
 * do), then the approval's: one lock order, so that an edit and a decision wait for each other instead of deadlocking.
 * As the first CTE of a statement (the document id is `$n`), read by the statement's first write with `AND EXISTS
 * (SELECT 1 FROM document_lock)` so that the lock is taken before that write locks the approval.
 */
function documentLockSql(kind: ApprovalDocumentKind, n: number): string {
  return `document_lock AS (SELECT id FROM ${DOCUMENTS[kind].table} WHERE id = $${n} FOR UPDATE)`;
}

const NOTICE_FACTS_SQL = perKind((kind) => {
  const { table, column, number, party, partyColumn } = DOCUMENTS[kind];
  return `SELECT a.record_type AS kind, ${number('i')} AS number, i.amount::text AS amount, co.currency, co.locale, co.timezone,
              cu.name AS "customerName", co.name AS "companyName",
              a.definition_id AS "definitionId", a.workflow_id AS "workflowId", a.status AS "approvalStatus", i.approval_submissions = a.submission AS latest,
              (SELECT coalesce(json_agg(json_build_object('id', u.id, 'name', u.name, 'email', u.email, 'active', u.status = 'active') ORDER BY u.id), '[]')
                 FROM users u WHERE u.company_id = a.company_id AND u.id = ANY($4::uuid[])) AS people
         FROM approvals a
         JOIN ${table} i ON i.id = a.${column}
         JOIN ${party} cu ON cu.id = i.${partyColumn}
         JOIN companies co ON co.id = i.company_id
        WHERE a.id = $1 AND a.${column} = $2 AND a.company_id = $3`;
});

/** The document's facts for notices, and the given users of the company (ordered by id), in one statement. */
async function findNoticeFacts(
  db: Sql, ref: ApprovalRef, userIds: string[],
): Promise<(ApprovalNoticeFacts & { people: ApprovalRecipient[] }) | undefined> {
  const document = documentRef(ref);
  const rows = await db.query<ApprovalNoticeFacts & { people: ApprovalRecipient[] }>(
    NOTICE_FACTS_SQL[document.kind], [ref.approvalId, document.id, ref.companyId, [...new Set(userIds)]]);
  return rows[0];
}

/** The run has started (the document id is `$2`): one statement, so all or nothing without a transaction's extra round trips. */
const MARK_PENDING_SQL = perKind((kind) => {
  const { table, column } = DOCUMENTS[kind];
  return `WITH ${documentLockSql(kind, 2)},
       approval AS (
         UPDATE approvals SET run_id = $4, deadline = $5
          WHERE id = $1 AND ${column} = $2 AND company_id = $3 AND status = 'pending' AND EXISTS (SELECT 1 FROM document_lock) RETURNING id),
       document AS (
         UPDATE ${table} SET approval_status = 'pending_approval', updated_at = now()
          WHERE id = $2 AND approval_status <> 'pending_approval' AND EXISTS (SELECT 1 FROM approval)),
       run AS (
         INSERT INTO workflow_runs (company_id, definition_id, kind, trigger, temporal_workflow_id, temporal_run_id, matched)
         SELECT a.company_id, a.definition_id, 'approval', 'submit-for-approval', $6, $4, 1
           FROM approvals a WHERE a.id = $1 AND a.${column} = $2 AND a.company_id = $3
         ON CONFLICT (temporal_workflow_id, temporal_run_id) DO NOTHING)
       SELECT EXISTS (SELECT 1 FROM approvals WHERE id = $1 AND ${column} = $2 AND company_id = $3) AS found`;
});

/** A step's decision (the document id is `$8`): one statement, so the decision, the next step and the closed tasks go together or not at all. */
const RECORD_DECISION_SQL = perKind((kind) => `WITH ${documentLockSql(kind, 8)},
       decision AS (
         INSERT INTO approval_decisions (approval_id, step, decision, user_id, comment, decided_at, closes_step, on_behalf_of, via)
         SELECT $1, $2, $3, $4, $5, $6, $9, $10, $11 WHERE EXISTS (SELECT 1 FROM document_lock) ON CONFLICT DO NOTHING),
       next_step AS (
         UPDATE approvals SET current_step = $7 WHERE id = $1 AND status = 'pending' AND $9 AND $7::int IS NOT NULL AND EXISTS (SELECT 1 FROM document_lock))
       ${closeTasksSql("'completed'", '$4', `EXISTS (SELECT 1 FROM document_lock) AND ($9 OR (assignee_id = $4 AND ${SEAT_TASK_SQL('coalesce($10::uuid, $4::uuid)')}))`)}`);

/**
 * The steps of a statement that move the approval (`$1`) to its outcome once the document is locked: `moved` (from
 * pending only), `outcome` (`applied`: moved now, or it had that outcome already: a retry), `document` (its status
 * follows when applied, and only while the approval is the document's latest submission: a run of an earlier
 * submission told its decision late never decides the one pending now). `outcome` and `document` are the statement's
 * parameters for the outcome and the document id.
 */
function outcomeSql(kind: ApprovalDocumentKind, p: { outcome: string; document: string }): string {
  return `moved AS (
         UPDATE approvals SET status = ${p.outcome}, decided_at = now() WHERE id = $1 AND status = 'pending' AND EXISTS (SELECT 1 FROM document_lock) RETURNING id),
       outcome AS (
         SELECT EXISTS (SELECT 1 FROM moved) OR EXISTS (SELECT 1 FROM approvals WHERE id = $1 AND status = ${p.outcome}) AS applied),
       document AS (
         UPDATE ${DOCUMENTS[kind].table} SET approval_status = ${p.outcome}, updated_at = now()
          WHERE id = ${p.document} AND approval_status = 'pending_approval' AND (SELECT applied FROM outcome)
            AND approval_submissions = (SELECT submission FROM approvals WHERE id = $1))`;
}

/**
 * The outcome (the document id is `$3`), one statement, all or nothing: the approval moves from pending to the outcome
 * (or already had it: a retry), and only then the document's status and the open tasks follow. A cancelled approval
 * changes nothing.
 */
const COMPLETE_APPROVAL_SQL = perKind((kind) => `WITH ${documentLockSql(kind, 3)},
       ${outcomeSql(kind, { outcome: '$2', document: '$3' })},
       tasks AS (${closeTasksSql("'completed'", '$4', '(SELECT applied FROM outcome)')})
       SELECT applied FROM outcome`);

/**
 * The decision that ends an approval and the outcome (the document id is `$7`, the outcome `$11`): what
 * RECORD_DECISION_SQL and COMPLETE_APPROVAL_SQL do one after the other, as one statement (one lock of the document,
 * one commit). The decision and the closed tasks are written whatever the outcome; the approval and the document
 * move only from pending, and a cancelled approval changes nothing else.
 */
const RECORD_OUTCOME_SQL = perKind((kind) => `WITH ${documentLockSql(kind, 7)},
       decision AS (
         INSERT INTO approval_decisions (approval_id, step, decision, user_id, comment, decided_at, closes_step, on_behalf_of, via)
         SELECT $1, $2, $3, $4, $5, $6, $8, $9, $10 WHERE EXISTS (SELECT 1 FROM document_lock) ON CONFLICT DO NOTHING),
       ${outcomeSql(kind, { outcome: '$11', document: '$7' })},
       tasks AS (${closeTasksSql("'completed'", '$4', `EXISTS (SELECT 1 FROM document_lock) AND ($8 OR (assignee_id = $4 AND ${SEAT_TASK_SQL('coalesce($9::uuid, $4::uuid)')}))`)})
       SELECT applied FROM outcome`);

const RECORD_SUBMISSION_SQL = perKind((kind) => {
  const { table, column } = DOCUMENTS[kind];
  return `WITH document AS (
         UPDATE ${table} SET approval_status = 'pending_approval', approval_submissions = $3, approval_definition_id = $4, updated_at = now()
          WHERE id = $1 AND company_id = $2 AND approval_submissions = $3 - 1 AND approval_status = $5
         RETURNING id)
       INSERT INTO approvals (company_id, record_type, ${column}, submission, definition_id, definition_version, workflow_id, status, steps, current_step,
                              allow_admins, deadline, submitted_by)
       SELECT $2, '${kind}', id, $3, $4, $11, $6, 'pending', $7::jsonb, 0, $8, $9, $10 FROM document
       RETURNING id, created_at AS "createdAt"`;
});

/** The decision that ended an approval, as Postgres recorded it: what a run that never heard of it is told again. */
export interface RecordedDecision extends DecisionCursor {
  workflowId: string;
  /** The step it closed, from 0. */
  step: number;
  decision: 'approved' | 'rejected';
  userId: string;
  /** The decider is an admin of the company (a definition may let admins decide). */
  isAdmin: boolean;
  comment: string | null;
  via: DecisionChannel | null;
  decidedAt: Date;
}

/** A position among decided approvals: after every one decided before `cursor`, and those decided at it up to `approvalId`. */
export interface DecisionCursor {
  /** A `decided_at` in UTC to the microsecond (a Date drops the microseconds). */
  cursor: string;
  approvalId: string;
}

/** A timestamp expression as a cursor's text: UTC to the microsecond (a Date drops the microseconds). */
const cursorText = (timestamp: string) => `to_char((${timestamp}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
/** The ids before and after every approval's, for cursors that take all, or none, of the approvals decided at a time. */
const FIRST_ID = '00000000-0000-0000-0000-000000000000';
const LAST_ID = 'ffffffff-ffff-ffff-ffff-ffffffffffff';

/**
 * By the database's clock: `upTo`, the cursor after every approval decided at or before `$1` seconds ago; `rereadFrom`,
 * the cursor before every approval decided `$2` seconds earlier than that (where a look after one that read up to
 * `upTo` starts again: a decision's `decided_at` is its statement's start, and it may become visible only later).
 */
const DECIDED_BEFORE_SQL = `SELECT ${cursorText('now() - make_interval(secs => $1)')} AS up_to,
              ${cursorText('now() - make_interval(secs => $1 + $2)')} AS reread_from`;

/**
 * Decided approvals whose run has not ended (its history row still `running`), decided after the cursor (`$3`, `$4`)
 * and at or before `$1`, and less than `$2` seconds ago, still their document's latest submission with that outcome
 * (a document submitted again since is left to its new run, one edited since as it is), oldest first. A run that
 * heard its decision ends within seconds of it (its outcome notice ends the row), so what is left after a while is a
 * run still waiting, or a notice still retrying. Read through the decided approvals' index, window by window.
 */
const UNENDED_DECISIONS_SQL = `SELECT a.id AS "approvalId", a.workflow_id AS "workflowId", d.step, d.decision, d.user_id AS "userId",
              u.role = 'admin' AS "isAdmin", d.comment, d.via, a.decided_at AS "decidedAt",
              ${cursorText('a.decided_at')} AS cursor
         FROM approvals a
         JOIN workflow_runs r ON r.temporal_workflow_id = a.workflow_id AND r.status = 'running'
         LEFT JOIN invoices i ON i.id = a.invoice_id
         LEFT JOIN bills b ON b.id = a.bill_id
         JOIN LATERAL (SELECT step, decision, user_id, comment, via FROM approval_decisions
                        WHERE approval_id = a.id AND closes_step ORDER BY step DESC LIMIT 1) d ON d.decision = a.status
         JOIN users u ON u.id = d.user_id
        WHERE a.status IN ('approved', 'rejected')
          AND a.decided_at <= $1::timestamptz AND a.decided_at > now() - make_interval(secs => $2)
          AND (a.decided_at, a.id) > ($3::timestamptz, $4::uuid)
          AND coalesce(i.approval_submissions, b.approval_submissions) = a.submission
          AND coalesce(i.approval_status, b.approval_status) = a.status
        ORDER BY a.decided_at, a.id LIMIT $5`;

/** A document's pending approval as a decision needs it: its run, its creator, and the step that waits. */
export interface PendingDecision {
  workflowId: string;
  /**
   * The run has not recorded itself (its first workflow task runs `markPending`) though the submission is older than
   * the caller's `unstartedAfterMs`: the run may never have started.
   */
  runOverdue: boolean;
  number: string;
  createdBy: string | null;
  amount: string;
  currentStep: number;
  pendingStep: ApprovalStepInput | null;
}

const PENDING_DECISION_SQL = perKind((kind) => {
  const { table, column, number } = DOCUMENTS[kind];
  return `SELECT a.workflow_id AS "workflowId", (a.run_id IS NULL AND a.created_at < now() - make_interval(secs => $3)) AS "runOverdue", ${number('i')} AS number, i.created_by AS "createdBy", i.amount::text AS amount,
              a.current_step AS "currentStep", a.steps -> a.current_step AS "pendingStep"
         FROM approvals a JOIN ${table} i ON i.id = a.${column}
        WHERE a.${column} = $1 AND a.company_id = $2 AND a.status = 'pending' AND i.approval_status = 'pending_approval'
        ORDER BY a.submission DESC LIMIT 1`;
});

async function endRun(db: Sql, workflowId: string, status: 'completed' | 'failed'): Promise<void> {
  await db.query(
    `UPDATE workflow_runs r SET status = $2, ended_at = now(),
            delivered = (SELECT count(*) FROM deliveries d WHERE d.run_id = r.id AND d.status = 'sent'),
            failed = (SELECT count(*) FROM deliveries d WHERE d.run_id = r.id AND d.status = 'failed')
      WHERE r.temporal_workflow_id = $1 AND r.status = 'running'`,
    [workflowId, status],
  );
}

/**
 * Approvals: the rows, their decisions, their tasks, the invoice's `approvalStatus` and the run's history row, as the
 * approval run (activities) and the API (submit, decide, the view, an edit's cancellation) read and change them. The
 * hot statements are prepared; the run's are each one statement (all or nothing without a transaction's extra round
 * trips) except the cancellation.
 */
export class ApprovalsRepository {
  private readonly db: Sql;

  constructor(private readonly dataSource: DataSource) {
    this.db = preparedSql(dataSource);
  }

  /** The invoice's facts for the approval's notices, with the given users of the company; undefined when no such approval. */
  findNoticeFacts(ref: ApprovalRef, userIds: string[] = []): Promise<(ApprovalNoticeFacts & { people: ApprovalRecipient[] }) | undefined> {
    return findNoticeFacts(this.db, ref, userIds);
  }

  /**
   * The run has started: its run id and deadline on the approval, the invoice `pending_approval`, the run's history
   * row opened. False when there is no such approval.
   */
  async markPending(input: MarkPendingInput, run: { workflowId: string; runId: string }): Promise<boolean> {
    const document = documentRef(input);
    const [row] = await this.db.query<{ found: boolean }>(
      MARK_PENDING_SQL[document.kind], [input.approvalId, document.id, input.companyId, run.runId, input.deadline, run.workflowId]);
    return row.found;
  }

  /**
   * The decision of a step (or its timeout), once, with the next step and the step's open tasks closed; an approval
   * short of the quorum (`closesStep: false`) closes only its approver's task for the seat it approved.
   */
  async recordDecision(input: RecordDecisionInput): Promise<void> {
    const document = documentRef(input);
    await this.db.query(RECORD_DECISION_SQL[document.kind],
      [input.approvalId, input.step, input.decision, input.userId, input.comment, input.decidedAt, input.nextStep, document.id,
        input.closesStep ?? true, input.onBehalfOf ?? null, input.via ?? null],
    );
  }

  /** The step's `escalated` entry, once; `comment` says why when it is not the step's `escalateAfterDays`. */
  async recordEscalation(input: { approvalId: string; step: number; userId: string; at: string; comment?: string | null }): Promise<void> {
    await this.db.query(
      `INSERT INTO approval_decisions (approval_id, step, decision, user_id, decided_at, closes_step, comment)
       VALUES ($1, $2, 'escalated', $3, $4, false, $5) ON CONFLICT DO NOTHING`,
      [input.approvalId, input.step, input.userId, input.at, input.comment ?? null],
    );
  }

  /**
   * The open task of the approval that `assigneeId` holds for `seatId`, cancelled: a delegation moved that seat to
   * someone else. Their tasks for other seats (their own, another delegator's) stay; tasks opened before tasks had a
   * seat are all the person's.
   */
  async cancelSeatTask(approvalId: string, assigneeId: string, seatId: string): Promise<void> {
    await this.db.query(closeTasksSql("'cancelled'", 'NULL', `assignee_id = $2 AND ${SEAT_TASK_SQL('$3')}`), [approvalId, assigneeId, seatId]);
  }

  /**
   * The outcome: approval row, invoice `approvalStatus`, open tasks. Whether the approval has the outcome now (false
   * when it was cancelled first, in which case nothing changes).
   */
  async completeApproval(input: CompleteApprovalInput): Promise<boolean> {
    const document = documentRef(input);
    const [{ applied }] = await this.db.query<{ applied: boolean }>(
      COMPLETE_APPROVAL_SQL[document.kind], [input.approvalId, input.outcome, document.id, input.decidedBy]);
    return applied;
  }

  /** The decision that ends the approval and its outcome, in one statement: whether the approval has the outcome now. */
  async recordOutcome(decision: RecordDecisionInput, completion: CompleteApprovalInput): Promise<boolean> {
    const document = documentRef(decision);
    const [{ applied }] = await this.db.query<{ applied: boolean }>(RECORD_OUTCOME_SQL[document.kind],
      [decision.approvalId, decision.step, decision.decision, decision.userId, decision.comment, decision.decidedAt, document.id,
        decision.closesStep ?? true, decision.onBehalfOf ?? null, decision.via ?? null, completion.outcome]);
    return applied;
  }

  /** Closes the run's history row (a `running` one) with the counts of its deliveries. */
  endRun(workflowId: string, status: 'completed' | 'failed'): Promise<void> {
    return endRun(this.db, workflowId, status);
  }

  /**
   * The run ends without an outcome, in one transaction: the approval `cancelled` with its decision, the invoice
   * handed back to its creator unless the API cancelled first, the open tasks cancelled, the run's row closed. False
   * (and nothing changed) when there is no such approval.
   */
  cancelApproval(input: CancelApprovalInput): Promise<boolean> {
    const document = documentRef(input);
    const { table } = DOCUMENTS[document.kind];
    return this.dataSource.transaction(async (m) => {
      await m.query(`SELECT id FROM ${table} WHERE id = $1 FOR UPDATE`, [document.id]);
      const facts = await findNoticeFacts(m, input, []);
      if (!facts) return false;
      const [before]: { status: string }[] = await m.query('SELECT status FROM approvals WHERE id = $1 FOR UPDATE', [input.approvalId]);
      await m.query(`UPDATE approvals SET status = 'cancelled', decided_at = now() WHERE id = $1 AND status = 'pending'`, [input.approvalId]);
      await m.query(
        `INSERT INTO approval_decisions (approval_id, step, decision, user_id, comment, decided_at)
         VALUES ($1, $2, 'cancelled', $3, $4, $5) ON CONFLICT DO NOTHING`,
        [input.approvalId, input.step, input.userId, input.comment, input.decidedAt],
      );
      // When the API cancelled first it already set the document's status; a cancel from elsewhere (CLI) hands it back to the creator.
      if (before.status === 'pending') {
        await m.query(
          `UPDATE ${table} SET approval_status = 'approval_required', updated_at = now() WHERE id = $1 AND approval_status = 'pending_approval'`,
          [document.id],
        );
      }
      await m.query(closeTasksSql('$2', '$3'), [input.approvalId, 'cancelled', input.userId]);
      await endRun(m, facts.workflowId, 'completed');
      return true;
    });
  }

  /** The approval history of a document of the company, read in one prepared statement; undefined when there is no such document. */
  async findHistory(document: DocumentRef, companyId: string): Promise<ApprovalHistory | undefined> {
    const [row] = await this.db.query<ViewRow>(VIEW_SQL[document.kind], [document.id, companyId]);
    if (!row) return undefined;
    const latest: Approval | null = row.latest && Object.assign(new Approval(), row.latest, {
      deadline: new Date(row.latest.deadline), createdAt: new Date(row.latest.createdAt),
      decidedAt: row.latest.decidedAt ? new Date(row.latest.decidedAt) : null,
    });
    const decisions = row.decisions.map((d) => Object.assign(new ApprovalDecision(), d, { decidedAt: new Date(d.decidedAt) }));
    return { invoice: { ...row, kind: document.kind }, latest, decisions, names: new Map(Object.entries(row.names)), delegated: new Map(Object.entries(row.delegated)), seats: row.seats };
  }

  /**
   * What a submission starts from, in one statement: the invoice of the company (undefined otherwise), the definition
   * it was saved under if that is still an active definition of `templateKey` (the invoice approval), and its customer.
   */
  async findSubmissionFacts(invoiceId: string, companyId: string, templateKey: string): Promise<SubmissionFacts | undefined> {
    const found = await this.dataSource.getRepository(Invoice).createQueryBuilder('i')
      .leftJoinAndMapOne('i.savedDefinition', WorkflowDefinition, 'd',
        'd.id = i.approvalDefinitionId AND d.companyId = i.companyId AND d.templateKey = :template AND d.status = :active',
        { template: templateKey, active: 'active' })
      .leftJoinAndMapOne('i.customer', Customer, 'c', 'c.id = i.customerId')
      .where('i.id = :id AND i.companyId = :companyId', { id: invoiceId, companyId })
      .getOne() as (Invoice & { savedDefinition?: WorkflowDefinition; customer?: Customer }) | null;
    if (!found) return undefined;
    const { savedDefinition, customer, ...invoice } = found;
    return { invoice: Object.assign(new Invoice(), invoice), savedDefinition: savedDefinition ?? null, customer: customer ?? null };
  }

  /**
   * What a bill's submission starts from, in one statement: the bill of the company (undefined otherwise), the
   * definition it was saved under if that is still an active definition of `templateKey` (the bill approval), its vendor.
   */
  async findBillSubmissionFacts(billId: string, companyId: string, templateKey: string): Promise<BillSubmissionFacts | undefined> {
    const found = await this.dataSource.getRepository(Bill).createQueryBuilder('b')
      .leftJoinAndMapOne('b.savedDefinition', WorkflowDefinition, 'd',
        'd.id = b.approvalDefinitionId AND d.companyId = b.companyId AND d.templateKey = :template AND d.status = :active',
        { template: templateKey, active: 'active' })
      .leftJoinAndMapOne('b.vendor', Vendor, 'v', 'v.id = b.vendorId')
      .where('b.id = :id AND b.companyId = :companyId', { id: billId, companyId })
      .getOne() as (Bill & { savedDefinition?: WorkflowDefinition; vendor?: Vendor }) | null;
    if (!found) return undefined;
    const { savedDefinition, vendor, ...bill } = found;
    return { bill: Object.assign(new Bill(), bill), savedDefinition: savedDefinition ?? null, vendor: vendor ?? null };
  }

  /** Nothing asks the document for approval any more: `not_required`, if it is still in one of `from`. */
  async markNotRequired(document: DocumentRef, from: ApprovalStatus[]): Promise<void> {
    await this.dataSource.getRepository(document.kind === 'bill' ? Bill : Invoice).update(
      { id: document.id, approvalStatus: In(from) },
      { approvalStatus: 'not_required', approvalDefinitionId: null },
    );
  }

  /**
   * The document becomes `pending_approval` and the submission (of `approval.recordType`, with its definition version)
   * is recorded, in one statement. It applies only if the document is still as it was read (status `from` and one
   * submission fewer); undefined otherwise.
   */
  async recordSubmission(approval: Approval, from: ApprovalStatus): Promise<{ id: string; createdAt: Date } | undefined> {
    const kind = approval.recordType;
    const [row] = await this.db.query<{ id: string; createdAt: Date }>(RECORD_SUBMISSION_SQL[kind],
      [kind === 'bill' ? approval.billId : approval.invoiceId, approval.companyId, approval.submission, approval.definitionId, from, approval.workflowId,
        JSON.stringify(approval.steps), approval.allowAdmins, approval.deadline, approval.submittedBy, approval.definitionVersion],
    );
    return row;
  }

  /** The latest pending approval of a document of the company that is pending approval, with the document's number and creator. */
  async findPendingDecision(document: DocumentRef, companyId: string, unstartedAfterMs: number): Promise<PendingDecision | undefined> {
    const [pending] = await this.db.query<PendingDecision>(
      PENDING_DECISION_SQL[document.kind], [document.id, companyId, unstartedAfterMs / 1000]);
    return pending;
  }

  /**
   * The document's pending approval whose run has not recorded itself (`run_id` unset) and that was recorded more than
   * `olderThanMs` ago: a submission whose run may never have started.
   */
  async findUnstartedApproval(document: DocumentRef, companyId: string, olderThanMs: number): Promise<Approval | null> {
    return this.dataSource.getRepository(Approval).createQueryBuilder('a')
      .where(`a.${DOCUMENTS[document.kind].column} = :id AND a.companyId = :companyId AND a.status = 'pending' AND a.runId IS NULL`, { id: document.id, companyId })
      .andWhere(`a.createdAt < now() - make_interval(secs => :seconds)`, { seconds: olderThanMs / 1000 })
      .orderBy('a.submission', 'DESC')
      .getOne();
  }

  /** Where a look reads up to (`ageMs` ago), and where the next one starts (`overlapMs` before that), by the database's clock. */
  async decidedBefore(ageMs: number, overlapMs: number): Promise<{ upTo: DecisionCursor; rereadFrom: DecisionCursor }> {
    const [row] = await this.db.query<{ up_to: string; reread_from: string }>(DECIDED_BEFORE_SQL, [ageMs / 1000, overlapMs / 1000]);
    return {
      upTo: { cursor: row.up_to, approvalId: LAST_ID },
      rereadFrom: { cursor: row.reread_from, approvalId: FIRST_ID },
    };
  }

  /**
   * Approvals decided after `after` (none: the start of `maxAgeMs` ago) and at or before `upTo`'s time, whose run has
   * not ended, with the decision that ended them: a page of `limit`, oldest first (the next page is after its last row).
   */
  findUnendedDecisions(
    { upTo, maxAgeMs, limit, after }: { upTo: DecisionCursor; maxAgeMs: number; limit: number; after?: DecisionCursor },
  ): Promise<RecordedDecision[]> {
    return this.db.query<RecordedDecision>(UNENDED_DECISIONS_SQL, [
      upTo.cursor, maxAgeMs / 1000, after?.cursor ?? '-infinity', after?.approvalId ?? FIRST_ID, limit]);
  }

  /** Which of `userIds` are active users of the company: the people an approval may ask, or a delegation name. */
  async findActiveCompanyUserIds(companyId: string, userIds: string[]): Promise<Set<string>> {
    const rows = await this.db.query<{ id: string }>(
      `SELECT id FROM users WHERE company_id = $1 AND id = ANY($2::uuid[]) AND status = 'active'`, [companyId, userIds]);
    return new Set(rows.map((u) => u.id));
  }

  /**
   * The company's pending approvals whose undecided steps (the pending one and later ones) name `userId` as approver
   * or escalation user, with their document, in the transaction of `m`: the seats a deactivation must hand over.
   * `invoiceId` and `invoiceNumber` are the document's (a bill's when `kind` is bill).
   */
  async findPendingNaming(m: Pick<EntityManager, 'query'>, companyId: string, userId: string):
    Promise<{ approvalId: string; workflowId: string; kind: ApprovalDocumentKind; invoiceId: string; invoiceNumber: string; createdBy: string | null; deadline: Date }[]> {
    return m.query(
      `SELECT a.id AS "approvalId", a.workflow_id AS "workflowId", a.record_type AS kind, coalesce(i.id, b.id) AS "invoiceId",
              coalesce(i.number, b.number, b.id::text) AS "invoiceNumber", coalesce(i.created_by, b.created_by) AS "createdBy", a.deadline
         FROM approvals a LEFT JOIN invoices i ON i.id = a.invoice_id LEFT JOIN bills b ON b.id = a.bill_id
        WHERE a.company_id = $1 AND a.status = 'pending' AND EXISTS (
          SELECT 1 FROM jsonb_array_elements(a.steps) WITH ORDINALITY AS s(step, n)
           WHERE s.n > a.current_step AND (s.step->'approverIds' ? $2 OR s.step->>'escalateToId' = $2))
        ORDER BY a.created_at, a.id`, [companyId, userId]);
  }

  /** The document's location and creator, for the variables of the approval request's message. */
  async findRequestParties(document: { locationId: string | null; createdBy: string | null }): Promise<{ location: Location | null; createdBy: User | null }> {
    const [location, createdBy] = await Promise.all([
      document.locationId ? this.dataSource.getRepository(Location).findOneBy({ id: document.locationId }) : null,
      document.createdBy ? this.dataSource.getRepository(User).findOneBy({ id: document.createdBy }) : null,
    ]);
    return { location, createdBy };
  }

  /** A submission whose run could not start: the approval `cancelled`, the document back to `previousStatus`. */
  async undoSubmission(approval: Pick<Approval, 'id' | 'recordType' | 'invoiceId' | 'billId'>, previousStatus: ApprovalStatus): Promise<void> {
    const kind = approval.recordType ?? 'invoice';
    const id = kind === 'bill' ? approval.billId : approval.invoiceId;
    await this.dataSource.transaction(async (m) => {
      // The document's row lock first, then the approval's, as on every path that changes both.
      await m.query(`SELECT id FROM ${DOCUMENTS[kind].table} WHERE id = $1 FOR UPDATE`, [id]);
      await m.getRepository(Approval).update({ id: approval.id, status: 'pending' }, { status: 'cancelled', decidedAt: new Date() });
      await m.getRepository(kind === 'bill' ? Bill : Invoice).update({ id: id!, approvalStatus: 'pending_approval' }, { approvalStatus: previousStatus });
    });
  }

  /**
   * Marks the pending approvals of a document cancelled (with a `cancelled` decision by `userId`) in the transaction
   * `m`, which holds the document's row lock, so the approval's lock comes second, as everywhere. Answers their
   * workflow ids. An id alone is an invoice's.
   */
  async cancelPending(m: EntityManager, document: DocumentRef | string, userId: string): Promise<string[]> {
    const { kind, id } = typeof document === 'string' ? { kind: 'invoice' as const, id: document } : document;
    const pending = await m.getRepository(Approval).findBy(kind === 'bill' ? { billId: id, status: 'pending' } : { invoiceId: id, status: 'pending' });
    for (const approval of pending) {
      await m.getRepository(Approval).update({ id: approval.id, status: 'pending' }, { status: 'cancelled', decidedAt: new Date() });
      await m.createQueryBuilder().insert().into(ApprovalDecision)
        .values({ approvalId: approval.id, step: approval.currentStep, decision: 'cancelled', userId, comment: `${kind} edited`, decidedAt: new Date() })
        .orIgnore().execute();
    }
    return pending.map((a) => a.workflowId);
  }

  /** Whether an invoice or a bill of the company is pending approval (`m` may be a transaction's manager). */
  async hasPendingApprovals(companyId: string, m: Pick<EntityManager, 'count'> = this.dataSource.manager): Promise<boolean> {
    return (await m.count(Invoice, { where: { companyId, approvalStatus: 'pending_approval' } })) > 0
      || (await m.count(Bill, { where: { companyId, approvalStatus: 'pending_approval' } })) > 0;
  }
}

/**
 * The approval's in-database deliveries, each one statement run beside the outbox's claim (`claimed` has a row when
 * the claim took the delivery); the delivery key is the row's own idempotency key.
 */
export const approvalEffects = {
  /** The approver's open task for a step of the approval, linked to its document. */
  openTask(t: {
    companyId: string; assigneeId: string; title: string; description: string; document: DocumentRef; approvalId: string;
    definitionId: string | null; key: string; dueAt: string; seatId: string;
  }): ClaimedEffect {
    return {
      sql: `INSERT INTO tasks (company_id, assignee_id, kind, title, description, record_type, record_id, approval_id, definition_id,
                               idempotency_key, due_at, approval_seat_id)
            SELECT $1::uuid, $2::uuid, 'approval', $3::text, $4::text, $11::text, $5::uuid, $6::uuid, $7::uuid, $8::text, $9::timestamptz, $10::uuid
             WHERE EXISTS (SELECT 1 FROM claimed)
            ON CONFLICT (idempotency_key) DO NOTHING`,
      params: [t.companyId, t.assigneeId, t.title, t.description, t.document.id, t.approvalId, t.definitionId, t.key, t.dueAt, t.seatId, t.document.kind],
    };
  },

  /** The in-app notification of an approval's notice, linked to its document. */
  notification(n: { companyId: string; userId: string; title: string; body: string; document: DocumentRef; key: string }): ClaimedEffect {
    return {
      sql: `INSERT INTO notifications (company_id, user_id, title, body, record_type, record_id, idempotency_key)
            SELECT $1::uuid, $2::uuid, $3::text, $4::text, $7::text, $5::uuid, $6::text WHERE EXISTS (SELECT 1 FROM claimed)
            ON CONFLICT (idempotency_key) DO NOTHING`,
      params: [n.companyId, n.userId, n.title, n.body, n.document.id, n.key, n.document.kind],
    };
  },
};
