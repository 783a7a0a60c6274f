import { ApiKey, User } from '../../db/entities';

export function toUserView(u: User) {
  return { id: u.id, companyId: u.companyId, name: u.name, email: u.email, role: u.role, createdAt: u.createdAt.toISOString() };
}

export function toApiKeyView(k: ApiKey) {
  return {
    id: k.id, userId: k.userId, prefix: k.prefix, createdAt: k.createdAt.toISOString(),
    revokedAt: k.revokedAt ? k.revokedAt.toISOString() : null,
  };
}
