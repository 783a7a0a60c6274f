import { randomUUID } from 'node:crypto';
import type { ClaimedEffect, DeliveriesRepository, DeliveryRow } from '../db/deliveries.repository';
import type { Sql } from '../db/sql';
import { classifyFailure, isInfrastructure } from './delivery-failures';

/**
 * The retry guarantee of a kind of delivery, given with each one:
 * - `atLeastOnce`: a row that is not `sent` is sent again by a retry, with the same Message-ID (derived from the key),
 *   so that a resend after a crash between the send and its mark is the same message to the receiver.
 * - `atMostOnce`: a `pending` row that an earlier attempt of the same run left is "in doubt" (the attempt may have
 *   stopped between the send and the mark): reported, never sent again.
 * - `inDatabase`: the effect commits in the same transaction as its `sent` row: exactly once.
 * - `retriedForDays`: the intent (an event and its delivery rows, `recordWebhookEvents`) commits with the fact it
 *   describes; a durable workflow per delivery sends it until the receiver answers 2xx, with backoff for days, each
 *   attempt recorded (`createWebhookOutbox`, webhook-outbox.ts). At least once: the event's `id` is the receiver's deduplication key.
 */
export type DeliveryPolicy = 'atLeastOnce' | 'atMostOnce' | 'inDatabase';
export type EventPolicy = 'retriedForDays';

/** Which guarantee each kind of delivery has: every delivery names its kind's policy from here. */
export const deliveryPolicies = {
  /** Approval requests, reminders and outcomes to team members: a missed notice stalls an approval. */
  approvalEmail: 'atLeastOnce',
  /** Reminder emails of sweeps (customers and team): a second reminder to a customer is worse than a reported gap. */
  reminderEmail: 'atMostOnce',
  /** An unsent invoice emailed to its customer, marked sent with its row. */
  invoiceSend: 'atMostOnce',
  /** A sign-in link or an invitation's: a lost one is asked again at the sign-in page, a second one is never sent. */
  signInEmail: 'atMostOnce',
  /** Webhook events to integrators' endpoints, the company's push webhook among them. */
  webhookEvent: 'retriedForDays',
  /** In-app notification, task, memo and stamp. */
  inbox: 'inDatabase',
  task: 'inDatabase',
  memo: 'inDatabase',
} as const satisfies Record<string, DeliveryPolicy | EventPolicy>;

/** A delivery: its row, and which attempt of the activity delivers it. */
export interface DeliveryIntent extends DeliveryRow {
  /** The activity's attempt (1 for the first): a `pending` row of this run seen by a later attempt is in doubt. */
  attempt: number;
}

export type DeliveryEffect =
  | {
    policy: 'atLeastOnce' | 'atMostOnce';
    /** Performs the effect outside the database (SMTP, HTTP). */
    send: (key: string) => Promise<void>;
    /** Database changes that go with the `sent` mark, in its transaction (the invoice marked sent). */
    onSent?: (tx: Sql) => Promise<void>;
    /** Run in the claim's transaction first: false leaves the delivery unclaimed and `skipped` (superseded). */
    guard?: (tx: Sql) => Promise<boolean>;
  }
  /** Either a function run in the claim's transaction, or (hot paths) one statement run in the claim's statement. */
  | { policy: 'inDatabase'; apply: (tx: Sql, key: string) => Promise<void> }
  | { policy: 'inDatabase'; statement: ClaimedEffect };

/**
 * What became of a delivery: `delivered` (by this run, now or in an earlier attempt), `skipped` (done or in flight
 * elsewhere), `failed` (the record's own failure, recorded), `inDoubt` (an at-most-once delivery an earlier attempt
 * may have made). Infrastructure failures are not outcomes: they are thrown, for Temporal to retry the activity.
 */
export type DeliveryOutcome =
  | { status: 'delivered' | 'skipped' }
  | { status: 'failed' | 'inDoubt'; error: string };

export interface OutboxOptions {
  /** How long the bookkeeping after an effect (mark, release) is retried while the database is unreachable. */
  bookkeepingRetryMs?: number;
  /** Called while waiting, so that a long activity heartbeats. */
  heartbeat?: () => void;
  /** Test-only: called after a successful send, before its mark (a throw stands for a crash there). */
  afterSend?: (key: string) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The one delivery outbox: records the intent under its unique `delivery_key`, performs the effect, marks it, with the
 * retry guarantee of the effect's policy. A failure of the record is recorded `failed` and answered; a failure of the
 * infrastructure is thrown (after giving back a claim whose effect surely did not happen).
 */
export function createOutbox(deliveries: DeliveriesRepository, options: OutboxOptions = {}) {
  const bookkeepingRetryMs = options.bookkeepingRetryMs ?? 30_000;
  const heartbeat = options.heartbeat ?? (() => undefined);

  /** Bookkeeping that must land: retried with backoff for a bounded time while the infrastructure fails. */
  async function persistently(work: () => Promise<void>): Promise<void> {
    const deadline = Date.now() + bookkeepingRetryMs;
    for (let wait = 100; ; wait = Math.min(wait * 2, 2000)) {
      try {
        return await work();
      } catch (err) {
        if (!isInfrastructure(err) || Date.now() + wait > deadline) throw err;
      }
      heartbeat();
      await sleep(wait);
      heartbeat();
    }
  }

  function runId(intent: DeliveryIntent): string | undefined {
    return 'runId' in intent.owner ? intent.owner.runId : undefined;
  }

  /** A row that was there already: what it means for this attempt. */
  async function existing(intent: DeliveryIntent, policy: DeliveryPolicy, status: string | null, rowRun: string | null): Promise<DeliveryOutcome> {
    const ours = runId(intent) !== undefined && rowRun === runId(intent);
    if (status === 'sent') return { status: ours ? 'delivered' : 'skipped' };
    if (status === 'pending' && policy === 'atMostOnce' && ours && intent.attempt > 1) {
      const error = `in doubt: an earlier attempt (of ${intent.attempt - 1}) stopped between sending and recording; not resent (at most once)`;
      await persistently(() => deliveries.noteInDoubt(intent.key, error));
      return { status: 'inDoubt', error };
    }
    return { status: 'skipped' };
  }

  async function inDatabase(intent: DeliveryIntent, effect: Extract<DeliveryEffect, { policy: 'inDatabase' }>): Promise<DeliveryOutcome> {
    const options = { status: 'sent', retakePending: false, token: randomUUID() } as const;
    try {
      const claim = 'statement' in effect
        ? await deliveries.claimWith(intent, options, effect.statement)
        : await deliveries.transaction(async (tx) => {
          const c = await deliveries.claim(intent, options, tx);
          if (c.claimed) await effect.apply(tx, intent.key);
          return c;
        });
      return claim.claimed ? { status: 'delivered' } : existing(intent, 'inDatabase', claim.status, claim.runId);
    } catch (err) {
      // Rolled back with its row: nothing happened. Infrastructure is retried; the record's own failure is recorded.
      const failure = classifyFailure(err);
      if (failure.kind === 'infrastructure') throw err;
      await persistently(() => deliveries.recordFailure(intent, failure.reason, randomUUID()));
      return { status: 'failed', error: failure.reason };
    }
  }

  async function outside(intent: DeliveryIntent, effect: Extract<DeliveryEffect, { send: unknown }>): Promise<DeliveryOutcome> {
    const token = randomUUID();
    let claim;
    try {
      const options = { status: 'pending', retakePending: effect.policy === 'atLeastOnce', token } as const;
      const guard = effect.guard;
      claim = guard
        ? await deliveries.transaction(async (tx) => ((await guard(tx)) ? deliveries.claim(intent, options, tx) : null))
        : await deliveries.claim(intent, options);
    } catch (err) {
      // Nothing was sent. A claim cut off with its connection may still have landed: it is given back, so that the
      // retry does not take it for an earlier attempt's send.
      const failure = classifyFailure(err);
      if (failure.kind === 'infrastructure' && failure.effect === 'unknown') {
        await persistently(() => deliveries.release(intent.key, token, `not sent: ${failure.reason}`)).catch(() => undefined);
      }
      throw err;
    }
    if (claim === null) return { status: 'skipped' };
    if (!claim.claimed) return existing(intent, effect.policy, claim.status, claim.runId);

    try {
      await effect.send(intent.key);
    } catch (err) {
      const failure = classifyFailure(err);
      if (failure.kind === 'record') {
        await persistently(() => deliveries.markFailed(intent.key, failure.reason));
        return { status: 'failed', error: failure.reason };
      }
      // Infrastructure: the activity fails and is retried. The claim is given back when the send surely did not
      // happen, or when the policy resends anyway; otherwise the row stays pending, in doubt for the retry.
      if (failure.effect === 'not-done' || effect.policy === 'atLeastOnce') {
        await persistently(() => deliveries.release(intent.key, token, failure.reason));
      }
      throw err;
    }
    options.afterSend?.(intent.key);
    await persistently(async () => {
      if (!effect.onSent) return deliveries.markSent(intent.key);
      await deliveries.transaction(async (tx) => {
        await deliveries.markSent(intent.key, tx);
        await effect.onSent!(tx);
      });
    });
    return { status: 'delivered' };
  }

  return {
    /** Delivers once under the intent's key, with the guarantee of the effect's policy. */
    deliver(intent: DeliveryIntent, effect: DeliveryEffect): Promise<DeliveryOutcome> {
      return effect.policy === 'inDatabase' ? inDatabase(intent, effect) : outside(intent, effect);
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
