import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ApiKeysRepository } from '../../db/api-keys.repository';
import { ApiKey } from '../../db/entities';
import { generateApiKey } from '../auth/api-key';

@Injectable()
export class ApiKeysService {
  /** Issues a key for a user; the plain key is returned here once and never stored. */
  async issue(manager: EntityManager, companyId: string, userId: string): Promise<{ entity: ApiKey; key: string }> {
    const { key, prefix, hash } = generateApiKey();
    const entity = await new ApiKeysRepository(manager).insert({ companyId, userId, prefix, keyHash: hash, revokedAt: null });
    return { entity, key };
  }
}
