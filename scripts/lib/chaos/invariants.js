'use strict';
// What must hold after the soak, each check a pure function of what was gathered (the client's answers, the rows, the
// emails and events received), answering the violations it finds in words.

/** Delivery keys whose emails go at least once (the same Message-ID again after a crash): approvals' team notices. */
const AT_LEAST_ONCE_EMAIL = /^approval:/;

/**
 * Every approval decided exactly once, as the client was answered: one invoice per number (a create retried with its
 * key never made two), one submission, one decision, the intended one, and the invoice's final status is the answer.
 * `rows`: per invoice number, `{ invoices, submissions, decisions: [decision], status }`.
 */
function checkApprovals(ops, rows) {
  const violations = [];
  for (const op of ops) {
    const name = `approval of ${op.number} (${op.intended})`;
    if (op.failedAt) {
      violations.push(`${name}: no answer to its ${op.failedAt} (${JSON.stringify(op.steps[op.failedAt] ?? {})})`);
    }
    const r = rows.get(op.number);
    if (!r || r.invoices === 0) {
      if (!op.failedAt) violations.push(`${name}: the invoice is missing`);
      continue;
    }
    if (r.invoices > 1) violations.push(`${name}: ${r.invoices} invoices were created by one create and its retries`);
    if (op.failedAt === 'create') continue;
    if (r.submissions !== 1) violations.push(`${name}: ${r.submissions} submissions (one was asked)`);
    if (op.failedAt === 'submit') continue;
    if (r.decisions.length !== 1) {
      violations.push(`${name}: ${r.decisions.length} decisions recorded (${r.decisions.join(', ')}); the invoice is ${r.status}, ` +
        `the decision answered ${JSON.stringify(op.steps.decide ?? {})}`);
    }
    else if (r.decisions[0] !== op.intended) violations.push(`${name}: recorded ${r.decisions[0]}`);
    if (op.answered && op.answered !== r.status) violations.push(`${name}: answered ${op.answered}, the invoice is ${r.status}`);
    if (!op.answered && r.status !== op.intended) violations.push(`${name}: unanswered, and the invoice is ${r.status}`);
  }
  return violations;
}

/**
 * Every reminder of every sweep sent once or reported in doubt, never twice: the run completed, one delivery per
 * matched invoice, none failed, a pending one says "in doubt", a sent one reached the mail catcher once, one in doubt at
 * most once. `sweeps`: `{ n, size, error?, runs: [{ status, matched }], deliveries: [{ key, status, error }] }`.
 */
function checkSweeps(sweeps, emailsByKey) {
  const violations = [];
  for (const s of sweeps) {
    const name = `sweep ${s.n} (${s.how}, ${s.size} reminders)`;
    if (s.error) {
      violations.push(`${name}: not fired (${s.error})`);
      continue;
    }
    if (!s.runs.length) violations.push(`${name}: no run recorded`);
    for (const r of s.runs) if (r.status !== 'completed') violations.push(`${name}: a run is ${r.status}`);
    if (s.deliveries.length !== s.size) violations.push(`${name}: ${s.deliveries.length} deliveries for ${s.size} invoices`);
    const failed = s.deliveries.filter((d) => d.status === 'failed');
    if (failed.length) violations.push(`${name}: ${failed.length} recorded failed (${failed[0].error})`);
    const pendingNotInDoubt = s.deliveries.filter((d) => d.status === 'pending' && !/in doubt/.test(d.error ?? ''));
    if (pendingNotInDoubt.length) violations.push(`${name}: ${pendingNotInDoubt.length} pending and not reported in doubt`);
    const sentNotOnce = s.deliveries.filter((d) => d.status === 'sent' && (emailsByKey.get(d.key)?.count ?? 0) !== 1);
    if (sentNotOnce.length) {
      violations.push(`${name}: ${sentNotOnce.length} sent but not received exactly once (${sentNotOnce.slice(0, 3)
        .map((d) => `${d.key}: ${emailsByKey.get(d.key)?.count ?? 0}`).join(', ')})`);
    }
    const doubtTwice = s.deliveries.filter((d) => d.status === 'pending' && (emailsByKey.get(d.key)?.count ?? 0) > 1);
    if (doubtTwice.length) violations.push(`${name}: ${doubtTwice.length} in doubt and received more than once`);
  }
  return violations;
}

/**
 * No email twice: two messages of one delivery key are a violation, unless the key's kind is at least once and both
 * carry the same Message-ID (the README's promise for team notices). Answers the violations and how many such repeats.
 * `emailsByKey`: key → `{ count, messageIds: Set }`.
 */
function checkEmails(emailsByKey) {
  const violations = [];
  let allowedRepeats = 0;
  for (const [key, e] of emailsByKey) {
    if (e.count < 2 || !key) continue;
    if (AT_LEAST_ONCE_EMAIL.test(key) && e.messageIds.size === 1) allowedRepeats += e.count - 1;
    else violations.push(`email ${key} received ${e.count} times (${e.messageIds.size} Message-IDs)`);
  }
  return { violations, allowedRepeats };
}

/**
 * No webhook event lost: every event recorded for a subscribed company reached the receiver (repeats of one id are
 * allowed: receivers drop them by id), every delivery ended `delivered`, and every decided approval has its `decided`
 * event (its `requested` one is recorded with the request's notices, which an approval decided first never sends).
 * `events`: `{ id, type, invoiceId, deliveries: [status] }`.
 */
function checkWebhooks(events, received, decidedInvoiceIds) {
  const violations = [];
  const lost = events.filter((e) => !received.get(e.id));
  if (lost.length) violations.push(`${lost.length} webhook events never received (${lost.slice(0, 3).map((e) => `${e.type} ${e.id}`).join(', ')})`);
  const undelivered = events.filter((e) => e.deliveries.some((s) => s !== 'delivered'));
  if (undelivered.length) violations.push(`${undelivered.length} webhook deliveries not delivered (${undelivered.slice(0, 3).map((e) => `${e.id}: ${e.deliveries}`).join(', ')})`);
  const noDelivery = events.filter((e) => !e.deliveries.length);
  if (noDelivery.length) violations.push(`${noDelivery.length} webhook events without a delivery to the endpoint`);
  const types = new Map();
  for (const e of events) if (e.invoiceId) types.set(e.invoiceId, [...(types.get(e.invoiceId) ?? []), e.type]);
  for (const id of decidedInvoiceIds) {
    const t = types.get(id) ?? [];
    if (!t.includes('invoice.approval.decided')) violations.push(`invoice ${id}: no invoice.approval.decided event recorded`);
  }
  const repeats = [...received.values()].reduce((n, c) => n + Math.max(0, c - 1), 0);
  return { violations, repeats };
}

/**
 * The probes' diagnostic round trips give up by design (5 attempts, a deadline): one that meets a kill may fail.
 */
const MAY_FAIL = new Set(['diagnosticRoundtrip']);

/** Every workflow run completed: none still running, none failed, timed out, terminated or cancelled. */
function checkWorkflows(open, closedBadly, runRows) {
  const violations = [];
  for (const w of open.filter((x) => !MAY_FAIL.has(x.type))) violations.push(`workflow ${w.type} ${w.workflowId} still running`);
  for (const w of closedBadly.filter((x) => !MAY_FAIL.has(x.type))) violations.push(`workflow ${w.type} ${w.workflowId} ended ${w.status}`);
  for (const r of runRows) violations.push(`workflow run row ${r.temporal_workflow_id} is ${r.status}`);
  return violations;
}

module.exports = { checkApprovals, checkSweeps, checkEmails, checkWebhooks, checkWorkflows, AT_LEAST_ONCE_EMAIL };
