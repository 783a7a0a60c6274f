import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { ApiKey, Role, User } from '../../db/entities';
import { dateTime, email, nullable, text, uuid } from '../common/api-docs';

@ApiSchema({ name: 'User' })
export class UserView {
  @ApiProperty(uuid) id!: string;
  @ApiProperty(uuid) companyId!: string;
  @ApiProperty({ ...text, example: 'Sam Standard' }) name!: string;
  @ApiProperty({ ...email, example: 'sam@acme.test' }) email!: string;
  @ApiProperty({ enum: ['admin', 'standard'] }) role!: Role;
  @ApiProperty(dateTime) createdAt!: string;
}

@ApiSchema({ name: 'ApiKey' })
export class ApiKeyView {
  @ApiProperty(uuid) id!: string;
  @ApiProperty(uuid) userId!: string;
  @ApiProperty({ ...text, description: 'The first characters of the key, to tell keys apart', example: 'a1B2c3D4' }) prefix!: string;
  @ApiProperty(dateTime) createdAt!: string;
  @ApiProperty(nullable(dateTime)) revokedAt!: string | null;
}

/** An API key as issued: the key itself is shown this once. */
@ApiSchema({ name: 'IssuedApiKey' })
export class IssuedApiKeyView extends ApiKeyView {
  @ApiProperty({ ...text, example: 'rlk_a1B2c3D4_…' }) apiKey!: string;
}

/** `POST /v1/users`: the user and its first API key, shown once. */
@ApiSchema({ name: 'CreatedUser' })
export class CreatedUserView {
  @ApiProperty({ type: UserView }) user!: UserView;
  @ApiProperty({ ...text, example: 'rlk_a1B2c3D4_…' }) apiKey!: string;
}

export function toUserView(u: User): UserView {
  return { id: u.id, companyId: u.companyId, name: u.name, email: u.email, role: u.role, createdAt: u.createdAt.toISOString() };
}

export function toApiKeyView(k: ApiKey): ApiKeyView {
  return {
    id: k.id, userId: k.userId, prefix: k.prefix, createdAt: k.createdAt.toISOString(),
    revokedAt: k.revokedAt ? k.revokedAt.toISOString() : null,
  };
}

export const userExample: UserView = {
  id: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', companyId: '6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f', name: 'Sam Standard',
  email: 'sam@acme.test', role: 'standard', createdAt: '2026-11-28T12:00:00.000Z',
};
