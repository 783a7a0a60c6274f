import { ConflictException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Bill, Vendor } from '../../db/entities';
import { AuthUser } from '../auth/current-user.decorator';
import { findOwned } from '../common/owned';
import { paginate } from '../../db/pagination';
import { CreateVendorDto, ListVendorsQueryDto, UpdateVendorDto } from './dto/vendor.dto';
import { toVendorView } from './vendor.mapper';

@Injectable()
export class VendorsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async create(user: AuthUser, dto: CreateVendorDto) {
    const repo = this.dataSource.getRepository(Vendor);
    return toVendorView(await repo.save(repo.create({ companyId: user.companyId, name: dto.name.trim(), email: dto.email?.toLowerCase() ?? null })));
  }

  list(user: AuthUser, query: ListVendorsQueryDto) {
    const qb = this.dataSource.getRepository(Vendor).createQueryBuilder('v').where('v.company_id = :companyId', { companyId: user.companyId });
    return paginate(qb, query, toVendorView);
  }

  async get(user: AuthUser, id: string) {
    return toVendorView(await findOwned(this.dataSource.manager, Vendor, user.companyId, id, 'vendor'));
  }

  async update(user: AuthUser, id: string, dto: UpdateVendorDto) {
    const vendor = await findOwned(this.dataSource.manager, Vendor, user.companyId, id, 'vendor');
    if (dto.name !== undefined) vendor.name = dto.name.trim();
    if (dto.email !== undefined) vendor.email = dto.email?.toLowerCase() ?? null;
    return toVendorView(await this.dataSource.getRepository(Vendor).save(vendor));
  }

  async remove(user: AuthUser, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const vendor = await findOwned(manager, Vendor, user.companyId, id, 'vendor', { lock: true });
      const bills = await manager.getRepository(Bill).countBy({ vendorId: vendor.id });
      if (bills > 0) throw new ConflictException(`vendor ${id} has ${bills} bill(s); delete them first`);
      await manager.getRepository(Vendor).delete({ id: vendor.id });
    });
  }
}
