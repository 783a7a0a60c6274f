import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { ApiKey, Role, User, UserStatus } from '../../db/entities';
import { dateTime, email, money, nullable, text, uuid } from '../common/api-docs';

@ApiSchema({ name: 'User' })
export class UserView {
  @ApiProperty(uuid) id!: string;
  @ApiProperty(uuid) companyId!: string;
  @ApiProperty({ ...text, example: 'Sam Standard' }) name!: string;
  @ApiProperty({ ...email, example: 'sam@acme.test' }) email!: string;
  @ApiProperty({ enum: ['admin', 'standard'] }) role!: Role;
  @ApiProperty({ enum: ['active', 'inactive'], description: 'inactive: deactivated; its API keys answer 401 and no approval asks it' }) status!: UserStatus;
  @ApiProperty({ ...nullable(money), example: '5000.00', description: 'the largest amount a step routed by limit may ask the user to approve; null: no limit' })
  approvalLimit!: string | null;
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

@ApiSchema({ name: 'HandedOverApproval' })
export class HandedOverApprovalView {
  @ApiProperty(uuid) invoiceId!: string;
  @ApiProperty({ ...text, example: 'INV-1042' }) invoiceNumber!: string;
  @ApiProperty({ ...uuid, description: 'who holds the seats now' }) to!: string;
}

@ApiSchema({ name: 'DefinitionNamingUser' })
export class DefinitionNamingUserView {
  @ApiProperty(uuid) id!: string;
  @ApiProperty({ ...text, example: 'Large invoices' }) name!: string;
  @ApiProperty({ ...text, example: 'invoice-approval' }) templateKey!: string;
  @ApiProperty({ enum: ['draft', 'active', 'inactive'] }) status!: string;
}

/** `POST /v1/users/:id/deactivate`: the user, the approvals whose seats moved, the definitions to edit. */
@ApiSchema({ name: 'DeactivatedUser' })
export class DeactivatedUserView {
  @ApiProperty({ type: UserView }) user!: UserView;
  @ApiProperty({ type: [HandedOverApprovalView], description: 'the pending approvals whose seats of the user moved to handoverTo' })
  handedOver!: HandedOverApprovalView[];
  @ApiProperty({ type: [DefinitionNamingUserView], description: 'workflow definitions that still name the user (approver, escalation, recipient): edit them' })
  definitions!: DefinitionNamingUserView[];
  @ApiProperty({ type: Number, description: 'API keys revoked; reactivation brings none back' }) revokedKeys!: number;
}

/** `POST /v1/users`: the user invited (emailed a sign-in link); no API key. */
@ApiSchema({ name: 'CreatedUser' })
export class CreatedUserView {
  @ApiProperty({ type: UserView }) user!: UserView;
}

export function toUserView(u: User): UserView {
  return {
    id: u.id, companyId: u.companyId, name: u.name, email: u.email, role: u.role, status: u.status, approvalLimit: u.approvalLimit ?? null,
    createdAt: u.createdAt.toISOString(),
  };
}

export function toApiKeyView(k: ApiKey): ApiKeyView {
  return {
    id: k.id, userId: k.userId, prefix: k.prefix, createdAt: k.createdAt.toISOString(),
    revokedAt: k.revokedAt ? k.revokedAt.toISOString() : null,
  };
}

export const userExample: UserView = {
  id: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', companyId: '6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f', name: 'Sam Standard',
  email: 'sam@acme.test', role: 'standard', status: 'active', approvalLimit: null, createdAt: '2026-11-28T12:00:00.000Z',
};
