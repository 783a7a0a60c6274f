import { Body, Controller, Delete, Get, HttpCode, Put } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAuthenticated, ApiErrors } from '../common/api-docs';
import { RateLimitedPerUser } from '../common/rate-limits';
import { type AuthUser, CurrentUser } from '../auth/current-user.decorator';
import { DelegationView } from './delegation.view';
import { DelegationsService } from './delegations.service';
import { PutDelegationDto } from './dto/put-delegation.dto';

@ApiTags('approvals')
@ApiAuthenticated()
@Controller('v1/users/me/delegation')
export class DelegationsController {
  constructor(private readonly delegations: DelegationsService) {}

  @Put()
  @RateLimitedPerUser('delegation')
  @ApiOperation({ summary: 'Sets (or replaces) your out-of-office delegation: between from and until the delegate receives and may decide your approval requests' })
  @ApiOkResponse({ type: DelegationView })
  @ApiErrors({
    400: 'until (2026-12-01T00:00:00Z) must be after from (2026-12-20T00:00:00Z)',
    404: 'user 9b2f…: not found',
    409: 'you cannot delegate your approvals to yourself',
  })
  put(@CurrentUser() user: AuthUser, @Body() body: PutDelegationDto): Promise<DelegationView> {
    return this.delegations.put(user, body);
  }

  @Get()
  @ApiOperation({ summary: 'Your delegation' })
  @ApiOkResponse({ type: DelegationView })
  @ApiErrors({ 404: 'user 9b2f… has no delegation; PUT /v1/users/me/delegation sets one' })
  get(@CurrentUser() user: AuthUser): Promise<DelegationView> {
    return this.delegations.get(user);
  }

  @Delete()
  @RateLimitedPerUser('delegation')
  @HttpCode(204)
  @ApiOperation({ summary: 'Ends your delegation: pending requests the delegate has not decided come back to you' })
  @ApiNoContentResponse({ description: 'Ended' })
  @ApiErrors({ 404: 'user 9b2f… has no delegation to end' })
  async remove(@CurrentUser() user: AuthUser): Promise<void> {
    await this.delegations.remove(user);
  }
}
