/**
 * The durable work of one approval, done the plainest way, for the bench's same-work baseline: as many Postgres
 * statements as the product's API and worker run per approval (reads and single-row writes, each its own transaction,
 * on a table with two indexes, prepared) and the same two emails through the same SMTP listener. It is what the
 * product's approval would cost with nothing but Temporal, pg and nodemailer in between.
 */
import { createTransport } from 'nodemailer';
import type { Pool } from 'pg';
import { pooledSmtpUrl } from '../src/infra/mailer';

/**
 * Statements per approval of the product: 24, counted in Postgres' statement log (`log_statement = all`) over five
 * approvals as this bench runs them (one approver, no watcher), session 7; 20 when last counted from the code, before
 * the webhook events, decision links and delegation lookup were added. `npm run bench:approvals` reports the commits
 * of each side.
 */
export const APPROVAL_WORK = {
  /** The API's submit before it starts the run (invoice and definition, approvers, delegations, the caller, the submission). */
  submit: { reads: 4, writes: 1 },
  /** The worker's first local activity and the request notice (run started, task, webhook event, decision link, the approver's email and its delivery). */
  request: { reads: 2, writes: 6 },
  /** The worker's second and the outcome notice (decision, outcome, webhook event, the creator's email and push, run history). */
  settle: { reads: 1, writes: 7 },
  /** Of the writes above, those of an email's delivery row (its claim and its `sent`), done where the email is sent. */
  perEmail: { reads: 0, writes: 2 },
  /** Reads of the API around the run: submit's answer, the decision's pending approval, the decision's answer. */
  answers: 3,
};

export const BENCH_WORK_TABLE = `CREATE TABLE IF NOT EXISTS bench_work (
  id bigserial PRIMARY KEY, approval_id text NOT NULL, step text NOT NULL, detail text NOT NULL, at timestamptz NOT NULL DEFAULT now())`;
export const BENCH_WORK_INDEX = 'CREATE INDEX IF NOT EXISTS bench_work_approval ON bench_work (approval_id, at)';

export function benchWrite(pool: Pool, approvalId: string, step: string): Promise<unknown> {
  return pool.query({ name: 'bench-work-write', text: 'INSERT INTO bench_work (approval_id, step, detail) VALUES ($1, $2, $3)', values: [approvalId, step, `${step} of ${approvalId}`] });
}

export function benchRead(pool: Pool, approvalId: string): Promise<unknown> {
  return pool.query({ name: 'bench-work-read', text: 'SELECT step, detail, at FROM bench_work WHERE approval_id = $1 ORDER BY at', values: [approvalId] });
}

/** `reads` reads then `writes` writes of one approval, one statement (and transaction) at a time. */
export async function benchWork(pool: Pool, approvalId: string, step: string, { reads, writes }: { reads: number; writes: number }): Promise<void> {
  for (let i = 0; i < reads; i++) await benchRead(pool, approvalId);
  for (let i = 0; i < writes; i++) await benchWrite(pool, approvalId, `${step}-${i}`);
}

const less = (a: { reads: number; writes: number }, b: { reads: number; writes: number }) => ({ reads: a.reads - b.reads, writes: a.writes - b.writes });

export function createBaselineActivities(pool: Pool, smtpUrl: string) {
  const mail = createTransport(pooledSmtpUrl(smtpUrl), { from: 'Bench <bench@relance.local>' });
  const email = (to: string, subject: string) => mail.sendMail({
    to, subject, text: `${subject}.\n\nInvoice BA-1 of Bench Customer, 1,250.00 USD, due Dec 31, 2026.\nhttps://relance.local/invoices`,
  });
  return {
    async requestWork(approvalId: string): Promise<void> {
      await benchWork(pool, approvalId, 'request', APPROVAL_WORK.request);
      await email('approver@bench.test', `Approval requested: invoice ${approvalId}`);
    },
    async settleWork(approvalId: string, approvedBy: string): Promise<void> {
      await benchWork(pool, approvalId, `settle-by-${approvedBy}`, APPROVAL_WORK.settle);
      await email('creator@bench.test', `Invoice ${approvalId} approved`);
    },
    // The product's contract (baselineApprovalProtocol): the durable work in local activities, each email with its
    // delivery row's statements in an activity of its own.
    async openWork(approvalId: string): Promise<void> {
      await benchWork(pool, approvalId, 'open', less(APPROVAL_WORK.request, APPROVAL_WORK.perEmail));
    },
    async recordWork(approvalId: string, approvedBy: string): Promise<void> {
      await benchWork(pool, approvalId, `record-by-${approvedBy}`, less(APPROVAL_WORK.settle, APPROVAL_WORK.perEmail));
    },
    async emailWork(approvalId: string, step: string, to: string, subject: string): Promise<void> {
      await benchWork(pool, approvalId, `email-${step}`, APPROVAL_WORK.perEmail);
      await email(to, subject);
    },
    close: () => mail.close(),
  };
}
