import { Vendor } from '../../db/entities';

export function toVendorView(v: Vendor) {
  return { id: v.id, name: v.name, email: v.email, createdAt: v.createdAt.toISOString(), updatedAt: v.updatedAt.toISOString() };
}

export const vendorExample: ReturnType<typeof toVendorView> = {
  id: '8d2b6f3e-0c4a-4e7b-b1d9-5a3c7e2f9b10', name: 'Initech Supplies', email: 'ar@initech.test',
  createdAt: '2026-11-28T12:00:00.000Z', updatedAt: '2026-11-28T12:00:00.000Z',
};
