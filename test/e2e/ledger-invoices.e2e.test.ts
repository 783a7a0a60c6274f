import { closeDb, sql } from '../support/db';
import { createTenant, createUser, Tenant } from '../support/fixtures';
import { Http } from '../support/http';
import { createCustomer, createInvoice, createPayment, tag } from '../support/ledger';
import { mailsTo, waitForMails } from '../support/mail';
import { Stack } from '../support/stack';

describe('invoices', () => {
  const stack = new Stack('ledger-invoices');
  let http: Http;
  let tenant: Tenant;
  let customer: { id: string; email: string; name: string };

  beforeAll(async () => {
    await stack.start();
    http = new Http(stack.baseUrl);
    tenant = await createTenant(http);
    customer = await createCustomer(tenant.admin);
  });
  afterAll(async () => {
    await closeDb();
    await stack.stop();
  });

  const invoiceCount = async (companyId: string) =>
    Number((await sql<{ n: string }>('SELECT count(*) AS n FROM invoices WHERE company_id = $1', [companyId]))[0].n);

  it('creates an invoice whose balance starts at its amount, and reads it back', async () => {
    const location = (await tenant.admin.post('/v1/locations', { name: 'Montréal' })).body;
    const res = await tenant.admin.post('/v1/invoices', {
      number: 'INV-0001', customerId: customer.id, locationId: location.id, amount: '1250.5', issueDate: '2026-12-01',
      dueDate: '2026-12-31', memo: 'Net 30',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      number: 'INV-0001', customerId: customer.id, locationId: location.id, amount: '1250.50', balance: '1250.50',
      issueDate: '2026-12-01', dueDate: '2026-12-31', memo: 'Net 30', stamp: null, sentAt: null, createdBy: tenant.adminId,
      approvalStatus: 'not_required',
    });
    const got = await tenant.admin.get(`/v1/invoices/${res.body.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(res.body);
  });

  it('defaults the issue date to today in the company\'s time zone', async () => {
    const res = await tenant.admin.post('/v1/invoices', { number: `INV-${tag()}`, customerId: customer.id, amount: '10.00', dueDate: '2099-01-01' });
    expect(res.status).toBe(201);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Toronto' }).format(new Date());
    expect(res.body.issueDate).toBe(today);
  });

  const valid = { number: 'INV-BAD', amount: '10.00', issueDate: '2026-12-01', dueDate: '2026-12-31' };
  it.each([
    [{ ...valid, number: undefined }, /number must be a string/],
    [{ ...valid, number: '' }, /number must not be empty/],
    [{ ...valid, amount: 10 }, /amount must be a decimal string .* not a JSON number/],
    [{ ...valid, amount: '10.001' }, /amount has more than two decimals/],
    [{ ...valid, amount: '-10.00' }, /amount must not be negative/],
    [{ ...valid, amount: 'ten' }, /amount must be a decimal string/],
    [{ ...valid, amount: undefined }, /amount must be a decimal string/],
    [{ ...valid, dueDate: '2026-02-30' }, /dueDate must be a calendar date YYYY-MM-DD/],
    [{ ...valid, issueDate: '01/12/2026' }, /issueDate must be a calendar date/],
    [{ ...valid, dueDate: '2026-11-30' }, /dueDate \(2026-11-30\) must not be before issueDate \(2026-12-01\)/],
    [{ ...valid, memo: 5 }, /memo must be a string/],
    [{ ...valid, extra: true }, /property extra should not exist/],
    [{ ...valid, customerId: 'nope' }, /customerId must be an id/],
    [{ ...valid, locationId: 42 }, /locationId must be an id/],
  ])('refuses a bad invoice with 400 naming the field (%#)', async (body, message) => {
    const before = await invoiceCount(tenant.companyId);
    const res = await tenant.admin.post('/v1/invoices', { customerId: customer.id, ...body });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.stringMatching(message) });
    expect(await invoiceCount(tenant.companyId)).toBe(before);
  });

  it('refuses malformed JSON with 400 and an oversized body with 413', async () => {
    const bad = await tenant.admin.request('POST', '/v1/invoices', '{"number": ', { 'content-type': 'application/json' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/JSON/);
    const huge = await tenant.admin.post('/v1/invoices', { number: 'INV-HUGE', customerId: customer.id, amount: '1.00', dueDate: '2099-01-01', memo: 'x'.repeat(400_000) });
    expect(huge.status).toBe(413);
    expect(huge.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
    expect(await sql('SELECT 1 FROM invoices WHERE number = $1', ['INV-HUGE'])).toHaveLength(0);
  });

  it('refuses a duplicate number in the company with 409, but another company may reuse it', async () => {
    const first = await createInvoice(tenant.admin, customer.id);
    const dup = await tenant.admin.post('/v1/invoices', { number: first.number, customerId: customer.id, amount: '1.00', dueDate: '2099-01-01' });
    expect(dup.status).toBe(409);
    expect(dup.body.message).toContain(`"${first.number}" already exists`);
    const other = await createTenant(http);
    const theirs = await createCustomer(other.admin);
    expect((await other.admin.post('/v1/invoices', { number: first.number, customerId: theirs.id, amount: '1.00', dueDate: '2099-01-01' })).status).toBe(201);
    const racing = `INV-${tag()}`;
    const raced = await Promise.all([0, 1, 2].map(() =>
      tenant.admin.post('/v1/invoices', { number: racing, customerId: customer.id, amount: '1.00', dueDate: '2099-01-01' })));
    expect(raced.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    expect(raced.find((r) => r.status === 409)!.body.message).toBe(`an invoice numbered "${racing}" already exists in this company`);
  });

  it('answers 404 naming the id for another company\'s customer or location, and creates nothing', async () => {
    const other = await createTenant(http);
    const theirCustomer = await createCustomer(other.admin);
    const theirLocation = (await other.admin.post('/v1/locations', { name: 'Elsewhere' })).body;
    const before = await invoiceCount(tenant.companyId);
    const byCustomer = await tenant.admin.post('/v1/invoices', { number: `INV-${tag()}`, customerId: theirCustomer.id, amount: '1.00', dueDate: '2099-01-01' });
    expect(byCustomer.status).toBe(404);
    expect(byCustomer.body.message).toBe(`customer ${theirCustomer.id} not found`);
    expect(JSON.stringify(byCustomer.body)).not.toContain(theirCustomer.name);
    const byLocation = await tenant.admin.post('/v1/invoices', {
      number: `INV-${tag()}`, customerId: customer.id, locationId: theirLocation.id, amount: '1.00', dueDate: '2099-01-01',
    });
    expect(byLocation.status).toBe(404);
    expect(byLocation.body.message).toBe(`location ${theirLocation.id} not found`);
    expect(await invoiceCount(tenant.companyId)).toBe(before);
  });

  it('lists with filters: several approval statuses, customer, due range, sent, paid; pages with a cursor', async () => {
    const t = await createTenant(http);
    const a = await createCustomer(t.admin);
    const b = await createCustomer(t.admin);
    const i1 = await createInvoice(t.admin, a.id, { dueDate: '2027-01-10' });
    const i2 = await createInvoice(t.admin, a.id, { dueDate: '2027-02-10' });
    const i3 = await createInvoice(t.admin, b.id, { dueDate: '2027-03-10' });
    const i4 = await createInvoice(t.admin, b.id, { dueDate: '2027-04-10' });
    await sql(`UPDATE invoices SET approval_status = 'pending_approval' WHERE id = $1`, [i1.id]);
    await sql(`UPDATE invoices SET approval_status = 'approved' WHERE id = $1`, [i2.id]);
    await sql(`UPDATE invoices SET approval_status = 'rejected', sent_at = now() WHERE id = $1`, [i3.id]);
    await createPayment(t.admin, i4.id, '100.00');
    const ids = async (query: string) => {
      const res = await t.admin.get(`/v1/invoices?${query}`);
      expect(res.status).toBe(200);
      return res.body.data.map((i: { id: string }) => i.id);
    };
    expect(await ids('approvalStatus=pending_approval,approved')).toEqual([i1.id, i2.id]);
    expect(await ids('approvalStatus=pending_approval&approvalStatus=rejected')).toEqual([i1.id, i3.id]);
    expect(await ids(`customerId=${b.id}`)).toEqual([i3.id, i4.id]);
    expect(await ids('dueFrom=2027-02-10&dueTo=2027-03-10')).toEqual([i2.id, i3.id]);
    expect(await ids('sent=true')).toEqual([i3.id]);
    expect(await ids('sent=false')).toEqual([i1.id, i2.id, i4.id]);
    expect(await ids('paid=true')).toEqual([i4.id]);
    expect(await ids(`paid=false&customerId=${a.id}&approvalStatus=approved`)).toEqual([i2.id]);

    const location = (await t.admin.post('/v1/locations', { name: 'Laval' })).body;
    // Lists serve the JSON that Postgres keeps per row (invoices.view_json, by trigger): whatever wrote the row (the
    // API, a payment, or SQL as the workflows do), each listed invoice must be exactly what GET /v1/invoices/:id shows.
    const memo = 'l\'été "quoted" \\ back\nslash\ttab \u0001 🧾 </script>';
    await t.admin.patch(`/v1/invoices/${i2.id}`, { locationId: location.id, memo });
    await sql(`UPDATE invoices SET stamp = 'OVERDUE', updated_at = now() + interval '123456 microseconds' WHERE id = $1`, [i3.id]);
    const list = await t.admin.get('/v1/invoices');
    expect(list.headers.get('content-type')).toBe('application/json; charset=utf-8');
    // The page is written by the route itself (sendJson): its length counts bytes, not characters (the memo's are not
    // all one byte), and a HEAD request gets the same head without a body.
    expect(Number(list.headers.get('content-length'))).toBe(Buffer.byteLength(JSON.stringify(list.body)));
    const head = await t.admin.request('HEAD', '/v1/invoices');
    expect([head.status, head.headers.get('content-length'), head.headers.get('content-type'), head.body])
      .toEqual([200, list.headers.get('content-length'), 'application/json; charset=utf-8', undefined]);
    const listed = list.body.data;
    const single = await Promise.all([i1, i2, i3, i4].map(async (i) => (await t.admin.get(`/v1/invoices/${i.id}`)).body));
    expect(listed).toEqual(single);
    expect(listed[1]).toMatchObject({ memo, locationId: location.id });
    expect(listed[2]).toMatchObject({ stamp: 'OVERDUE', approvalStatus: 'rejected' });
    expect(listed[3].balance).toBe('0.00');

    const first = await t.admin.get('/v1/invoices?limit=3');
    expect(first.body.data).toHaveLength(3);
    const second = await t.admin.get(`/v1/invoices?limit=3&cursor=${first.body.nextCursor}`);
    expect(second.body.nextCursor).toBeNull();
    expect([...first.body.data, ...second.body.data].map((i: { id: string }) => i.id)).toEqual([i1.id, i2.id, i3.id, i4.id]);
    // Postgres is asked for more rows than the page (a few LIMIT texts serve every size): the page still ends where asked.
    const whole = await t.admin.get('/v1/invoices?limit=4');
    expect([whole.body.data.length, whole.body.nextCursor]).toEqual([4, null]);
    const half = await t.admin.get('/v1/invoices?limit=2');
    const rest = await t.admin.get(`/v1/invoices?limit=2&cursor=${half.body.nextCursor}`);
    expect([half.body.data.length, rest.body.data.length, rest.body.nextCursor]).toEqual([2, 2, null]);
    expect(rest.body.data[0].id).toBe(i3.id);
  });

  it.each([
    ['approvalStatus=paid', /approvalStatus takes comma-separated values among not_required/],
    ['customerId=42', /customerId must be an id/],
    ['dueFrom=2027-13-01', /dueFrom must be a calendar date/],
    ['dueFrom=2027-03-01&dueTo=2027-02-01', /dueFrom \(2027-03-01\) must not be after dueTo/],
    ['sent=yes', /sent must be "true" or "false"/],
    ['limit=500', /limit must be an integer from 1 to 200/],
    ['colour=red', /property colour should not exist/],
    // Refused while the page is read (the route writes its own response, so the exception filter must still answer).
    ['cursor=bm90LWEtY3Vyc29y', /cursor is not valid/],
  ])('refuses a bad list query %s with 400', async (query, message) => {
    const res = await tenant.admin.get(`/v1/invoices?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(message);
  });

  it('edits an invoice: a new amount keeps what was paid, and never goes below it (422)', async () => {
    const invoice = await createInvoice(tenant.admin, customer.id, { amount: '500.00' });
    await createPayment(tenant.admin, invoice.id, '200.00');
    const raised = await tenant.admin.patch(`/v1/invoices/${invoice.id}`, { amount: '800.00', memo: 'revised', dueDate: '2027-01-31' });
    expect(raised.status).toBe(200);
    expect(raised.body).toMatchObject({ amount: '800.00', balance: '600.00', memo: 'revised', dueDate: '2027-01-31' });
    const below = await tenant.admin.patch(`/v1/invoices/${invoice.id}`, { amount: '199.99', memo: 'should not stick' });
    expect(below.status).toBe(422);
    expect(below.body.message).toBe(`amount 199.99 is below the 200.00 already paid on invoice ${invoice.number}`);
    const exact = await tenant.admin.patch(`/v1/invoices/${invoice.id}`, { amount: '200.00' });
    expect(exact.body).toMatchObject({ amount: '200.00', balance: '0.00', memo: 'revised' });
  });

  it('refuses bad edits with a clear 4xx and leaves the invoice unchanged', async () => {
    const invoice = await createInvoice(tenant.admin, customer.id);
    const taken = await createInvoice(tenant.admin, customer.id);
    const other = await createTenant(http);
    const theirCustomer = await createCustomer(other.admin);
    const attempts: [Record<string, unknown>, number, RegExp][] = [
      [{ dueDate: '2026-11-01' }, 400, /dueDate \(2026-11-01\) must not be before issueDate \(2026-12-01\)/],
      [{ issueDate: '2027-01-15' }, 400, /must not be before issueDate \(2027-01-15\)/],
      [{ amount: null }, 400, /amount must be a decimal string/],
      [{ amount: 12.5 }, 400, /not a JSON number/],
      [{ number: taken.number }, 409, /already exists/],
      [{ customerId: theirCustomer.id }, 404, new RegExp(`customer ${theirCustomer.id} not found`)],
      [{ balance: '0.00' }, 400, /property balance should not exist/],
      [{ approvalStatus: 'approved' }, 400, /property approvalStatus should not exist/],
    ];
    for (const [body, status, message] of attempts) {
      const res = await tenant.admin.patch(`/v1/invoices/${invoice.id}`, { memo: 'changed', ...body });
      expect({ body, status: res.status, message: res.body.message }).toEqual({ body, status, message: expect.stringMatching(message) });
    }
    expect((await tenant.admin.get(`/v1/invoices/${invoice.id}`)).body).toEqual(invoice);
  });

  it('moves an invoice to another customer and location of the company', async () => {
    const invoice = await createInvoice(tenant.admin, customer.id);
    const another = await createCustomer(tenant.admin);
    const location = (await tenant.admin.post('/v1/locations', { name: 'Québec' })).body;
    const moved = await tenant.admin.patch(`/v1/invoices/${invoice.id}`, { customerId: another.id, locationId: location.id, number: `${invoice.number}-B` });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ customerId: another.id, locationId: location.id, number: `${invoice.number}-B` });
    const cleared = await tenant.admin.patch(`/v1/invoices/${invoice.id}`, { locationId: null });
    expect(cleared.body.locationId).toBeNull();
  });

  it('deletes only invoices without payments, and only for admins', async () => {
    const sam = await createUser(tenant, 'standard');
    const invoice = await createInvoice(sam.http, customer.id);
    expect(invoice.createdBy).toBe(sam.id);
    const forbidden = await sam.http.delete(`/v1/invoices/${invoice.id}`);
    expect(forbidden.status).toBe(403);
    const paid = await createInvoice(tenant.admin, customer.id);
    await createPayment(tenant.admin, paid.id, '1.00');
    const refused = await tenant.admin.delete(`/v1/invoices/${paid.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/has 1 payment\(s\) recorded against it/);
    expect((await tenant.admin.get(`/v1/invoices/${paid.id}`)).status).toBe(200);
    expect((await tenant.admin.delete(`/v1/invoices/${invoice.id}`)).status).toBe(204);
    expect((await tenant.admin.get(`/v1/invoices/${invoice.id}`)).status).toBe(404);
  });

  it('sends an invoice: the customer gets the email through SMTP and sentAt is recorded', async () => {
    const invoice = await createInvoice(tenant.admin, customer.id, { amount: '1234.50', dueDate: '2027-01-15', memo: 'Thanks & regards' });
    const res = await tenant.admin.post(`/v1/invoices/${invoice.id}/send`);
    expect(res.status).toBe(200);
    expect(res.body.sentAt).toEqual(expect.any(String));
    expect(Date.parse(res.body.sentAt)).toBeGreaterThan(Date.parse(invoice.createdAt) - 1000);
    const mails = (await waitForMails(customer.email, 1)).filter((m) => m.subject.includes(invoice.number));
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe(`Invoice ${invoice.number} from ${tenant.company.name}`);
    expect(mails[0].text).toContain('CA$1,234.50');
    expect(mails[0].text).toContain('January 15, 2027');
    expect(mails[0].html).toContain('Thanks &amp; regards');
    expect((await tenant.admin.get(`/v1/invoices?sent=true&customerId=${customer.id}`)).body.data.map((i: { id: string }) => i.id)).toContain(invoice.id);
  });

  it('emails the customer once when two sends race (a double click, a client retrying), and again on a later send', async () => {
    const buyer = await createCustomer(tenant.admin);
    const invoice = await createInvoice(tenant.admin, buyer.id, { amount: '310.00', dueDate: '2027-01-15' });
    const raced = await Promise.all([1, 2].map(() => tenant.admin.post(`/v1/invoices/${invoice.id}/send`)));
    // The request that lost the race answers what the winner did: the same send, sentAt as the winner set it.
    expect(raced.map((r) => r.status)).toEqual([200, 200]);
    expect(raced[1].body.sentAt).toBe(raced[0].body.sentAt);
    // Both answers came after the mail server took what was sent: the listener holds every email already.
    await waitForMails(buyer.email, 1);
    expect((await mailsTo(buyer.email)).map((m) => m.subject)).toEqual([`Invoice ${invoice.number} from ${tenant.company.name}`]);
    // Sending again after that is a new send: a second email, sentAt moves.
    const again = await tenant.admin.post(`/v1/invoices/${invoice.id}/send`);
    expect(again.status).toBe(200);
    expect(Date.parse(again.body.sentAt)).toBeGreaterThan(Date.parse(raced[0].body.sentAt));
    expect(await waitForMails(buyer.email, 2)).toHaveLength(2);
  });

  it('writes the email in the company\'s locale, as soon as the company changes it', async () => {
    const t = await createTenant(http);
    const c = await createCustomer(t.admin);
    const invoice = await createInvoice(t.admin, c.id, { amount: '1234.50', dueDate: '2027-01-15' });
    expect((await t.admin.patch('/v1/companies/me', { locale: 'fr-CA' })).status).toBe(200);
    expect((await t.admin.post(`/v1/invoices/${invoice.id}/send`)).status).toBe(200);
    const [mail] = await waitForMails(c.email, 1);
    expect(mail.subject).toBe(`Facture ${invoice.number} de ${t.company.name}`);
    expect(mail.text).toContain('15 janvier 2027');
  });

  it('refuses to send to a customer without email (422) and an invoice awaiting approval (409), changing nothing', async () => {
    const silent = await createCustomer(tenant.admin, { email: null });
    const noEmail = await createInvoice(tenant.admin, silent.id);
    const res = await tenant.admin.post(`/v1/invoices/${noEmail.id}/send`);
    expect(res.status).toBe(422);
    expect(res.body.message).toMatch(new RegExp(`customer ${silent.name} \\(${silent.id}\\) has no email address`));
    expect((await tenant.admin.get(`/v1/invoices/${noEmail.id}`)).body.sentAt).toBeNull();

    for (const status of ['approval_required', 'pending_approval', 'rejected']) {
      const invoice = await createInvoice(tenant.admin, customer.id);
      await sql('UPDATE invoices SET approval_status = $2 WHERE id = $1', [invoice.id, status]);
      const refused = await tenant.admin.post(`/v1/invoices/${invoice.id}/send`);
      expect(refused.status).toBe(409);
      expect(refused.body.message).toBe(`invoice ${invoice.number} is ${status} and cannot be sent until approved`);
      expect((await tenant.admin.get(`/v1/invoices/${invoice.id}`)).body.sentAt).toBeNull();
      expect((await mailsTo(customer.email)).filter((m) => m.subject.includes(invoice.number))).toHaveLength(0);
    }
    const approved = await createInvoice(tenant.admin, customer.id);
    await sql(`UPDATE invoices SET approval_status = 'approved' WHERE id = $1`, [approved.id]);
    expect((await tenant.admin.post(`/v1/invoices/${approved.id}/send`)).status).toBe(200);
  });

  it('never reads, edits, deletes or sends another company\'s invoice: 404 and nothing changes', async () => {
    const other = await createTenant(http);
    const theirCustomer = await createCustomer(other.admin);
    const theirs = await createInvoice(other.admin, theirCustomer.id, { amount: '777.00' });
    const attempts = [
      () => tenant.admin.get(`/v1/invoices/${theirs.id}`),
      () => tenant.admin.patch(`/v1/invoices/${theirs.id}`, { amount: '1.00', memo: 'hijacked' }),
      () => tenant.admin.delete(`/v1/invoices/${theirs.id}`),
      () => tenant.admin.post(`/v1/invoices/${theirs.id}/send`),
      () => tenant.admin.post('/v1/payments', { invoiceId: theirs.id, amount: '1.00' }),
    ];
    for (const attempt of attempts) {
      const res = await attempt();
      expect(res.status).toBe(404);
      expect(res.body.message).toBe(`invoice ${theirs.id} not found`);
      expect(JSON.stringify(res.body)).not.toContain('777');
    }
    expect((await other.admin.get(`/v1/invoices/${theirs.id}`)).body).toEqual(theirs);
    expect(await mailsTo(theirCustomer.email)).toHaveLength(0);
    const list = await tenant.admin.get(`/v1/invoices?customerId=${theirCustomer.id}`);
    expect(list.body.data).toEqual([]);
  });

  it('answers 400 for malformed ids and 401 without a valid key', async () => {
    for (const res of [
      await tenant.admin.get('/v1/invoices/123'),
      await tenant.admin.patch('/v1/invoices/not-an-id', { memo: 'x' }),
      await tenant.admin.post('/v1/invoices/zzz/send'),
    ]) {
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/is not a valid id/);
    }
    expect((await http.get('/v1/invoices')).status).toBe(401);
    expect((await http.as('rlk_nope_nope').post('/v1/invoices', { number: 'X' })).status).toBe(401);
    const sam = await createUser(tenant, 'standard');
    const keys = await tenant.admin.get(`/v1/users/${sam.id}/api-keys`);
    await tenant.admin.delete(`/v1/api-keys/${keys.body.data[0].id}`);
    const revoked = await sam.http.post('/v1/invoices', { number: `INV-${tag()}`, customerId: customer.id, amount: '1.00', dueDate: '2099-01-01' });
    expect(revoked.status).toBe(401);
    expect(revoked.body.message).toMatch(/unknown or has been revoked/);
  });

  it('replays a create with the same Idempotency-Key instead of creating a second invoice', async () => {
    const body = { number: `INV-${tag()}`, customerId: customer.id, amount: '42.00', dueDate: '2099-01-01' };
    const headers = { 'idempotency-key': `create-${body.number}` };
    const first = await tenant.admin.post('/v1/invoices', body, headers);
    const again = await tenant.admin.post('/v1/invoices', body, headers);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect((await tenant.admin.post('/v1/invoices', { ...body, amount: '43.00' }, headers)).status).toBe(422);
    expect(await sql('SELECT id FROM invoices WHERE number = $1', [body.number])).toHaveLength(1);
  });
});
