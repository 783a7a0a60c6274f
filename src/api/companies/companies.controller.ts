import { Body, Controller, Get, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiSchema, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../auth/admin-only.decorator';
import { AuthUser, CurrentUser } from '../auth/current-user.decorator';
import { Public } from '../auth/public.decorator';
import { ApiErrors, text } from '../common/api-docs';
import { UserView, userExample } from '../users/user.mapper';
import { CompaniesService } from './companies.service';
import { companyExample, CompanyView } from './company.mapper';
import { CreateCompanyDto, UpdateCompanyDto } from './dto/company.dto';
import { Idempotent } from '../common/idempotency.interceptor';

/** `POST /v1/companies`: the company, its first admin and that admin's API key, shown once. */
@ApiSchema({ name: 'CreatedCompany' })
export class CreatedCompanyView {
  @ApiProperty({ type: CompanyView }) company!: CompanyView;
  @ApiProperty({ type: UserView }) user!: UserView;
  @ApiProperty({ ...text, example: 'rlk_a1B2c3D4_…' }) apiKey!: string;
}

@ApiTags('companies')
@Controller('v1/companies')
export class CompaniesController {
  constructor(private readonly companies: CompaniesService) {}

  @Post()
  @Idempotent()
  @Public()
  @ApiOperation({ summary: 'Creates a company (tenant) with its first admin; returns that admin\'s API key, shown once' })
  @ApiCreatedResponse({
    type: CreatedCompanyView,
    example: { company: companyExample, user: { ...userExample, role: 'admin' }, apiKey: 'rlk_a1B2c3D4_…' },
  })
  @ApiErrors({ 400: 'locale must be one of en-US, fr-CA' })
  create(@Body() dto: CreateCompanyDto): Promise<CreatedCompanyView> {
    return this.companies.create(dto);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The caller\'s company' })
  @ApiOkResponse({ type: CompanyView, example: companyExample })
  me(@CurrentUser() user: AuthUser) {
    return this.companies.get(user);
  }

  @Patch('me')
  @AdminOnly()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Changes the caller\'s company; downgrading to essentials deactivates every workflow' })
  @ApiOkResponse({ type: CompanyView, example: companyExample })
  @ApiErrors({ 409: 'the company cannot move to essentials while invoices are pending approval' })
  update(@CurrentUser() user: AuthUser, @Body() dto: UpdateCompanyDto) {
    return this.companies.update(user, dto);
  }
}
