import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsIn, IsString, IsUrl, MaxLength } from 'class-validator';
import { ALL_WEBHOOK_EVENTS, WEBHOOK_EVENT_TYPES } from '../../../contracts';
import { IsOmittable } from '../../common/optional';

export const SUBSCRIBABLE_EVENTS = [ALL_WEBHOOK_EVENTS, ...WEBHOOK_EVENT_TYPES];
const eventsMessage = { each: true, message: `each of events must be one of ${SUBSCRIBABLE_EVENTS.join(', ')}` };
const urlMessage = { message: 'url must be an http(s) URL' };
const urlOptions = { require_tld: false, protocols: ['http', 'https'], require_protocol: true };

export class CreateWebhookEndpointDto {
  @ApiProperty({ type: 'string', format: 'uri', maxLength: 2048, example: 'https://hooks.example.com/relance' })
  @IsString() @MaxLength(2048) @IsUrl(urlOptions, urlMessage)
  url!: string;

  @ApiProperty({
    type: 'string', isArray: true, enum: SUBSCRIBABLE_EVENTS, minItems: 1, maxItems: 20,
    description: 'The event types sent to the endpoint; `["*"]` for all', example: ['invoice.approval.decided'],
  })
  @IsArray({ message: 'events must be an array of event types' })
  @ArrayNotEmpty({ message: 'events must name at least one event type (or "*")' })
  @ArrayMaxSize(20) @IsIn(SUBSCRIBABLE_EVENTS, eventsMessage)
  events!: string[];
}

export class UpdateWebhookEndpointDto {
  @ApiPropertyOptional({ type: 'string', format: 'uri', maxLength: 2048 })
  @IsOmittable() @IsString() @MaxLength(2048) @IsUrl(urlOptions, urlMessage)
  url?: string;

  @ApiPropertyOptional({ type: 'string', isArray: true, enum: SUBSCRIBABLE_EVENTS, minItems: 1, maxItems: 20 })
  @IsOmittable() @IsArray({ message: 'events must be an array of event types' })
  @ArrayNotEmpty({ message: 'events must name at least one event type (or "*")' })
  @ArrayMaxSize(20) @IsIn(SUBSCRIBABLE_EVENTS, eventsMessage)
  events?: string[];
}

export class WebhookEndpoint {
  @ApiProperty({ type: 'string', format: 'uuid' }) id!: string;
  @ApiProperty({ type: 'string', format: 'uri' }) url!: string;
  @ApiProperty({ type: 'string', isArray: true, enum: SUBSCRIBABLE_EVENTS }) events!: string[];
  @ApiProperty({ type: 'string', enum: ['api', 'company'], description: '`company`: the company\'s push `webhookUrl` (PATCH /v1/companies/me)' })
  source!: 'api' | 'company';
  @ApiProperty({ type: 'string', format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: 'string', format: 'date-time' }) updatedAt!: string;
}

export class CreatedWebhookEndpoint extends WebhookEndpoint {
  @ApiProperty({
    type: 'string', description: 'The signing secret of `Relance-Signature`: shown once, here',
    example: 'whsec_3q2+7w…', pattern: '^whsec_[A-Za-z0-9_-]{43}$',
  })
  secret!: string;
}

export class RotatedWebhookSecret extends CreatedWebhookEndpoint {
  @ApiProperty({
    type: 'string', format: 'date-time',
    description: 'Until then the replaced secret signs too: `Relance-Signature` carries a second `v1`, after the new secret\'s',
  })
  previousSecretExpiresAt!: string;
}

export class WebhookEndpointPage {
  @ApiProperty({ type: [WebhookEndpoint] }) data!: WebhookEndpoint[];
  @ApiProperty({ type: 'string', nullable: true, description: 'Pass as `cursor` for the next page; null on the last' })
  nextCursor!: string | null;
}

export class WebhookAttempt {
  @ApiProperty({ type: 'string', format: 'uuid' }) id!: string;
  @ApiProperty({ type: 'string', format: 'uuid', description: 'The delivery (one event to this endpoint) the attempt is of' })
  deliveryId!: string;
  @ApiProperty({ type: 'string', format: 'uuid', description: 'The event\'s `id`, the same in every attempt' }) eventId!: string;
  @ApiProperty({ type: 'string', enum: [...WEBHOOK_EVENT_TYPES] }) eventType!: string;
  @ApiProperty({ type: 'integer', minimum: 1 }) attempt!: number;
  @ApiProperty({ type: 'integer', nullable: true, description: 'The receiver\'s HTTP status; null when it did not answer' })
  statusCode!: number | null;
  @ApiProperty({ type: 'string', nullable: true }) error!: string | null;
  @ApiProperty({ type: 'integer', minimum: 0 }) durationMs!: number;
  @ApiProperty({ type: 'string', enum: ['pending', 'retrying', 'delivered', 'failed'], description: 'The delivery\'s status now' })
  deliveryStatus!: string;
  @ApiProperty({ type: 'string', format: 'date-time' }) attemptedAt!: string;
}

export class WebhookAttemptPage {
  @ApiProperty({ type: [WebhookAttempt] }) data!: WebhookAttempt[];
  @ApiProperty({ type: 'string', nullable: true }) nextCursor!: string | null;
}

export class WebhookRetryAccepted {
  @ApiProperty({ type: 'string', format: 'uuid' }) deliveryId!: string;
  @ApiProperty({ type: 'string', description: 'The Temporal workflow that sends it' }) workflowId!: string;
}
