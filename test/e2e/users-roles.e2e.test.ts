import { closeDb, sql } from '../support/db';
import { createTenant, createUser, Tenant } from '../support/fixtures';
import { Http } from '../support/http';
import { Stack } from '../support/stack';

describe('changing a user (PATCH /v1/users/:id)', () => {
  const stack = new Stack('users-roles');
  let http: Http;

  beforeAll(async () => {
    await stack.start();
    http = new Http(stack.baseUrl);
  });
  afterAll(async () => {
    await closeDb();
    await stack.stop();
  });

  const activeAdmins = async (t: Tenant) =>
    Number((await sql<{ n: string }>(`SELECT count(*)::text AS n FROM users WHERE company_id = $1 AND role = 'admin' AND status = 'active'`, [t.companyId]))[0].n);

  it('promotes and demotes a user, with effect at once on their key, and records each change in the audit trail', async () => {
    const t = await createTenant(http);
    const sam = await createUser(t, 'standard');
    expect((await sam.http.get('/v1/audit-events')).status).toBe(403);

    const promoted = await t.admin.patch(`/v1/users/${sam.id}`, { role: 'admin' });
    expect(promoted.status).toBe(200);
    expect(promoted.body).toMatchObject({ id: sam.id, role: 'admin', status: 'active', name: 'Sam' });
    expect((await sam.http.get('/v1/audit-events')).status).toBe(200);

    const demoted = await t.admin.patch(`/v1/users/${sam.id}`, { role: 'standard' });
    expect(demoted.status).toBe(200);
    expect(demoted.body.role).toBe('standard');
    expect((await sam.http.get('/v1/audit-events')).status).toBe(403);

    // The same role again changes nothing and records nothing.
    expect((await t.admin.patch(`/v1/users/${sam.id}`, { role: 'standard' })).status).toBe(200);
    const trail = await t.admin.get(`/v1/audit-events?type=user.role_changed`);
    expect(trail.status).toBe(200);
    expect(trail.body.data.map((e: { targetId: string; actorId: string; data: unknown }) => [e.targetId, e.actorId, e.data])).toEqual([
      [sam.id, t.adminId, { from: 'admin', to: 'standard' }],
      [sam.id, t.adminId, { from: 'standard', to: 'admin' }],
    ]);
  });

  it('renames a user; refuses a bad name or role with a 400 naming the field, and changes nothing', async () => {
    const t = await createTenant(http);
    const sam = await createUser(t, 'standard');
    const renamed = await t.admin.patch(`/v1/users/${sam.id}`, { name: '  Samuel Standard ' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'Samuel Standard', role: 'standard' });
    for (const [body, message] of [
      [{ name: '' }, 'name must not be empty'],
      [{ name: '   ' }, 'name must not be empty'],
      [{ name: null }, 'name must be a string'],
      [{ name: 'x'.repeat(201) }, 'name must be shorter than or equal to 200 characters'],
      [{ role: 'owner' }, 'role must be "admin" or "standard"'],
      [{ role: null }, 'role must be "admin" or "standard"'],
      [{ email: 'new@acme.test' }, 'property email should not exist'],
    ] as const) {
      const res = await t.admin.patch(`/v1/users/${sam.id}`, body);
      expect({ body, status: res.status, message: res.body.message }).toEqual({ body, status: 400, message: expect.stringContaining(message) });
    }
    expect((await t.admin.get(`/v1/users/${sam.id}`)).body).toMatchObject({ name: 'Samuel Standard', role: 'standard' });
  });

  it('is for admins only, and another company\'s user is a 404', async () => {
    const t = await createTenant(http);
    const other = await createTenant(http);
    const sam = await createUser(t, 'standard');
    const own = await sam.http.patch(`/v1/users/${sam.id}`, { role: 'admin' });
    expect(own.status).toBe(403);
    expect((await sam.http.patch(`/v1/users/${t.adminId}`, { role: 'standard' })).status).toBe(403);
    const foreign = await t.admin.patch(`/v1/users/${other.adminId}`, { role: 'standard' });
    expect(foreign.status).toBe(404);
    expect(foreign.body.message).toBe(`user ${other.adminId} not found`);
    expect((await t.admin.patch('/v1/users/00000000-0000-4000-8000-000000000000', { name: 'X' })).status).toBe(404);
    expect((await other.admin.get('/v1/users/me')).body.role).toBe('admin');
    expect((await t.admin.get(`/v1/users/${sam.id}`)).body.role).toBe('standard');
  });

  it('refuses to demote the last active admin, themselves included; a deactivated admin does not count', async () => {
    const t = await createTenant(http);
    const self = await t.admin.patch(`/v1/users/${t.adminId}`, { role: 'standard' });
    expect(self.status).toBe(409);
    expect(self.body.message).toBe(`user ${t.adminId} is the last active admin of the company; make another user admin first`);

    const bea = await createUser(t, 'admin', 'Bea');
    expect((await t.admin.post(`/v1/users/${bea.id}/deactivate`, {})).status).toBe(200);
    expect((await t.admin.patch(`/v1/users/${t.adminId}`, { role: 'standard' })).status).toBe(409);
    // A deactivated user's role may change: it is no active admin, and reactivation gives it back with this role.
    const demoted = await t.admin.patch(`/v1/users/${bea.id}`, { role: 'standard' });
    expect(demoted.status).toBe(200);
    expect(demoted.body).toMatchObject({ role: 'standard', status: 'inactive' });

    const cid = await createUser(t, 'admin', 'Cid');
    const stepDown = await t.admin.patch(`/v1/users/${t.adminId}`, { role: 'standard' });
    expect(stepDown.status).toBe(200);
    expect((await t.admin.get('/v1/audit-events')).status).toBe(403);
    expect((await cid.http.patch(`/v1/users/${cid.id}`, { role: 'standard' })).status).toBe(409);
    expect(await activeAdmins(t)).toBe(1);
  });

  /**
   * Requests at once: exactly one wins; the other is refused, as the last admin's demotion (409) or, when it reached
   * the API after the winner's commit, as no admin any more (403) or no user any more (401). One active admin remains.
   */
  function oneWins(answers: { status: number; body: { message?: string } }[]) {
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    const refused = answers.find((a) => a.status !== 200)!;
    expect([401, 403, 409]).toContain(refused.status);
    if (refused.status === 409) expect(refused.body.message).toContain('last active admin');
  }

  it('leaves an admin when two admins demote each other at once', async () => {
    const t = await createTenant(http);
    for (let round = 0; round < 5; round++) {
      const bea = await createUser(t, 'admin', `Bea${round}`);
      // Both keys authenticated just before, so that both requests reach their transactions at once.
      await Promise.all([t.admin.get('/v1/users/me'), bea.http.get('/v1/users/me')]);
      const answers = await Promise.all([
        t.admin.patch(`/v1/users/${bea.id}`, { role: 'standard' }),
        bea.http.patch(`/v1/users/${t.adminId}`, { role: 'standard' }),
      ]);
      oneWins(answers);
      expect(await activeAdmins(t)).toBe(1);
      // Bea won: she gives Ada her role back and Ada demotes her, so that the next round starts with Ada the only admin.
      if (answers[1].status === 200) {
        expect((await bea.http.patch(`/v1/users/${t.adminId}`, { role: 'admin' })).status).toBe(200);
        expect((await t.admin.patch(`/v1/users/${bea.id}`, { role: 'standard' })).status).toBe(200);
      }
      expect(await activeAdmins(t)).toBe(1);
    }
  });

  it('serialises a demotion with a deactivation of the other admin: one active admin remains', async () => {
    const t = await createTenant(http);
    const bea = await createUser(t, 'admin', 'Bea');
    await Promise.all([t.admin.get('/v1/users/me'), bea.http.get('/v1/users/me')]);
    const answers = await Promise.all([
      t.admin.post(`/v1/users/${bea.id}/deactivate`, {}),
      bea.http.patch(`/v1/users/${t.adminId}`, { role: 'standard' }),
    ]);
    oneWins(answers);
    expect(await activeAdmins(t)).toBe(1);
  });
});
