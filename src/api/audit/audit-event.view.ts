import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { AuditEventRow } from '../../db/audit-events.repository';
import { AUDIT_EVENT_TYPES, AUDIT_EVENT_TYPE_NAMES, type AuditEventType } from '../../domain/audit';
import { dateTime, nullable, text, uuid } from '../common/api-docs';

const catalogue = Object.entries(AUDIT_EVENT_TYPES).map(([type, meaning]) => `- \`${type}\`: ${meaning}`).join('\n');

@ApiSchema({ name: 'AuditEvent' })
export class AuditEventView {
  @ApiProperty(uuid) id!: string;
  @ApiProperty({ enum: AUDIT_EVENT_TYPE_NAMES, enumName: 'AuditEventType', description: `What happened:\n${catalogue}` }) type!: AuditEventType;
  @ApiProperty({ ...nullable(uuid), description: 'The user who did it' }) actorId!: string | null;
  @ApiProperty({ ...text, required: false, description: "The actor's name today" }) actorName?: string;
  @ApiProperty({ ...nullable(uuid), description: 'The API key the actor used' }) apiKeyId!: string | null;
  @ApiProperty({ ...nullable(text), example: '203.0.113.7', description: 'The client address the request came from (behind proxies: TRUST_PROXY_HOPS)' })
  clientAddress!: string | null;
  @ApiProperty({ ...text, example: 'workflow', description: 'The kind of record: the part of `type` before its last dot' }) targetType!: string;
  @ApiProperty({ ...nullable(uuid), description: 'The record' }) targetId!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, example: { status: { old: 'draft', new: 'active' } }, description: 'What changed (see `type`)' })
  data!: Record<string, unknown>;
  @ApiProperty(dateTime) createdAt!: string;
}

export function toAuditEventView(r: AuditEventRow): AuditEventView {
  return {
    id: r.id, type: r.type, actorId: r.actor_id, ...(r.actor_name === null ? {} : { actorName: r.actor_name }), apiKeyId: r.api_key_id,
    clientAddress: r.client_address, targetType: r.target_type, targetId: r.target_id, data: r.data,
    createdAt: new Date(r.created_at).toISOString(),
  };
}
