import { ConflictException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Location } from '../../db/entities';
import { LocationsRepository } from '../../db/locations.repository';
import { mapPage } from '../../db/pagination';
import { AuthUser } from '../auth/current-user.decorator';
import { orNotFound } from '../common/owned';
import { CreateLocationDto, ListLocationsQueryDto, UpdateLocationDto } from './dto/location.dto';
import { toLocationView } from './location.mapper';

@Injectable()
export class LocationsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async create(user: AuthUser, dto: CreateLocationDto) {
    return toLocationView(await new LocationsRepository(this.dataSource).insert({ companyId: user.companyId, name: dto.name.trim() }));
  }

  async list(user: AuthUser, query: ListLocationsQueryDto) {
    return mapPage(await new LocationsRepository(this.dataSource).findPage(user.companyId, query), toLocationView);
  }

  async get(user: AuthUser, id: string) {
    return toLocationView(await this.find(user, id));
  }

  async update(user: AuthUser, id: string, dto: UpdateLocationDto) {
    const location = await this.find(user, id);
    if (dto.name !== undefined) location.name = dto.name.trim();
    return toLocationView(await new LocationsRepository(this.dataSource).save(location));
  }

  async remove(user: AuthUser, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const locations = new LocationsRepository(manager);
      const location = orNotFound(await locations.findOwned(user.companyId, id, { lock: true }), 'location', id);
      const { invoices, bills } = await locations.countRecordsAt(location.id);
      if (invoices + bills > 0) {
        throw new ConflictException(`location ${id} is used by ${invoices} invoice(s) and ${bills} bill(s); move or delete them first`);
      }
      await locations.delete(location.id);
    });
  }

  private async find(user: AuthUser, id: string): Promise<Location> {
    return orNotFound(await new LocationsRepository(this.dataSource).findOwned(user.companyId, id), 'location', id);
  }
}
