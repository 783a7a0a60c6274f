import { readFileSync } from 'node:fs';
import path from 'node:path';
import { classifyInbound } from '../../domain/inbound/classify';
import { replyTokensIn } from '../../domain/inbound/reply-address';
import { addressTexts, parseInboundMessage } from './parse-message';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'inbound');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name));
const DOMAIN = 'inbound.relance.test';
const TOKEN = 'a'.repeat(32);

describe(parseInboundMessage.name, () => {
  it.each([
    ['dsn-permanent.eml', 'Postfix: 5.1.1 user unknown', { kind: 'bounce', permanent: true, status: '5.1.1', recipient: 'bob@customer.example',
      diagnostic: '550 5.1.1 <bob@customer.example>: Recipient address rejected: User unknown in virtual mailbox table' }],
    ['dsn-temporary.eml', 'Gmail: 4.2.2 mailbox full, given up', { kind: 'bounce', permanent: false, status: '4.2.2', recipient: 'carol@full-mailbox.example', diagnostic: '452 4.2.2 Mailbox full' }],
    ['dsn-delayed.eml', 'a delay warning', { kind: 'auto_reply', from: 'MAILER-DAEMON@relay.example', subject: 'Delayed Mail (still being retried)' }],
    ['arf-complaint.eml', 'RFC 5965 sample abuse report', { kind: 'complaint', recipient: 'erin@customer.example', feedbackType: 'abuse' }],
    ['out-of-office-fr.eml', 'Outlook in French, encoded subject', { kind: 'auto_reply', from: 'francois@client.example', subject: 'Réponse automatique\u00a0: Rappel : facture INV-0007' }],
    ['reply-html-only.eml', 'a person, HTML only', { kind: 'reply', from: 'grace@client.example', subject: 'Re: Step 2: INV-0007 is past due', text: 'We paid by wire on Tuesday.\n\n[https://tracker.example/x.gif]' }],
  ])('%s (%s)', async (file, _, expected) => {
    const message = await parseInboundMessage(fixture(file));
    expect(classifyInbound(message)).toEqual(expected);
    expect(replyTokensIn(addressTexts(message), DOMAIN)).toEqual([TOKEN]);
  });

  it('keeps a reply as plain text: no markup, no script (an image is its address, as text)', async () => {
    const event = classifyInbound(await parseInboundMessage(fixture('reply-html-only.eml')));
    expect(event.kind === 'reply' && event.text).not.toMatch(/<|>|alert/);
  });

  it('finds the reply address in the returned headers of a bounce sent to another envelope sender (a relay that rewrites it)', async () => {
    const rewritten = fixture('dsn-permanent.eml').toString().replace(/^(Delivered-To|To): .*$/gm, '$1: bounces@relay.example');
    expect(replyTokensIn(addressTexts(await parseInboundMessage(Buffer.from(rewritten))), DOMAIN)).toEqual([TOKEN]);
  });

  it.each([
    ['empty', Buffer.alloc(0), 'the body is empty'],
    ['no header first', Buffer.from('hello\r\n\r\nworld'), 'must start with its header fields'],
    ['a NUL in the headers', Buffer.from('From: a@b.c\r\nSubject: \0\r\n\r\nx'), 'must start with its header fields'],
    ['no From', Buffer.from('To: a@b.c\r\nSubject: x\r\n\r\nx'), 'no From address'],
  ])('refuses %s with a 400', async (_, raw, message) => {
    await expect(parseInboundMessage(raw)).rejects.toMatchObject({ status: 400, message: expect.stringContaining(message) });
  });
});
