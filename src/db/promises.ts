import { PROMISE_GRACE_DAYS } from '../domain/answers';
import type { Sql } from './sql';
import { webhookEvents } from './webhook-events';

/** Records a promise to pay on `payOn` and makes it the invoice's current one (the caller holds the invoice's row). */
export async function recordPromise(tx: Sql, p: { companyId: string; invoiceId: string; deliveryKey: string; payOn: string }): Promise<{ id: string }> {
  const [row] = await tx.query<{ id: string }>(
    `WITH made AS (
       INSERT INTO invoice_promises (company_id, invoice_id, delivery_key, pay_on) VALUES ($1, $2, $3, $4) RETURNING id
     ), marked AS (
       UPDATE invoices SET promised_on = $4, updated_at = now() WHERE company_id = $1 AND id = $2 RETURNING id
     )
     SELECT made.id FROM made, marked`,
    [p.companyId, p.invoiceId, p.deliveryKey, p.payOn],
  );
  if (!row) throw new Error(`promise on invoice ${p.invoiceId}: the invoice is gone`);
  return row;
}

/**
 * A promise to pay whose grace passed unpaid by `today`: recorded broken once, with its event. Called by the delivery
 * that resumes, with its run's day (the company's, as the planner judged the promise): one day for both, so the step
 * the planner lets go always breaks the promise. A newer promise made since the caller judged it is left alone. A
 * second call finds nothing to break.
 */
export async function markBroken(tx: Sql, companyId: string, invoiceId: string, today: string): Promise<void> {
  const [row] = await tx.query<{ id: string; pay_on: string; number: string; customer_id: string }>(
    `WITH current AS (
       SELECT i.id, i.number, i.customer_id, i.promised_on FROM invoices i
        WHERE i.company_id = $1 AND i.id = $2 AND i.promised_on IS NOT NULL AND i.promised_on + $3::int < $4::date
        FOR UPDATE OF i
     ), cleared AS (
       UPDATE invoices i SET promised_on = NULL, updated_at = now() FROM current WHERE i.id = current.id RETURNING i.id
     ), broken AS (
       UPDATE invoice_promises p SET broken_at = now() FROM current
        WHERE p.invoice_id = current.id AND p.pay_on = current.promised_on AND p.broken_at IS NULL RETURNING p.id, p.pay_on
     )
     SELECT broken.id, to_char(broken.pay_on, 'YYYY-MM-DD') AS pay_on, current.number, current.customer_id
       FROM broken, current, cleared`,
    [companyId, invoiceId, PROMISE_GRACE_DAYS, today],
  );
  if (!row) return;
  await webhookEvents.invoicePromiseBroken(tx, {
    companyId, promiseId: row.id, invoiceId, invoiceNumber: row.number, customerId: row.customer_id, payOn: row.pay_on,
  });
}
