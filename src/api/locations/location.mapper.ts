import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { Location } from '../../db/entities';
import { dateTime, text, uuid } from '../common/api-docs';

@ApiSchema({ name: 'Location' })
export class LocationView {
  @ApiProperty(uuid) id!: string;
  @ApiProperty({ ...text, example: 'Montréal' }) name!: string;
  @ApiProperty(dateTime) createdAt!: string;
  @ApiProperty(dateTime) updatedAt!: string;
}

export function toLocationView(l: Location): LocationView {
  return { id: l.id, name: l.name, createdAt: l.createdAt.toISOString(), updatedAt: l.updatedAt.toISOString() };
}

export const locationExample: LocationView = {
  id: 'b7e4a1c2-9d3f-4a6b-8c5e-1f2a3b4c5d60', name: 'Montréal',
  createdAt: '2026-11-28T12:00:00.000Z', updatedAt: '2026-11-28T12:00:00.000Z',
};
