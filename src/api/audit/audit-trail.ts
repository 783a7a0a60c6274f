import type { EntityManager } from 'typeorm';
import { record } from '../../db/audit-events.repository';
import type { AuditEventType } from '../../domain/audit';
import type { AuthUser } from '../auth/current-user.decorator';

/**
 * Who did it: the signed-in caller, or for a signup the new admin with the key just issued and the request's address,
 * or nobody signed in (`id` null: a customer through a reminder's answer link, known by the request's address).
 */
export type AuditActor = Pick<AuthUser, 'companyId' | 'apiKeyId' | 'clientAddress'> & { id: string | null };

export interface AuditEntry {
  type: AuditEventType;
  /** The record the entry is about (its kind is the type's prefix: `api_key.issued` is about an API key). */
  targetId: string | null;
  /** What changed: field names, old and new statuses, roles, settings; never a secret, a key, a token or a message. */
  data?: Record<string, unknown>;
}

/**
 * The one way services write the audit trail: `await audit.record(manager, caller, { type, targetId, data })` with the
 * manager of the transaction that makes the change, so that a change rolled back leaves no entry and a committed one
 * always has its entry.
 */
export const audit = {
  record(manager: EntityManager, actor: AuditActor, entry: AuditEntry): Promise<void> {
    return record(manager, {
      companyId: actor.companyId, type: entry.type, actorId: actor.id, apiKeyId: actor.apiKeyId,
      clientAddress: actor.clientAddress ?? null, targetId: entry.targetId, data: entry.data ?? {},
    });
  },
};
