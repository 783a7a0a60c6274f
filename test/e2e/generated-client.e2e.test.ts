import createClient from 'openapi-fetch';
import { randomUUID } from 'node:crypto';
import type { components, paths } from '../support/api-schema';
import { Stack } from '../support/stack';
import { until } from '../support/until';

type Client = ReturnType<typeof createClient<paths>>;

/**
 * The contract proved by a client nobody wrote by hand: openapi-fetch over the types openapi-typescript generated from
 * openapi.json (`npm run openapi`) runs the seed's approval cycle against the real API and worker. tsc type-checks every
 * path, parameter, body and answer below against the document.
 */
describe('a client generated from openapi.json', () => {
  const stack = new Stack('generated-client');

  beforeAll(() => stack.start());
  afterAll(() => stack.stop());

  const as = (apiKey: string): Client => createClient<paths>({ baseUrl: stack.baseUrl, headers: { authorization: `Bearer ${apiKey}` } });

  /** The answer's data, or the test fails with the Error body the document promises. */
  function ok<T>(result: { data?: T; error?: components['schemas']['Error'] | unknown; response: Response }): T {
    if (result.data === undefined) throw new Error(`${result.response.status}: ${JSON.stringify(result.error)}`);
    return result.data;
  }

  it('signs up, defines the approval, submits an invoice, approves it and reads the approval view', async () => {
    const tag = randomUUID().slice(0, 8);
    const signUp = ok(await createClient<paths>({ baseUrl: stack.baseUrl }).POST('/v1/companies', {
      body: {
        company: { name: `Acme ${tag}`, locale: 'en-US', timezone: 'America/Toronto', currency: 'CAD' },
        admin: { name: 'Ada', email: `ada-${tag}@acme.test` },
      },
    }));
    expect(signUp.company).toMatchObject({ plan: 'advanced', currency: 'CAD' });
    const admin = as(signUp.apiKey);

    const member = async (name: string) => {
      const { user } = ok(await admin.POST('/v1/users', { body: { name, email: `${name.toLowerCase()}-${tag}@acme.test`, role: 'standard' } }));
      const { apiKey } = ok(await admin.POST('/v1/users/{id}/api-keys', { params: { path: { id: user.id } } }));
      return { user, apiKey };
    };
    const creator = await member('Cora');
    const approver = await member('Avery');

    const definition = ok(await admin.POST('/v1/workflows', {
      body: {
        templateKey: 'invoice-approval',
        name: 'Large invoices',
        conditions: [{ field: 'amount', op: 'gt', value: '1000.00' }],
        actions: [{ type: 'approval', approverIds: [approver.user.id], timeoutDays: 30 }],
        activate: true,
      },
    }));
    expect(definition.status).toBe('active');

    const customer = ok(await admin.POST('/v1/customers', { body: { name: 'Globex', email: `billing-${tag}@globex.test` } }));
    const byCreator = as(creator.apiKey);
    const invoice = ok(await byCreator.POST('/v1/invoices', {
      body: { number: `INV-${tag}`, customerId: customer.id, amount: '1250.00', issueDate: '2026-12-01', dueDate: '2026-12-31' },
    }));
    expect(invoice.approvalStatus).toBe('approval_required');

    const path = { params: { path: { id: invoice.id } } };
    const submitted = ok(await byCreator.POST('/v1/invoices/{id}/submit-for-approval', path));
    expect(submitted).toMatchObject({ status: 'pending_approval', submission: 1, currentStep: 1, definitionId: definition.id });

    const byApprover = as(approver.apiKey);
    await until(
      async () => ok(await byApprover.GET('/v1/tasks', { params: { query: { assignee: 'me', status: 'open', kind: 'approval', recordId: invoice.id } } })).data,
      (tasks) => tasks.length === 1,
      'the approver\'s task',
    );
    const approved = ok(await byApprover.POST('/v1/invoices/{id}/approve', { ...path, body: { comment: 'matches the PO' } }));
    expect(approved.status).toBe('approved');

    const view = ok(await byCreator.GET('/v1/invoices/{id}/approval', path));
    expect(view).toMatchObject({
      invoiceId: invoice.id, invoiceNumber: invoice.number, status: 'approved', currentStep: null,
      steps: [{ step: 1, status: 'approved', approvers: [{ id: approver.user.id, name: 'Avery' }] }],
      decisions: [{ submission: 1, step: 1, decision: 'approved', by: { id: approver.user.id, name: 'Avery' }, comment: 'matches the PO' }],
    });
    // A typed error answer: the Error schema, from the same client.
    const missing = await byCreator.GET('/v1/invoices/{id}', { params: { path: { id: randomUUID() } } });
    expect(missing.response.status).toBe(404);
    expect(missing.error).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });
});
