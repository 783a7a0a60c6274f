import { ConflictException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Vendor } from '../../db/entities';
import { mapPage } from '../../db/pagination';
import { VendorsRepository } from '../../db/vendors.repository';
import { AuthUser } from '../auth/current-user.decorator';
import { orNotFound } from '../common/owned';
import { CreateVendorDto, ListVendorsQueryDto, UpdateVendorDto } from './dto/vendor.dto';
import { toVendorView } from './vendor.mapper';

@Injectable()
export class VendorsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async create(user: AuthUser, dto: CreateVendorDto) {
    return toVendorView(await new VendorsRepository(this.dataSource).insert({
      companyId: user.companyId, name: dto.name.trim(), email: dto.email?.toLowerCase() ?? null,
    }));
  }

  async list(user: AuthUser, query: ListVendorsQueryDto) {
    return mapPage(await new VendorsRepository(this.dataSource).findPage(user.companyId, query), toVendorView);
  }

  async get(user: AuthUser, id: string) {
    return toVendorView(await this.find(user, id));
  }

  async update(user: AuthUser, id: string, dto: UpdateVendorDto) {
    const vendor = await this.find(user, id);
    if (dto.name !== undefined) vendor.name = dto.name.trim();
    if (dto.email !== undefined) vendor.email = dto.email?.toLowerCase() ?? null;
    return toVendorView(await new VendorsRepository(this.dataSource).save(vendor));
  }

  async remove(user: AuthUser, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const vendors = new VendorsRepository(manager);
      const vendor = orNotFound(await vendors.findOwned(user.companyId, id, { lock: true }), 'vendor', id);
      const bills = await vendors.countBillsOf(vendor.id);
      if (bills > 0) throw new ConflictException(`vendor ${id} has ${bills} bill(s); delete them first`);
      await vendors.delete(vendor.id);
    });
  }

  private async find(user: AuthUser, id: string): Promise<Vendor> {
    return orNotFound(await new VendorsRepository(this.dataSource).findOwned(user.companyId, id), 'vendor', id);
  }
}
