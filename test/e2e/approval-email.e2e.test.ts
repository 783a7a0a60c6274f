import { AFTER_A_KILLED_WORKER, approvalCompany, type ApprovalCompany, outcomeNotified, tasksOf } from '../support/approval';
import { closeDb, sql } from '../support/db';
import { Http } from '../support/http';
import { tag } from '../support/ledger';
import { mailsTo, waitForMails } from '../support/mail';
import { pdfText } from '../support/pdf';
import { Stack } from '../support/stack';
import { until } from '../support/until';

const LINK = /https?:\/\/[^\s]+\/approvals\/([A-Za-z0-9_-]{43})/;

/** The decision link of the latest approval email to `email` about `number`. */
export async function decisionLink(email: string, number: string, count = 1): Promise<string> {
  const mails = (await waitForMails(email, count)).filter((m) => m.subject.includes(number));
  const match = mails[mails.length - 1]?.text.match(LINK);
  if (!match) throw new Error(`no decision link in the emails to ${email} about ${number}: ${JSON.stringify(mails.map((m) => m.text))}`);
  return match[0];
}

/** The invoice PDF behind a decision link: the bytes, and the headers it came with. */
async function pdf(url: string) {
  const res = await fetch(`${url}/pdf`, { redirect: 'manual' });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

async function page(url: string, form?: Record<string, string>) {
  const res = await fetch(url, form
    ? { method: 'POST', body: new URLSearchParams(form), headers: { 'content-type': 'application/x-www-form-urlencoded' }, redirect: 'manual' }
    : { redirect: 'manual' });
  return { status: res.status, headers: res.headers, html: await res.text() };
}

/**
 * Deciding from the approval email, through the real API, worker, Temporal, Postgres and SMTP listener, over plain
 * HTTP (the browser test drives the same page in Chromium).
 */
describe('approval email links', () => {
  const stack = new Stack('approval-email');
  let http: Http;

  beforeAll(async () => {
    await stack.start();
    http = new Http(stack.baseUrl);
  });
  afterAll(async () => {
    await closeDb();
    await stack.stop();
  });

  async function invoiceWithMemo(c: ApprovalCompany, memo: string, amount = '1250.00') {
    const res = await c.creator.http.post('/v1/invoices', {
      number: `INV-${tag()}`, customerId: c.customer.id, amount, issueDate: '2026-12-01', dueDate: '2026-12-31', memo,
    });
    expect(res.status).toBe(201);
    expect((await c.creator.http.post(`/v1/invoices/${res.body.id}/submit-for-approval`)).status).toBe(200);
    return res.body as { id: string; number: string };
  }

  it('shows the invoice, refuses a reject without reason, approves via email, then says who decided (410), and 404s a tampered token', async () => {
    const c = await approvalCompany(http, (ids) => ({ type: 'approval', steps: [{ approverIds: [ids.approver] }, { approverIds: [ids.outsider] }] }));
    const invoice = await invoiceWithMemo(c, 'PO <script>alert(1)</script> & co');
    const url = await decisionLink(c.approver.email, invoice.number);
    expect(url.startsWith(`${stack.baseUrl}/approvals/`)).toBe(true);
    const [hashed] = await sql<{ n: string }>(`SELECT count(*)::text AS n FROM approval_links WHERE token_hash = sha256(convert_to($1, 'UTF8'))`,
      [url.split('/').pop()]);
    expect(hashed.n).toBe('1');

    const shown = await page(url);
    expect(shown.status).toBe(200);
    expect(shown.headers.get('cache-control')).toBe('no-store');
    expect(shown.headers.get('referrer-policy')).toBe('no-referrer');
    expect(shown.headers.get('content-security-policy')).toMatch(/^default-src 'none'; style-src 'sha256-[^']+'; /);
    expect(shown.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(shown.html).toContain(invoice.number);
    expect(shown.html).toContain(c.customer.name);
    expect(shown.html).toContain('CA$1,250.00');
    expect(shown.html).toContain('December 31, 2026');
    expect(shown.html).toContain('1 of 2');
    expect(shown.html).toContain('PO &lt;script&gt;alert(1)&lt;/script&gt; &amp; co');
    expect(shown.html).not.toContain('<script>');
    expect(shown.html).toContain('name="decision" value="approve"');

    const noReason = await page(url, { decision: 'reject', reason: '  ' });
    expect(noReason.status).toBe(400);
    expect(noReason.html).toContain('A rejection needs a reason');
    expect((await c.creator.http.get(`/v1/invoices/${invoice.id}/approval`)).body).toMatchObject({ status: 'pending_approval', decisions: [] });

    const approved = await page(url, { decision: 'approve', comment: 'Checked <b>twice</b>' });
    expect(approved.status).toBe(200);
    expect(approved.html).toContain(`Done: you approved invoice ${invoice.number}`);
    expect(approved.html).toContain('Checked &lt;b&gt;twice&lt;/b&gt;');
    const view = (await c.creator.http.get(`/v1/invoices/${invoice.id}/approval`)).body;
    expect(view).toMatchObject({
      status: 'pending_approval', currentStep: 2,
      decisions: [{ step: 1, decision: 'approved', decidedBy: { id: c.approver.id }, via: 'email', comment: 'Checked <b>twice</b>' }],
    });

    const again = await page(url);
    expect(again.status).toBe(410);
    expect(again.html).toMatch(new RegExp(`Step 1 of invoice ${invoice.number} was already approved by Avery on December \\d+, 20\\d\\d`));
    expect(again.html).not.toContain('name="decision"');
    const replayed = await page(url, { decision: 'approve' });
    expect(replayed.status).toBe(410);

    const token = url.split('/').pop()!;
    const tampered = await page(url.replace(token, `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`));
    expect(tampered.status).toBe(404);
    expect(tampered.html).toContain('This link is not valid');
    expect((await page(`${stack.baseUrl}/approvals/not-a-token`)).status).toBe(404);

    const second = await decisionLink(c.outsider.email, invoice.number);
    const done = await page(second, { decision: 'approve' });
    expect(done.status).toBe(200);
    expect((await c.creator.http.get(`/v1/invoices/${invoice.id}`)).body.approvalStatus).toBe('approved');
    const over = await page(second);
    expect(over.status).toBe(410);
    expect(over.html).toMatch(new RegExp(`Invoice ${invoice.number} was already approved by Olive on`));
    await outcomeNotified(invoice.id);
  });

  it('says who asks and who decides, and links the invoice PDF, served with the link\'s own headers', async () => {
    const c = await approvalCompany(http);
    const company = (await c.tenant.admin.get('/v1/companies/me')).body as { name: string };
    const invoice = await invoiceWithMemo(c, '');
    const url = await decisionLink(c.approver.email, invoice.number);
    const token = url.split('/').pop()!;

    const shown = await page(url);
    expect(shown.status).toBe(200);
    expect(shown.html).toContain(company.name);
    expect(shown.html).toContain('Submitted by</dt><dd>Cora</dd>');
    expect(shown.html).toContain(`You decide as Avery (${c.approver.email}).`);
    expect(shown.html).toContain(`href="/approvals/${token}/pdf"`);

    const file = await pdf(url);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(file.headers.get('content-disposition')).toBe(`inline; filename="invoice-${invoice.number}.pdf"`);
    expect(file.headers.get('cache-control')).toBe('no-store');
    expect(file.headers.get('referrer-policy')).toBe('no-referrer');
    expect(pdfText(file.bytes)).toContain(invoice.number);

    expect((await c.tenant.admin.patch('/v1/companies/me', { locale: 'fr-CA' })).status).toBe(200);
    const fr = await page(url);
    expect(fr.status).toBe(200);
    expect(fr.html).toContain(company.name);
    expect(fr.html).toContain('Soumise par</dt><dd>Cora</dd>');
    // A colon, not "que Avery": French elides que before a vowel (qu'Avery), which a name cannot be relied on to allow.
    expect(fr.html).toContain(`Vous décidez en tant que\u00a0: Avery (${c.approver.email}).`);
    expect(fr.html).toContain(`href="/approvals/${token}/pdf"`);
    expect(pdfText((await pdf(url)).bytes)).toContain(`Facture ${invoice.number}`);
  });

  it('the PDF answers only while its link does: expired, decided, deactivated or another token get the page\'s refusal, never a PDF', async () => {
    const c = await approvalCompany(http);
    const expiring = await invoiceWithMemo(c, '');
    const expiringUrl = await decisionLink(c.approver.email, expiring.number);
    expect((await pdf(expiringUrl)).status).toBe(200);
    await sql(`UPDATE approval_links SET expires_at = now() - interval '1 minute' WHERE token_hash = sha256(convert_to($1, 'UTF8'))`,
      [expiringUrl.split('/').pop()]);
    const expired = await pdf(expiringUrl);
    expect(expired.status).toBe(410);
    expect(expired.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(expired.bytes.toString()).toContain('This link expired on');

    const decided = await invoiceWithMemo(c, '');
    const decidedUrl = await decisionLink(c.approver.email, decided.number, 2);
    expect((await page(decidedUrl, { decision: 'approve' })).status).toBe(200);
    const afterDecision = await pdf(decidedUrl);
    expect(afterDecision.status).toBe(410);
    expect(afterDecision.bytes.toString()).toContain(`Invoice ${decided.number} was already approved by Avery on`);
    expect(afterDecision.bytes.subarray(0, 5).toString()).not.toBe('%PDF-');

    const token = decidedUrl.split('/').pop()!;
    const other = await pdf(decidedUrl.replace(token, `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`));
    expect(other.status).toBe(404);
    expect(other.bytes.toString()).toContain('This link is not valid');
    expect((await pdf(`${stack.baseUrl}/approvals/not-a-token`)).status).toBe(404);

    const held = await invoiceWithMemo(c, '');
    const heldUrl = await decisionLink(c.approver.email, held.number, 3);
    expect((await pdf(heldUrl)).status).toBe(200);
    expect((await c.tenant.admin.post(`/v1/users/${c.approver.id}/deactivate`, { handoverTo: c.outsider.id })).status).toBe(200);
    const deactivated = await pdf(heldUrl);
    expect(deactivated.status).toBe(410);
    expect(deactivated.bytes.toString()).toContain('This link no longer works');
    expect(deactivated.bytes.toString()).not.toContain(held.number);
  });

  it('one link posted twice at once decides once: the second post is a 410 page, even where the workflow would take both', async () => {
    // The approver also holds Wes's seat (a delegation): the workflow alone would take an approval for one seat and a
    // rejection for the other. The link is single-use, so only the first post decides.
    const c = await approvalCompany(http, (ids) => ({ type: 'approval', steps: [{ approverIds: [ids.approver, ids.watcher, ids.outsider], required: 2 }] }));
    expect((await c.watcher.http.put('/v1/users/me/delegation', {
      delegateId: c.approver.id, from: new Date(Date.now() - 60_000).toISOString(), until: new Date(Date.now() + 3 * 86_400_000).toISOString(),
    })).status).toBe(200);
    const invoice = await invoiceWithMemo(c, '');
    const url = await decisionLink(c.approver.email, invoice.number);
    await waitForMails(c.outsider.email, 1);
    // No worker: both posts are past their checks before either decision reaches the workflow.
    expect(await stack.stopWorker('SIGKILL')).not.toBe(0);
    const approve = page(url, { decision: 'approve', comment: 'first click' });
    await new Promise((r) => setTimeout(r, 300));
    const reject = page(url, { decision: 'reject', reason: 'second click' });
    await new Promise((r) => setTimeout(r, 300));
    await stack.startWorker();
    const [approved, rejected] = await Promise.all([approve, reject]);
    expect(approved.status).toBe(200);
    expect(rejected.status).toBe(410);
    expect(rejected.html).not.toContain('name="decision"');

    const decisions = await sql<{ decision: string; via: string; user_id: string }>(
      'SELECT d.decision, d.via, d.user_id FROM approval_decisions d JOIN approvals a ON a.id = d.approval_id WHERE a.invoice_id = $1', [invoice.id]);
    expect(decisions).toEqual([{ decision: 'approved', via: 'email', user_id: c.approver.id }]);
    expect((await c.creator.http.get(`/v1/invoices/${invoice.id}/approval`)).body).toMatchObject({ status: 'pending_approval', steps: [{ approvals: 1 }] });
    expect((await page(url)).status).toBe(410);
  });

  it('a request a delegation moved: the former holder\'s link is a 410 page saying to whom, and decides again once it moves back', async () => {
    const c = await approvalCompany(http);
    const invoice = await invoiceWithMemo(c, '');
    const mine = await decisionLink(c.approver.email, invoice.number);
    expect((await page(mine)).status).toBe(200);

    expect((await c.approver.http.put('/v1/users/me/delegation', {
      delegateId: c.outsider.id, from: new Date(Date.now() - 60_000).toISOString(), until: new Date(Date.now() + 3 * 86_400_000).toISOString(),
    })).status).toBe(200);
    await until(() => tasksOf(c.outsider, 'open', invoice.id), (t) => t.length === 1, 'the delegate\'s task');
    const delegates = await decisionLink(c.outsider.email, invoice.number);
    const moved = await page(mine);
    expect(moved.status).toBe(410);
    expect(moved.html).toMatch(/This request moved to Olive on \w+ \d+, 20\d\d/);
    expect(moved.html).not.toContain('name="decision"');
    const refused = await page(mine, { decision: 'approve' });
    expect(refused.status).toBe(410);
    expect(refused.html).toContain('This request moved to Olive');
    expect((await c.creator.http.get(`/v1/invoices/${invoice.id}/approval`)).body).toMatchObject({ status: 'pending_approval', decisions: [] });
    expect((await page(delegates)).status).toBe(200);

    expect((await c.approver.http.delete('/v1/users/me/delegation')).status).toBe(204);
    await until(() => tasksOf(c.approver, 'open', invoice.id), (t) => t.length === 1, 'the approver\'s task, back');
    const back = await page(delegates);
    expect(back.status).toBe(410);
    expect(back.html).toContain('This request moved to Avery');
    expect((await page(mine)).status).toBe(200);
    const approved = await page(mine, { decision: 'approve' });
    expect(approved.status).toBe(200);
    expect((await c.creator.http.get(`/v1/invoices/${invoice.id}`)).body.approvalStatus).toBe('approved');
  });

  it('in fr-CA: texts, money and dates in the company\'s locale; above emailApprovalLimit the page says to use the API and POST decides nothing', async () => {
    const c = await approvalCompany(http);
    expect((await c.tenant.admin.patch('/v1/companies/me', { locale: 'fr-CA', emailApprovalLimit: '1000.00' })).body).toMatchObject({ emailApprovalLimit: '1000.00' });
    expect((await c.tenant.admin.patch('/v1/companies/me', { emailApprovalLimit: 12 })).status).toBe(400);
    const invoice = await invoiceWithMemo(c, '');
    const url = await decisionLink(c.approver.email, invoice.number);
    const shown = await page(url);
    expect(shown.status).toBe(200);
    expect(shown.html).toContain('lang="fr-CA"');
    expect(shown.html).toMatch(/1\s250,00\s\$/);
    expect(shown.html).toContain('31 décembre 2026');
    expect(shown.html).toContain('décidez-en par l&#x27;API');
    expect(shown.html).not.toContain('name="decision"');
    const refused = await page(url, { decision: 'approve' });
    expect(refused.status).toBe(403);
    expect((await c.creator.http.get(`/v1/invoices/${invoice.id}/approval`)).body).toMatchObject({ status: 'pending_approval', decisions: [] });
  });

  it('durability: the worker is killed while an email decision (posted twice) is in flight; one decision, one outcome email per person', async () => {
    const c = await approvalCompany(http, (ids) => ({ type: 'approval', approverIds: [ids.approver, ids.outsider] }));
    const invoice = await invoiceWithMemo(c, '');
    const url = await decisionLink(c.approver.email, invoice.number);
    await waitForMails(c.watcher.email, 1);
    expect(await stack.stopWorker('SIGKILL')).not.toBe(0);

    // A double click on Approve while no worker runs: both posts wait for the decision.
    const first = page(url, { decision: 'approve', comment: 'while the worker was down' });
    const second = page(url, { decision: 'approve' });
    await new Promise((r) => setTimeout(r, 500));
    await stack.startWorker();
    const answers = (await Promise.all([first, second])).map((a) => a.status).sort();
    expect(answers).toEqual([200, 410]);
    await outcomeNotified(invoice.id);

    expect((await c.creator.http.get(`/v1/invoices/${invoice.id}`)).body.approvalStatus).toBe('approved');
    const decisions = await sql<{ decision: string; via: string; user_id: string }>(
      'SELECT d.decision, d.via, d.user_id FROM approval_decisions d JOIN approvals a ON a.id = d.approval_id WHERE a.invoice_id = $1', [invoice.id]);
    expect(decisions).toEqual([{ decision: 'approved', via: 'email', user_id: c.approver.id }]);
    const decided = `Invoice ${invoice.number} was approved`;
    for (const person of [c.creator, c.watcher]) {
      expect((await mailsTo(person.email)).filter((m) => m.subject === decided)).toHaveLength(1);
    }
    expect((await mailsTo(c.approver.email)).filter((m) => m.subject === decided)).toHaveLength(0);
    expect((await page(url)).status).toBe(410);
  });

  it('durability: the worker is killed the moment an email decision is recorded, before its answer and notices; one decision, one outcome email per person', async () => {
    const c = await approvalCompany(http, (ids) => ({ type: 'approval', approverIds: [ids.approver] }));
    const invoice = await invoiceWithMemo(c, '');
    const url = await decisionLink(c.approver.email, invoice.number);
    await waitForMails(c.watcher.email, 1);
    let answered = false;
    const posted = page(url, { decision: 'approve', comment: 'killed mid-decision' }).finally(() => { answered = true; });
    const recorded = async () => (await sql<{ n: string }>(
      'SELECT count(*) AS n FROM approval_decisions d JOIN approvals a ON a.id = d.approval_id WHERE a.invoice_id = $1', [invoice.id]))[0].n;
    for (const deadline = Date.now() + 15_000; (await recorded()) === '0' && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 2));
    expect(await stack.stopWorker('SIGKILL')).not.toBe(0);
    const decided = `Invoice ${invoice.number} was approved`;
    const outAtKill = (await mailsTo(c.creator.email)).filter((m) => m.subject === decided).length;
    console.log(`[email-decision crash] killed with the decision recorded; page answered: ${answered}; outcome emails out: ${outAtKill}`);
    await stack.startWorker();
    expect((await posted).status).toBe(200);
    // The kill may land after the decision's workflow task completed, with the outcome's notice in the dead worker's hands.
    await outcomeNotified(invoice.id, 1, AFTER_A_KILLED_WORKER);

    expect((await c.creator.http.get(`/v1/invoices/${invoice.id}`)).body.approvalStatus).toBe('approved');
    const decisions = await sql<{ decision: string; via: string; user_id: string }>(
      'SELECT d.decision, d.via, d.user_id FROM approval_decisions d JOIN approvals a ON a.id = d.approval_id WHERE a.invoice_id = $1', [invoice.id]);
    expect(decisions).toEqual([{ decision: 'approved', via: 'email', user_id: c.approver.id }]);
    for (const person of [c.creator, c.watcher]) {
      expect((await mailsTo(person.email)).filter((m) => m.subject === decided)).toHaveLength(1);
    }
    expect((await page(url)).status).toBe(410);
  }, 120_000);
});
