import { Body, Controller, Get, Ip, Patch, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiProperty, ApiSchema, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../auth/admin-only.decorator';
import { AuthUser, CurrentUser } from '../auth/current-user.decorator';
import { Public } from '../auth/public.decorator';
import { ApiErrors, text } from '../common/api-docs';
import { UserView, userExample } from '../users/user.mapper';
import { CompaniesService } from './companies.service';
import { companyExample, CompanyView } from './company.mapper';
import { CreateCompanyDto, UpdateCompanyDto } from './dto/company.dto';
import { Idempotent } from '../common/idempotency.interceptor';
import { SIGNUP_TOKEN_HEADER, SignupGuard } from './signup.guard';

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
  @UseGuards(SignupGuard)
  @ApiHeader({ name: SIGNUP_TOKEN_HEADER, required: false, description: 'the sign-up token, where the server takes sign-ups by invitation only (RELANCE_SIGNUP=token)' })
  @ApiErrors({
    400: 'locale must be one of en-US, fr-CA',
    401: `sign-up on this server needs an invitation: send its token in the ${SIGNUP_TOKEN_HEADER} header`,
    403: 'sign-up is closed on this server: ask its operator to create your company',
    429: 'too many sign-ups from this address: at most 10 an hour; try again in 3600 s',
  })
  create(@Body() dto: CreateCompanyDto, @Ip() ip: string): Promise<CreatedCompanyView> {
    return this.companies.create(dto, ip);
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
