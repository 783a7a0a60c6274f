import { decorate, type EmailDecoration, type EmailDecorationContext } from './email-decorations';

describe(decorate.name, () => {
  const ctx: EmailDecorationContext = {
    companyId: 'c1', customerId: 'cu1', deliveryKey: 'k', invoiceIds: ['i1'], locale: 'en-US', recipient: 'a@b.test', kind: 'reminder',
  };

  it('merges headers, appends footers in order, and lets a later reply address or envelope sender win', async () => {
    const first: EmailDecoration = async () => ({ headers: { 'List-Unsubscribe': '<u>' }, footerText: '\n1', footerHtml: '<p>1</p>', replyTo: 'r1@in.test' });
    const second: EmailDecoration = async () => ({ headers: { 'X-Other': 'o' }, footerText: '\n2', replyTo: 'r2@in.test', envelopeFrom: 'b@in.test' });
    expect(await decorate([first, second], ctx)).toEqual({
      headers: { 'List-Unsubscribe': '<u>', 'X-Other': 'o' }, footerText: '\n1\n2', footerHtml: '<p>1</p>', replyTo: 'r2@in.test', envelopeFrom: 'b@in.test',
    });
  });

  it('adds nothing without decorations', async () => {
    expect(await decorate([], ctx)).toEqual({ headers: {}, footerText: '', footerHtml: '', replyTo: undefined, envelopeFrom: undefined });
  });

  it('passes every decoration the same context', async () => {
    const seen: EmailDecorationContext[] = [];
    const spy: EmailDecoration = async (c) => {
      seen.push(c);
      return {};
    };
    await decorate([spy, spy], ctx);
    expect(seen).toEqual([ctx, ctx]);
  });
});
