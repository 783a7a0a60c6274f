import { ConflictException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Customer, Invoice, Payment } from '../../db/entities';
import { AuthUser } from '../auth/current-user.decorator';
import { findOwned } from '../common/owned';
import { paginate } from '../../db/pagination';
import { toCustomerView } from './customer.mapper';
import { CreateCustomerDto, ListCustomersQueryDto, UpdateCustomerDto } from './dto/customer.dto';

@Injectable()
export class CustomersService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async create(user: AuthUser, dto: CreateCustomerDto) {
    const repo = this.dataSource.getRepository(Customer);
    const customer = await repo.save(repo.create({
      companyId: user.companyId, name: dto.name.trim(), email: dto.email?.toLowerCase() ?? null, group: dto.group ?? null,
    }));
    return toCustomerView(customer);
  }

  list(user: AuthUser, query: ListCustomersQueryDto) {
    const qb = this.dataSource.getRepository(Customer).createQueryBuilder('c').where('c.company_id = :companyId', { companyId: user.companyId });
    if (query.group !== undefined) qb.andWhere('c.customer_group = :group', { group: query.group });
    if (query.email !== undefined) qb.andWhere('c.email = :email', { email: query.email.toLowerCase() });
    return paginate(qb, query, toCustomerView);
  }

  async get(user: AuthUser, id: string) {
    return toCustomerView(await this.find(user, id));
  }

  async update(user: AuthUser, id: string, dto: UpdateCustomerDto) {
    const customer = await this.find(user, id);
    if (dto.name !== undefined) customer.name = dto.name.trim();
    if (dto.email !== undefined) customer.email = dto.email?.toLowerCase() ?? null;
    if (dto.group !== undefined) customer.group = dto.group;
    return toCustomerView(await this.dataSource.getRepository(Customer).save(customer));
  }

  async remove(user: AuthUser, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const customer = await findOwned(manager, Customer, user.companyId, id, 'customer', { lock: true });
      const invoices = await manager.getRepository(Invoice).countBy({ customerId: customer.id });
      const payments = await manager.getRepository(Payment).countBy({ customerId: customer.id });
      if (invoices + payments > 0) {
        throw new ConflictException(`customer ${id} has ${invoices} invoice(s) and ${payments} payment(s); delete those first`);
      }
      await manager.getRepository(Customer).delete({ id: customer.id });
    });
  }

  private find(user: AuthUser, id: string): Promise<Customer> {
    return findOwned(this.dataSource.manager, Customer, user.companyId, id, 'customer');
  }
}
