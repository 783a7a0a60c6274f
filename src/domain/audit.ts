/**
 * The audit trail's catalogue: every kind of entry, what it records, and what its `data` holds. An entry says who
 * (user, API key, client address) did what to which record and when; its `data` names what changed and never holds a
 * secret, a key, a token or customer data (message bodies, amounts, addresses).
 */
export const AUDIT_EVENT_TYPES = {
  'company.created': 'A company signed up with its first admin (the actor). data: { plan }',
  'company.updated': 'PATCH /v1/companies/me. data: { changes: { <field>: { old, new } } } for each field that changed; '
    + 'webhookUrl as its origin only (a URL path may hold a token), and webhookSecretRotated: true when the URL change made a new secret',
  'user.created': 'A user was added. data: { role }',
  'user.deactivated': 'A user was deactivated: their keys are revoked and stop working. data: { handoverTo, handedOver (invoice ids), revokedKeys (a count), delegationsEnded (delegator ids) }',
  'user.reactivated': 'A deactivated user was let in again. data: {}',
  'user.role_changed': "A user's role changed; it applies to their next request. data: { from, to } (admin or standard)",
  'user.renamed': "A user's name changed. data: { from, to }",
  'user.approval_limit_changed': "A user's approval limit changed (decimal strings, null: no limit). data: { from, to }",
  'approver_group.created': 'An approver group was created. data: { name, memberIds (the first 40), memberCount }',
  'approver_group.updated': 'An approver group was renamed or its members changed. data: { changes: { name: { old, new } } when renamed, '
    + 'added, removed (member ids, the first 40 of each), addedCount, removedCount }',
  'approver_group.deleted': 'An approver group was deleted. data: { name, memberIds (the first 40), memberCount }',
  'api_key.issued': 'An API key was issued (target: the key). data: { userId, prefix }',
  'api_key.revoked': 'An API key was revoked (target: the key). data: { userId, prefix }',
  'delegation.set': "A user's delegation was set or replaced (target: the delegating user). data: { delegateId, from, until }",
  'delegation.removed': "A user's delegation was ended (target: the delegating user). data: { delegateId }",
  'workflow.created': 'A workflow definition was created. data: { templateKey, name, status }',
  'workflow.updated': 'A definition changed. data: { fields: [names of the parts that changed], changes: { name: { old, new } } when renamed, '
    + 'version: { old, new } when the change made a new version }',
  'workflow.activated': 'A definition was activated. data: { status: { old, new } }',
  'workflow.deactivated': 'A definition was deactivated. data: { status: { old, new } }',
  'workflow.deleted': 'A definition was deleted. data: { templateKey, name, status }',
  'webhook_endpoint.created': 'A webhook endpoint was created. data: { url (origin only), events }',
  'webhook_endpoint.updated': 'A webhook endpoint changed. data: { changes: { <field>: { old, new } } } (url as its origin only)',
  'webhook_endpoint.deleted': 'A webhook endpoint was deleted. data: { url (origin only) }',
  'webhook_endpoint.secret_rotated': "A webhook endpoint's signing secret was replaced. data: {}",
  'session.started': 'A user signed in to the console with an emailed link (target: the session). data: { via: sign_in_link or invitation }',
  'suppression.created': 'An address was suppressed: nothing is sent to it (no actor: inbound mail did it). data: { origin: bounce, complaint or soft_bounces, status (the DSN status, for bounces) }',
  'suppression.deleted': 'An admin deleted a suppression: the address may be mailed again. data: { origin }',
  'invoice.customer_said_paid': "The customer said the invoice is paid, from a reminder's answer page (no actor: the link's holder). "
    + 'data: { deliveryKey (the reminder the link came with), reference (whether they gave one), pausedUntil (null when a longer pause ran already), taskId }',
  'invoice.disputed': "The customer disputed the invoice from a reminder's answer page (no actor); reminders stop until it is resolved. data: { deliveryKey, disputeId }",
  'invoice.promised': "The customer promised to pay on a day from a reminder's answer page (no actor). data: { deliveryKey, promiseId, payOn, graceUntil }",
  'invoice.dispute_resolved': 'POST /v1/invoices/:id/dispute/resolve: the open dispute was resolved; reminders go on. data: { disputeId }',
  'session.ended': 'A console session was ended before its time (target: the session). data: { reason: signed_out, ended_by_user or user_deactivated }',
  'task.claimed': 'A member of the candidate group (or an admin) claimed an open task. data: { candidateGroupId }',
  'task.unclaimed': 'A claimed task was given back to its candidate group, by its claimer or an admin. data: { claimedBy }',
  'task.reassigned': 'POST /v1/tasks/:id/reassign: an open task went to another user; any claim was released. data: { from, to, claimedBy (the claim released, or null) }',
  'task.commented': 'A comment was added to the task (its text stays with the task). data: { commentId }',
} as const satisfies Record<string, string>;

export type AuditEventType = keyof typeof AUDIT_EVENT_TYPES;
export const AUDIT_EVENT_TYPE_NAMES = Object.keys(AUDIT_EVENT_TYPES) as AuditEventType[];

/** The kind of record an entry is about: what comes before its type's last dot (`api_key.issued`: `api_key`). */
export type AuditTargetType = AuditEventType extends `${infer T}.${string}` ? T : never;

export function auditTargetType(type: AuditEventType): AuditTargetType {
  return type.slice(0, type.lastIndexOf('.')) as AuditTargetType;
}

export function isAuditEventType(value: string): value is AuditEventType {
  return Object.prototype.hasOwnProperty.call(AUDIT_EVENT_TYPES, value);
}

/** A field's value before and after a change. */
export interface Change {
  old: unknown;
  new: unknown;
}

/**
 * The fields among `fields` whose value differs between `before` and `after`, with both values. Values compare as
 * JSON with sorted keys: jsonb answers an object's keys in its own order, not in the order the code wrote them.
 */
export function changesOf<T extends object>(before: T, after: T, fields: readonly (keyof T & string)[]): Record<string, Change> {
  const changes: Record<string, Change> = {};
  for (const field of fields) {
    const old = before[field] ?? null;
    const now = after[field] ?? null;
    if (canonical(old) !== canonical(now)) changes[field] = { old, new: now };
  }
  return changes;
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    : v));
}

/** A URL reduced to its origin (`https://hooks.example.com`): its path or query may carry a token. */
export function urlOrigin(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** Names an entry's data must never use: what they would hold is a credential or a message. */
const FORBIDDEN_KEYS = /^(secret|webhooksecret|apikey|key|keyhash|token|password|body|html|subject)$/i;
/** An entry is a line of history, not a copy of the record. */
const MAX_DATA_CHARS = 4000;

/** Why `data` may not be stored in the audit trail, or null. Checked on every write, as a bug's last stop. */
export function auditDataProblem(data: Record<string, unknown>): string | null {
  const text = JSON.stringify(data);
  if (text.length > MAX_DATA_CHARS) return `audit data is ${text.length} characters; at most ${MAX_DATA_CHARS}`;
  let problem: string | null = null;
  JSON.parse(text, (key, value: unknown) => {
    if (FORBIDDEN_KEYS.test(key)) problem ??= `audit data must not hold "${key}"`;
    return value;
  });
  return problem;
}
