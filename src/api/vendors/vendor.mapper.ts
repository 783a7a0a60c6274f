import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { Vendor } from '../../db/entities';
import { dateTime, nullable, text, uuid } from '../common/api-docs';

@ApiSchema({ name: 'Vendor' })
export class VendorView {
  @ApiProperty(uuid) id!: string;
  @ApiProperty({ ...text, example: 'Initech Supplies' }) name!: string;
  @ApiProperty({ ...nullable(text), format: 'email', example: 'ar@initech.test' }) email!: string | null;
  @ApiProperty(dateTime) createdAt!: string;
  @ApiProperty(dateTime) updatedAt!: string;
}

export function toVendorView(v: Vendor): VendorView {
  return { id: v.id, name: v.name, email: v.email, createdAt: v.createdAt.toISOString(), updatedAt: v.updatedAt.toISOString() };
}

export const vendorExample: VendorView = {
  id: '8d2b6f3e-0c4a-4e7b-b1d9-5a3c7e2f9b10', name: 'Initech Supplies', email: 'ar@initech.test',
  createdAt: '2026-11-28T12:00:00.000Z', updatedAt: '2026-11-28T12:00:00.000Z',
};
