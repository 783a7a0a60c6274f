import { BadRequestException } from '@nestjs/common';
import { CreateCompanyDto } from '../companies/dto/company.dto';
import { MemoValidationPipe } from './validation.pipe';
import { isDateOnly } from './validators';

describe('isDateOnly', () => {
  it('takes every calendar day, the years 0001-0099 included, and refuses days that do not exist', () => {
    expect(['2026-12-01', '2028-02-29', '0027-03-13', '0001-01-01', '9999-12-31'].filter((d) => !isDateOnly(d))).toEqual([]);
    expect(['2026-02-30', '2027-02-29', '2026-13-01', '2026-1-01', '0027-02-29', 20261201, null].filter((d) => isDateOnly(d))).toEqual([]);
  });
});

describe('the open sign-up against long input', () => {
  const pipe = new MemoValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true });
  const long = (prefix: string) => `${prefix}${'a.'.repeat(100_000)}`;

  // class-validator runs every decorator of a field, MaxLength or not: each check must bound its own work. validator.js
  // refuses an address over 254 characters before its patterns read it; the others are not patterns.
  it('refuses 200 kB in every text field, each for its own reason', async () => {
    const body = {
      company: { name: long('Acme'), locale: long('en-US'), timezone: long('America/'), currency: long('CAD'), plan: long('advanced') },
      admin: { name: long('Ada'), email: long('ada@') },
    };
    const refused = await pipe.transform(body, { type: 'body', metatype: CreateCompanyDto }).then(() => null, (err: BadRequestException) => err);
    expect(refused).toBeInstanceOf(BadRequestException);
    const messages = (refused!.getResponse() as { message: string[] }).message;
    expect(messages).toEqual(expect.arrayContaining([
      'company.name must be shorter than or equal to 200 characters', 'company.locale must be one of en-US, fr-CA',
      expect.stringContaining('company.timezone must be an IANA time zone'), expect.stringContaining('company.currency must be an ISO 4217 currency code'),
      'company.plan must be "advanced" or "essentials"', 'admin.name must be shorter than or equal to 200 characters',
      expect.stringContaining('email must be an email address'), 'admin.email must be shorter than or equal to 320 characters',
    ]));
  });
});
