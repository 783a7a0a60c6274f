import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiProperty, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../auth/public.decorator';
import { ApiErrors } from '../common/api-docs';
import { INBOUND_MEDIA_TYPES } from './inbound-gate';
import { InboundOutcome, InboundService } from './inbound.service';

class InboundOutcomeView implements InboundOutcome {
  @ApiProperty({ description: 'What the message changed: `unmatched` when it names no reply address of a delivery (nothing changed), else what it did', example: 'unmatched' })
  outcome!: string;

  @ApiPropertyOptional({ enum: ['bounce', 'complaint', 'auto_reply', 'reply'], description: 'What the message is, when it answers a delivery' })
  kind?: InboundOutcome['kind'];
}

/**
 * Inbound mail: replies, bounces and complaints, as raw RFC 5322 bytes from an MTA pipe or a mail provider's inbound
 * hook. Not behind API keys: its own bearer secret (RELANCE_INBOUND_SECRET) is checked with the body's size and type
 * before the body is read (inbound-gate.ts). A message that names no reply address of ours is a 200 that changed
 * nothing: a 4xx or 5xx would make the MTA retry or bounce it back to its sender.
 */
@ApiTags('inbound')
@ApiBearerAuth('inbound')
@Controller('v1/inbound')
export class InboundController {
  constructor(private readonly inbound: InboundService) {}

  @Post('email')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Receives an inbound email (a reply, a bounce, a complaint) as raw RFC 5322 bytes; takes RELANCE_INBOUND_SECRET, not an API key' })
  @ApiConsumes(...INBOUND_MEDIA_TYPES)
  @ApiBody({ schema: { type: 'string', format: 'binary' }, description: 'The message as received, headers and body (INBOUND_BODY_LIMIT, 25 MB by default)' })
  @ApiResponse({ status: 200, type: InboundOutcomeView })
  @ApiErrors({
    400: 'the message has no From address (RFC 5322 §3.6.2)',
    401: 'send "Authorization: Bearer <RELANCE_INBOUND_SECRET>"',
    413: 'the message is larger than INBOUND_BODY_LIMIT (26214400 bytes)',
    415: 'send the raw message with "Content-Type: message/rfc822" or "application/octet-stream"',
  })
  receive(@Req() req: Request): Promise<InboundOutcomeView> {
    return this.inbound.receive(req.body as Buffer, new Date());
  }
}
