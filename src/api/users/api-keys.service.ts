import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ApiKeysRepository } from '../../db/api-keys.repository';
import { ApiKey } from '../../db/entities';
import { generateApiKey } from '../auth/api-key';
import { audit, type AuditActor } from '../audit/audit-trail';

@Injectable()
export class ApiKeysService {
  /** Issues a key for a user (recorded as `by`'s when given); the plain key is returned here once and never stored. */
  async issue(manager: EntityManager, companyId: string, userId: string, by?: AuditActor): Promise<{ entity: ApiKey; key: string }> {
    const { key, prefix, hash } = generateApiKey();
    const entity = await new ApiKeysRepository(manager).insert({ companyId, userId, prefix, keyHash: hash, revokedAt: null });
    if (by) await audit.record(manager, by, { type: 'api_key.issued', targetId: entity.id, data: { userId, prefix } });
    return { entity, key };
  }

  /** Revokes a key, recorded as `by`'s; revoking it again changes nothing and records nothing. */
  async revoke(manager: EntityManager, by: AuditActor, key: ApiKey): Promise<void> {
    if (!(await new ApiKeysRepository(manager).revoke(key.id, new Date()))) return;
    await audit.record(manager, by, { type: 'api_key.revoked', targetId: key.id, data: { userId: key.userId, prefix: key.prefix } });
  }
}
