import { Body, Controller, Get, Patch, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse, ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AdminOnly } from '../auth/admin-only.decorator';
import { AuthUser, CurrentUser } from '../auth/current-user.decorator';
import { Public } from '../auth/public.decorator';
import { CompaniesService } from './companies.service';
import { CreateCompanyDto, UpdateCompanyDto } from './dto/company.dto';
import { Idempotent } from '../common/idempotency.interceptor';

const companyExample = {
  id: '6f1c…', name: 'Acme Inc.', locale: 'en-US', timezone: 'America/Toronto', currency: 'CAD', plan: 'advanced',
  webhookUrl: null, createdAt: '2026-11-28T12:00:00.000Z', updatedAt: '2026-11-28T12:00:00.000Z',
};

@ApiTags('companies')
@Controller('v1/companies')
export class CompaniesController {
  constructor(private readonly companies: CompaniesService) {}

  @Post()
  @Idempotent()
  @Public()
  @ApiOperation({ summary: 'Creates a company (tenant) with its first admin; returns that admin\'s API key, shown once' })
  @ApiCreatedResponse({ schema: { example: { company: companyExample, user: { id: '…', role: 'admin' }, apiKey: 'rlk_…' } } })
  @ApiBadRequestResponse({ description: 'Invalid field (named in message)' })
  create(@Body() dto: CreateCompanyDto) {
    return this.companies.create(dto);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOkResponse({ schema: { example: companyExample } })
  @ApiUnauthorizedResponse({ description: 'Missing, unknown or revoked API key' })
  me(@CurrentUser() user: AuthUser) {
    return this.companies.get(user);
  }

  @Patch('me')
  @AdminOnly()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Changes the caller\'s company; downgrading to essentials deactivates every workflow' })
  @ApiOkResponse({ schema: { example: companyExample } })
  @ApiConflictResponse({ description: 'Downgrade refused while invoices are pending approval' })
  update(@CurrentUser() user: AuthUser, @Body() dto: UpdateCompanyDto) {
    return this.companies.update(user, dto);
  }
}
