import { ConflictException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Bill, Invoice, Location } from '../../db/entities';
import { AuthUser } from '../auth/current-user.decorator';
import { findOwned } from '../common/owned';
import { paginate } from '../../db/pagination';
import { CreateLocationDto, ListLocationsQueryDto, UpdateLocationDto } from './dto/location.dto';
import { toLocationView } from './location.mapper';

@Injectable()
export class LocationsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async create(user: AuthUser, dto: CreateLocationDto) {
    const repo = this.dataSource.getRepository(Location);
    return toLocationView(await repo.save(repo.create({ companyId: user.companyId, name: dto.name.trim() })));
  }

  list(user: AuthUser, query: ListLocationsQueryDto) {
    const qb = this.dataSource.getRepository(Location).createQueryBuilder('l').where('l.company_id = :companyId', { companyId: user.companyId });
    return paginate(qb, query, toLocationView);
  }

  async get(user: AuthUser, id: string) {
    return toLocationView(await findOwned(this.dataSource.manager, Location, user.companyId, id, 'location'));
  }

  async update(user: AuthUser, id: string, dto: UpdateLocationDto) {
    const location = await findOwned(this.dataSource.manager, Location, user.companyId, id, 'location');
    if (dto.name !== undefined) location.name = dto.name.trim();
    return toLocationView(await this.dataSource.getRepository(Location).save(location));
  }

  async remove(user: AuthUser, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const location = await findOwned(manager, Location, user.companyId, id, 'location', { lock: true });
      const invoices = await manager.getRepository(Invoice).countBy({ locationId: location.id });
      const bills = await manager.getRepository(Bill).countBy({ locationId: location.id });
      if (invoices + bills > 0) {
        throw new ConflictException(`location ${id} is used by ${invoices} invoice(s) and ${bills} bill(s); move or delete them first`);
      }
      await manager.getRepository(Location).delete({ id: location.id });
    });
  }
}
