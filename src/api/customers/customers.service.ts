import { ConflictException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Customer } from '../../db/entities';
import { CustomersRepository } from '../../db/customers.repository';
import { mapPage } from '../../db/pagination';
import { SuppressionsRepository } from '../../db/suppressions.repository';
import { type EmailStatus, emailStatusOf } from '../../domain/email-status';
import { AuthUser } from '../auth/current-user.decorator';
import { orNotFound } from '../common/owned';
import { toCustomerView } from './customer.mapper';
import { CreateCustomerDto, ListCustomersQueryDto, UpdateCustomerDto } from './dto/customer.dto';

@Injectable()
export class CustomersService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async create(user: AuthUser, dto: CreateCustomerDto) {
    const email = dto.email?.toLowerCase() ?? null;
    const customer = await new CustomersRepository(this.dataSource).insert({
      companyId: user.companyId, name: dto.name.trim(), email, group: dto.group ?? null,
      remindersEnabled: dto.remindersEnabled ?? true, timezone: dto.timezone ?? null, locale: dto.locale ?? null,
      emailStatus: await this.emailStatusOf(user, email),
    });
    return toCustomerView(customer);
  }

  async list(user: AuthUser, query: ListCustomersQueryDto) {
    const filter = { group: query.group, email: query.email?.toLowerCase() };
    return mapPage(await new CustomersRepository(this.dataSource).findPage(user.companyId, filter, query), toCustomerView);
  }

  async get(user: AuthUser, id: string) {
    return toCustomerView(await this.find(user, id));
  }

  async update(user: AuthUser, id: string, dto: UpdateCustomerDto) {
    const customer = await this.find(user, id);
    if (dto.name !== undefined) customer.name = dto.name.trim();
    if (dto.email !== undefined && (dto.email?.toLowerCase() ?? null) !== customer.email) {
      customer.email = dto.email?.toLowerCase() ?? null;
      customer.emailStatus = await this.emailStatusOf(user, customer.email);
    }
    if (dto.group !== undefined) customer.group = dto.group;
    if (dto.remindersEnabled !== undefined) customer.remindersEnabled = dto.remindersEnabled;
    if (dto.timezone !== undefined) customer.timezone = dto.timezone;
    if (dto.locale !== undefined) customer.locale = dto.locale;
    return toCustomerView(await new CustomersRepository(this.dataSource).save(customer));
  }

  async remove(user: AuthUser, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const customers = new CustomersRepository(manager);
      const customer = orNotFound(await customers.findOwned(user.companyId, id, { lock: true }), 'customer', id);
      const { invoices, payments } = await customers.countRecordsOf(customer.id);
      if (invoices + payments > 0) {
        throw new ConflictException(`customer ${id} has ${invoices} invoice(s) and ${payments} payment(s); delete those first`);
      }
      await customers.delete(customer.id);
    });
  }

  /** A new address starts with what came back from it before: a suppressed one is bounced or complained. */
  private async emailStatusOf(user: AuthUser, email: string | null): Promise<EmailStatus> {
    if (!email) return 'ok';
    return emailStatusOf((await new SuppressionsRepository(this.dataSource).findForAddress(user.companyId, email))?.origin ?? null);
  }

  private async find(user: AuthUser, id: string): Promise<Customer> {
    return orNotFound(await new CustomersRepository(this.dataSource).findOwned(user.companyId, id), 'customer', id);
  }
}
