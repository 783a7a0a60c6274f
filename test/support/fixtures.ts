import { randomUUID } from 'node:crypto';
import { Http } from './http';

export interface Tenant {
  companyId: string;
  adminId: string;
  adminEmail: string;
  admin: Http;
  company: Record<string, unknown>;
}

/** A fresh company with its first admin; every e2e test works in its own tenant. */
export async function createTenant(
  http: Http,
  company: Partial<{ name: string; locale: string; timezone: string; currency: string; plan: string }> = {},
): Promise<Tenant> {
  const tag = randomUUID().slice(0, 8);
  const adminEmail = `admin-${tag}@acme.test`;
  const res = await http.post('/v1/companies', {
    company: { name: `Acme ${tag}`, locale: 'en-US', timezone: 'America/Toronto', currency: 'CAD', plan: 'advanced', ...company },
    admin: { name: 'Ada Admin', email: adminEmail },
  });
  if (res.status !== 201) throw new Error(`creating a company failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { companyId: res.body.company.id, adminId: res.body.user.id, adminEmail, admin: http.as(res.body.apiKey), company: res.body.company };
}

/** A user of the tenant (invited: emailed a sign-in link) with an API key an admin issued for it. */
export async function createUser(tenant: Tenant, role: 'admin' | 'standard', name = 'Sam'): Promise<{ id: string; email: string; http: Http }> {
  const email = `${name.toLowerCase()}-${randomUUID().slice(0, 8)}@acme.test`;
  const res = await tenant.admin.post('/v1/users', { name, email, role });
  if (res.status !== 201) throw new Error(`creating a user failed: ${res.status} ${JSON.stringify(res.body)}`);
  const key = await tenant.admin.post(`/v1/users/${res.body.user.id}/api-keys`);
  if (key.status !== 201) throw new Error(`issuing the user's key failed: ${key.status} ${JSON.stringify(key.body)}`);
  return { id: res.body.user.id, email, http: tenant.admin.as(key.body.apiKey) };
}
