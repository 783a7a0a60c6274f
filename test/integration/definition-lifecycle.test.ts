import { INestApplication, ValidationPipe } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AddressInfo } from 'node:net';
import { AppModule } from '../../src/api/app.module';
import { ApiExceptionFilter } from '../../src/api/common/api-exception.filter';
import { DEFINITION_LIFECYCLE, DefinitionLifecycle } from '../../src/api/workflows/definition-lifecycle';
import { loadConfig } from '../../src/config';
import type { WorkflowDefinition } from '../../src/db/entities';
import { createTenant, Tenant } from '../support/fixtures';
import { Http } from '../support/http';

type Hook = 'activated' | 'deactivated' | 'updated' | 'deleted';

/** Stands in for the Temporal Schedule binding: records each call, and can fail one to show the change rolls back. */
class RecordingLifecycle implements DefinitionLifecycle {
  calls: Array<{ hook: Hook; id: string; status: string; name: string }> = [];
  failNext: Hook | null = null;

  private record(hook: Hook, d: WorkflowDefinition): Promise<void> {
    if (this.failNext === hook) {
      this.failNext = null;
      return Promise.reject(new Error('schedule service unavailable'));
    }
    this.calls.push({ hook, id: d.id, status: d.status, name: d.name });
    return Promise.resolve();
  }

  onActivated = (d: WorkflowDefinition) => this.record('activated', d);
  onDeactivated = (d: WorkflowDefinition) => this.record('deactivated', d);
  onUpdated = (d: WorkflowDefinition) => this.record('updated', d);
  onDeleted = (d: WorkflowDefinition) => this.record('deleted', d);
}

describe('DefinitionLifecycle: one hook per transition, inside the transaction', () => {
  const lifecycle = new RecordingLifecycle();
  let app: INestApplication;
  let tenant: Tenant;

  beforeAll(async () => {
    // Sign-ups are counted per client address in the database every suite shares, and every suite signs up from
    // 127.0.0.1: this app takes a limit no other suite's sign-ups can reach (as test/support/stack.ts gives its stacks).
    const env = { ...process.env, PORT: '0', RELANCE_SIGNUP_RATE: '1000000' };
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(loadConfig(env))] })
      .overrideProvider(DEFINITION_LIFECYCLE).useValue(lifecycle)
      .compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
    app.useGlobalFilters(new ApiExceptionFilter());
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    tenant = await createTenant(new Http(`http://127.0.0.1:${port}`));
  });
  afterAll(() => app?.close());

  it('tells the hook about the active defaults of a new company', () => {
    expect(lifecycle.calls.map((c) => [c.hook, c.status])).toEqual([['activated', 'active'], ['activated', 'active']]);
  });

  it('calls exactly one hook for each change, and none when nothing changes', async () => {
    lifecycle.calls = [];
    const created = await tenant.admin.post('/v1/workflows', { templateKey: 'payment-due-reminder', name: 'One' });
    const id = created.body.id;
    expect(lifecycle.calls).toEqual([]);
    await tenant.admin.post(`/v1/workflows/${id}/activate`);
    await tenant.admin.post(`/v1/workflows/${id}/activate`);
    await tenant.admin.patch(`/v1/workflows/${id}`, { name: 'Two' });
    await tenant.admin.post(`/v1/workflows/${id}/deactivate`);
    await tenant.admin.post(`/v1/workflows/${id}/deactivate`);
    await tenant.admin.delete(`/v1/workflows/${id}`);
    const active = await tenant.admin.post('/v1/workflows', { templateKey: 'payment-due-reminder', name: 'Three', activate: true });
    expect(lifecycle.calls).toEqual([
      { hook: 'activated', id, status: 'active', name: 'One' },
      { hook: 'updated', id, status: 'active', name: 'Two' },
      { hook: 'deactivated', id, status: 'inactive', name: 'Two' },
      { hook: 'deleted', id, status: 'inactive', name: 'Two' },
      { hook: 'activated', id: active.body.id, status: 'active', name: 'Three' },
    ]);
  });

  it('rolls the change back when the hook fails', async () => {
    const created = await tenant.admin.post('/v1/workflows', { templateKey: 'payment-due-reminder', name: 'Fragile' });
    const id = created.body.id;
    lifecycle.failNext = 'activated';
    expect((await tenant.admin.post(`/v1/workflows/${id}/activate`)).status).toBe(500);
    expect((await tenant.admin.get(`/v1/workflows/${id}`)).body.status).toBe('draft');

    expect((await tenant.admin.post(`/v1/workflows/${id}/activate`)).status).toBe(200);
    lifecycle.failNext = 'deleted';
    expect((await tenant.admin.delete(`/v1/workflows/${id}`)).status).toBe(500);
    expect((await tenant.admin.get(`/v1/workflows/${id}`)).body.status).toBe('active');
  });
});
