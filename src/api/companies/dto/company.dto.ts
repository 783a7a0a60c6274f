import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsMoney } from '../../common/validators';
import {
  IsEmail, IsIn, IsNotEmpty, IsObject, IsOptional, IsString, IsUrl, MaxLength, registerDecorator, ValidateIf, ValidateNested,
} from 'class-validator';
import { SUPPORTED_LOCALES } from '../../../domain/locales';
import { canonicalTimeZone } from '../../../domain/time-zones';
import { IsOmittable } from '../../common/optional';
import { SendWindowError, validateSendWindow, WEEKDAYS } from '../../../domain/send-window';
import { currency, email, nullable, text, timezone } from '../../common/api-docs';

function sendWindowProblem(v: unknown): string | null {
  try {
    validateSendWindow(v);
    return null;
  } catch (err) {
    if (err instanceof SendWindowError) return err.message;
    throw err;
  }
}

/** `{ from, to, days }` as src/domain/send-window.ts checks it; its message names the culprit. */
function IsSendWindow(): PropertyDecorator {
  return (target, propertyName) => registerDecorator({
    name: 'isSendWindow', target: target.constructor, propertyName: propertyName as string,
    validator: { validate: (v: unknown) => sendWindowProblem(v) === null, defaultMessage: (a) => sendWindowProblem(a?.value) ?? 'sendWindow is not valid' },
  });
}

@ApiSchema({ name: 'SendWindow' })
export class SendWindowDto {
  @ApiProperty({ type: 'string', pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', example: '08:00' }) from!: string;
  @ApiProperty({ type: 'string', pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', example: '18:00', description: 'After from; the window closes at this minute' }) to!: string;
  @ApiProperty({ type: 'string', isArray: true, enum: WEEKDAYS, example: ['mon', 'tue', 'wed', 'thu', 'fri'] }) days!: string[];
}

/** A zone `canonicalTimeZone` knows, stored as its canonical zone (an alias is answered as the zone it names). */
export function IsTimezone(): PropertyDecorator {
  return (target, propertyName) => {
    Transform(({ value }: { value: unknown }) => canonicalTimeZone(value) ?? value)(target, propertyName);
    registerDecorator({
      name: 'isTimezone', target: target.constructor, propertyName: propertyName as string,
      validator: {
        validate: (v: unknown) => canonicalTimeZone(v) !== undefined,
        defaultMessage: (a) => `${a?.property} must be an IANA time zone such as "America/Toronto", got ${JSON.stringify(a?.value)}`,
      },
    });
  };
}

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

function IsCurrency(): PropertyDecorator {
  return (target, propertyName) => registerDecorator({
    name: 'isCurrency', target: target.constructor, propertyName: propertyName as string,
    validator: {
      validate: (v: unknown) => typeof v === 'string' && CURRENCIES.has(v),
      defaultMessage: (a) => `${a?.property} must be an ISO 4217 currency code such as "USD" or "CAD", got ${JSON.stringify(a?.value)}`,
    },
  });
}

const localeMessage = { message: `locale must be one of ${SUPPORTED_LOCALES.join(', ')}` };

export class CompanyInputDto {
  @ApiProperty({ ...text, maxLength: 200, minLength: 1, example: 'Acme Inc.' })
  @IsString() @IsNotEmpty({ message: 'company.name must not be empty' }) @MaxLength(200)
  name!: string;

  @ApiProperty({ enum: SUPPORTED_LOCALES, example: 'en-US' })
  @IsIn(SUPPORTED_LOCALES, localeMessage)
  locale!: string;

  @ApiProperty({ ...timezone })
  @IsTimezone()
  timezone!: string;

  @ApiProperty({ ...currency })
  @IsCurrency()
  currency!: string;

  @ApiPropertyOptional({ type: String, enum: ['advanced', 'essentials'], default: 'advanced', description: 'Omitted: advanced' })
  @IsOmittable() @IsIn(['advanced', 'essentials'], { message: 'plan must be "advanced" or "essentials"' })
  plan?: 'advanced' | 'essentials';
}

export class AdminInputDto {
  @ApiProperty({ ...text, maxLength: 200, minLength: 1, example: 'Ada Admin' })
  @IsString() @IsNotEmpty({ message: 'admin.name must not be empty' }) @MaxLength(200)
  name!: string;

  @ApiProperty({ ...email, maxLength: 320, example: 'ada@acme.test' })
  @IsEmail({}, { message: 'admin.email must be an email address' }) @MaxLength(320)
  email!: string;
}

export class CreateCompanyDto {
  @ApiProperty({ type: CompanyInputDto })
  @IsObject({ message: 'company must be an object with name, locale, timezone, currency and plan' })
  @ValidateNested() @Type(() => CompanyInputDto)
  company!: CompanyInputDto;

  @ApiProperty({ type: AdminInputDto })
  @IsObject({ message: 'admin must be an object with name and email' })
  @ValidateNested() @Type(() => AdminInputDto)
  admin!: AdminInputDto;
}

export class UpdateCompanyDto {
  @ApiPropertyOptional({ ...text, minLength: 1, maxLength: 200 }) @IsOmittable() @IsString() @IsNotEmpty({ message: 'name must not be empty' }) @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ enum: SUPPORTED_LOCALES }) @IsOmittable() @IsIn(SUPPORTED_LOCALES, localeMessage)
  locale?: string;

  @ApiPropertyOptional({ ...timezone }) @IsOmittable() @IsTimezone()
  timezone?: string;

  @ApiPropertyOptional({ ...currency }) @IsOmittable() @IsCurrency()
  currency?: string;

  @ApiPropertyOptional({ enum: ['advanced', 'essentials'] })
  @IsOmittable() @IsIn(['advanced', 'essentials'], { message: 'plan must be "advanced" or "essentials"' })
  plan?: 'advanced' | 'essentials';

  @ApiPropertyOptional({ ...nullable(text), format: 'uri', description: 'HTTPS endpoint that receives signed push notifications; null removes it' })
  @IsOptional() @ValidateIf((_, v) => v !== null)
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }, { message: 'webhookUrl must be an http(s) URL' })
  webhookUrl?: string | null;

  @ApiPropertyOptional({
    type: String, nullable: true, pattern: '^\\d+(\\.\\d{1,2})?$', example: '5000.00',
    description: 'invoices above this amount are not decided from an approval email, only through the API; null = no limit',
  })
  @IsOptional() @ValidateIf((_, v) => v !== null)
  @IsMoney({ message: 'emailApprovalLimit must be a decimal string such as "5000.00" (at most 2 decimals), or null' })
  emailApprovalLimit?: string | null;

  @ApiPropertyOptional({
    type: SendWindowDto, nullable: true,
    description: "When customer emails may go, in each customer's timezone (default the company's); one due outside it waits for its next opening. null: any time.",
  })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsSendWindow()
  sendWindow?: SendWindowDto | null;
}
