import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../auth/admin-only.decorator';
import { AuthUser, CurrentUser } from '../auth/current-user.decorator';
import { ApiAuthenticated, ApiErrors } from '../common/api-docs';
import { IdPipe } from '../common/id-param.pipe';
import { Idempotent } from '../common/idempotency.interceptor';
import { ListQueryDto } from '../common/pagination';
import {
  CreatedWebhookEndpoint, CreateWebhookEndpointDto, RotatedWebhookSecret, UpdateWebhookEndpointDto, WebhookAttemptPage, WebhookEndpoint,
  WebhookEndpointPage, WebhookRetryAccepted,
} from './dto/webhook-endpoint.dto';
import { WebhooksService } from './webhooks.service';

const notFound = 'webhook endpoint 4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8 not found';
const badId = '"abc" is not a valid id (ids are UUIDs)';

/** Endpoints of integrators that receive the company's events, signed. Admins only: they hold the secret. */
@ApiTags('webhooks')
@ApiAuthenticated()
@AdminOnly()
@Controller('v1/webhook-endpoints')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @Idempotent()
  @ApiOperation({ summary: 'Adds an endpoint subscribed to event types; answers its signing secret, shown only here' })
  @ApiCreatedResponse({ type: CreatedWebhookEndpoint })
  @ApiErrors({ 400: 'url is refused: 10.0.0.5 is a private network address' })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateWebhookEndpointDto): Promise<CreatedWebhookEndpoint> {
    return this.webhooks.create(user, dto);
  }

  @Get()
  @ApiOperation({ summary: 'The company\'s webhook endpoints, in creation order' })
  @ApiOkResponse({ type: WebhookEndpointPage })
  @ApiErrors({ 400: 'limit must be an integer from 1 to 200' })
  list(@CurrentUser() user: AuthUser, @Query() query: ListQueryDto) {
    return this.webhooks.list(user, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One webhook endpoint (without its secret)' })
  @ApiOkResponse({ type: WebhookEndpoint })
  @ApiErrors({ 400: badId, 404: notFound })
  get(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string): Promise<WebhookEndpoint> {
    return this.webhooks.get(user, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Changes an endpoint\'s URL or the event types it receives' })
  @ApiOkResponse({ type: WebhookEndpoint })
  @ApiErrors({ 400: 'give url or events (or both) to change', 404: notFound, 409: 'this endpoint is the company\'s webhookUrl' })
  update(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string, @Body() dto: UpdateWebhookEndpointDto): Promise<WebhookEndpoint> {
    return this.webhooks.update(user, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Removes an endpoint, with its deliveries log; deliveries waiting for a retry stop' })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiErrors({ 400: badId, 404: notFound })
  remove(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string): Promise<void> {
    return this.webhooks.remove(user, id);
  }

  @Post(':id/rotate-secret')
  @Idempotent()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Replaces the endpoint\'s signing secret; answers the new one, shown only here. For 24 h the old one signs too '
      + '(`Relance-Signature: t=…,v1=<new>,v1=<old>`). The company webhookUrl\'s endpoint rotates the same way',
  })
  @ApiOkResponse({ type: RotatedWebhookSecret })
  @ApiErrors({ 400: badId, 404: notFound })
  rotateSecret(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string): Promise<RotatedWebhookSecret> {
    return this.webhooks.rotateSecret(user, id);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'Every attempt to deliver an event to the endpoint (time, status code, error), oldest first' })
  @ApiOkResponse({ type: WebhookAttemptPage })
  @ApiErrors({ 400: badId, 404: notFound })
  deliveries(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string, @Query() query: ListQueryDto) {
    return this.webhooks.attempts(user, id, query);
  }

  @Post(':id/deliveries/:deliveryId/retry')
  @ApiParam({ name: 'deliveryId', type: String, format: 'uuid' })
  @Idempotent()
  @HttpCode(202)
  @ApiOperation({ summary: 'Sends a delivery\'s event again now (same event id), whether it failed, waits or was delivered' })
  @ApiAcceptedResponse({ type: WebhookRetryAccepted })
  @ApiErrors({ 400: badId, 404: 'delivery 4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8 of webhook endpoint … not found', 503: 'Temporal is unreachable' })
  retry(
    @CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string, @Param('deliveryId', IdPipe) deliveryId: string,
  ): Promise<WebhookRetryAccepted> {
    return this.webhooks.retry(user, id, deliveryId);
  }
}
