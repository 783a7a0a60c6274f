import { classifyInbound, complaint, deliveryFailure, InboundMessage, isAutoReply, MAX_REPLY_TEXT } from './classify';
import { fieldGroups, reportParts } from './report';

function message(m: Partial<Omit<InboundMessage, 'headers'>> & { headers?: Record<string, string> } = {}): InboundMessage {
  const headers = Object.fromEntries(Object.entries(m.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  return { from: 'grace@client.example', subject: 'Re: Step 2', text: 'We paid on Tuesday.', ...m, headers: (name) => (name in headers ? [headers[name]] : []) };
}

const dsn = (recipientFields: string) => [{ contentType: 'message/delivery-status', body: `Reporting-MTA: dns; mx.example\n\n${recipientFields}` }];

describe(deliveryFailure.name, () => {
  it.each([
    ['a 5.x.x failure is permanent', 'Final-Recipient: rfc822; bob@x.example\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 user unknown',
      { kind: 'bounce', permanent: true, status: '5.1.1', recipient: 'bob@x.example', diagnostic: '550 5.1.1 user unknown' }],
    ['a 4.x.x failure is temporary', 'Final-Recipient: rfc822;<bob@x.example>\nAction: failed\nStatus: 4.2.2 (mailbox full)',
      { kind: 'bounce', permanent: false, status: '4.2.2', recipient: 'bob@x.example' }],
    ['the Original-Recipient (what was sent to) goes before the Final-Recipient', 'Original-Recipient: rfc822;bob@x.example\nFinal-Recipient: rfc822; robert@y.example\nAction: failed\nStatus: 5.2.1',
      { kind: 'bounce', permanent: true, status: '5.2.1', recipient: 'bob@x.example' }],
    ['a failure without a valid Status is permanent', 'Final-Recipient: rfc822; bob@x.example\nAction: Failed\nStatus: bogus',
      { kind: 'bounce', permanent: true, status: '5.0.0', recipient: 'bob@x.example' }],
    ['the failed recipient of several', 'Final-Recipient: rfc822; a@x.example\nAction: delivered\nStatus: 2.0.0\n\nFinal-Recipient: rfc822; b@x.example\nAction: failed\nStatus: 5.7.1',
      { kind: 'bounce', permanent: true, status: '5.7.1', recipient: 'b@x.example' }],
    ['a delay is no failure', 'Final-Recipient: rfc822; bob@x.example\nAction: delayed\nStatus: 4.4.1', null],
    ['a delivery is no failure', 'Final-Recipient: rfc822; bob@x.example\nAction: delivered\nStatus: 2.0.0', null],
  ])('%s', (_, fields, expected) => {
    expect(deliveryFailure(dsn(fields))).toEqual(expected);
  });

  it('finds nothing without a delivery-status part', () => {
    expect(deliveryFailure([{ contentType: 'text/plain', body: 'Action: failed\nStatus: 5.1.1' }])).toBeNull();
  });
});

describe(complaint.name, () => {
  const arf = (fields: string) => [{ contentType: 'message/feedback-report', body: fields }];
  it.each([
    ['abuse', 'Feedback-Type: abuse\nOriginal-Rcpt-To: <erin@x.example>', { kind: 'complaint', recipient: 'erin@x.example', feedbackType: 'abuse' }],
    ['fraud', 'Feedback-Type: Fraud\nOriginal-Rcpt-To: erin@x.example', { kind: 'complaint', recipient: 'erin@x.example', feedbackType: 'fraud' }],
    ['no type given', 'Original-Rcpt-To: erin@x.example', { kind: 'complaint', recipient: 'erin@x.example' }],
    ['not-spam is no complaint', 'Feedback-Type: not-spam', null],
    ['auth-failure is no complaint', 'Feedback-Type: auth-failure', null],
  ])('%s', (_, fields, expected) => {
    expect(complaint(arf(fields))).toEqual(expected);
  });
});

describe(isAutoReply.name, () => {
  it.each([
    ['Auto-Submitted: auto-replied (RFC 3834)', { headers: { 'Auto-Submitted': 'auto-replied; vacation' } }, true],
    ['Auto-Submitted: auto-generated', { headers: { 'Auto-Submitted': 'Auto-Generated' } }, true],
    ['Auto-Submitted: no is a person', { headers: { 'Auto-Submitted': 'no' } }, false],
    ['X-Autoreply', { headers: { 'X-Autoreply': 'yes' } }, true],
    ['X-Autorespond', { headers: { 'X-Autorespond': 'Out of office' } }, true],
    ['Precedence: auto_reply', { headers: { Precedence: 'auto_reply' } }, true],
    ['Precedence: bulk', { headers: { Precedence: 'Bulk' } }, true],
    ['Precedence: junk', { headers: { Precedence: 'junk' } }, true],
    ['Precedence: first-class is a person', { headers: { Precedence: 'first-class' } }, false],
    ['"Out of Office: ..."', { subject: 'Out of Office: Step 2: INV-7' }, true],
    ['"Automatic reply: ..." (Outlook)', { subject: 'Automatic reply: Step 2' }, true],
    ['"Auto-reply"', { subject: 'Auto-Reply: your message' }, true],
    ['"RE: Out of the office"', { subject: 'RE: Out of the office' }, true],
    ['"Réponse automatique : ..." (Outlook, French)', { subject: 'Réponse automatique\u00a0: Rappel' }, true],
    ['"Absent du bureau"', { subject: 'Absent du bureau : Rappel' }, true],
    ['"Message d\'absence"', { subject: "Message d'absence" }, true],
    ['"Out-of-Office reply" (hyphenated)', { subject: 'Out-of-Office reply: Step 2' }, true],
    ['"[Out of Office] ..." (bracketed)', { subject: '[Out of Office] Step 2: INV-7' }, true],
    ['"Absent : ..." (French)', { subject: 'Absent : Rappel INV-7' }, true],
    ['a person writing about an absent payment', { subject: 'Absent payment on INV-7?' }, false],
    ['a bounce that is no report (MAILER-DAEMON)', { from: 'MAILER-DAEMON@mx.example' }, true],
    ['a person writing about being out of the office', { subject: 'Re: Step 2 (I was out of office last week)' }, false],
    ['a person\'s reply', {}, false],
  ])('%s: %s', (_, m, expected) => {
    expect(isAutoReply(message(m))).toBe(expected);
  });
});

describe(classifyInbound.name, () => {
  it.each([
    ['a DSN with a failed recipient is a bounce', message({ headers: { 'Auto-Submitted': 'auto-replied' }, report: { type: 'delivery-status', parts: dsn('Final-Recipient: rfc822; b@x.example\nAction: failed\nStatus: 5.1.1') } }),
      { kind: 'bounce', permanent: true, status: '5.1.1', recipient: 'b@x.example' }],
    ['a DSN of a delay is an automatic message', message({ from: 'mailer-daemon@x.example', subject: 'Delayed', report: { type: 'delivery-status', parts: dsn('Final-Recipient: rfc822; b@x.example\nAction: delayed\nStatus: 4.4.1') } }),
      { kind: 'auto_reply', from: 'mailer-daemon@x.example', subject: 'Delayed' }],
    ['an ARF abuse report is a complaint', message({ report: { type: 'feedback-report', parts: [{ contentType: 'message/feedback-report', body: 'Feedback-Type: abuse\nOriginal-Rcpt-To: e@x.example' }] } }),
      { kind: 'complaint', recipient: 'e@x.example', feedbackType: 'abuse' }],
    ['a read receipt (another report type) is an automatic message', message({ subject: 'Read: Step 2', report: { type: 'disposition-notification', parts: [] } }),
      { kind: 'auto_reply', from: 'grace@client.example', subject: 'Read: Step 2' }],
    ['an out-of-office reply is an automatic message', message({ subject: 'Automatic reply: Step 2' }),
      { kind: 'auto_reply', from: 'grace@client.example', subject: 'Automatic reply: Step 2' }],
    ['anything else is a person\'s reply, as plain text', message({ text: '  We paid on Tuesday.\n\n' }),
      { kind: 'reply', from: 'grace@client.example', subject: 'Re: Step 2', text: 'We paid on Tuesday.' }],
  ])('%s', (_, m, expected) => {
    expect(classifyInbound(m)).toEqual(expected);
  });

  it('keeps at most 50,000 characters of what a person wrote', () => {
    const event = classifyInbound(message({ text: 'x'.repeat(MAX_REPLY_TEXT + 10) }));
    expect(event.kind === 'reply' && event.text.length).toBe(MAX_REPLY_TEXT);
  });
});

describe(reportParts.name, () => {
  it('splits a report at its boundary and undoes base64 and quoted-printable', () => {
    const raw = Buffer.from([
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"', '', 'preamble', '--b1', 'Content-Type: text/plain', '', 'Hello', '--b1',
      'Content-Type: message/delivery-status', 'Content-Transfer-Encoding: base64', '', Buffer.from('Action: failed\nStatus: 5.1.1\n').toString('base64'),
      '--b1', 'Content-Type: text/rfc822-headers', 'Content-Transfer-Encoding: quoted-printable', '', 'Subject: caf=C3=A9 =', 'au lait', '--b1--', 'epilogue',
    ].join('\r\n'));
    expect(reportParts(raw, 'b1')).toEqual([
      { contentType: 'text/plain', body: 'Hello' },
      { contentType: 'message/delivery-status', body: 'Action: failed\nStatus: 5.1.1\n' },
      { contentType: 'text/rfc822-headers', body: 'Subject: café au lait' },
    ]);
  });
});

describe(fieldGroups.name, () => {
  it('reads RFC 3464 groups: folded lines unfolded, names lowercased, the first of a repeated field kept', () => {
    expect(fieldGroups('Reporting-MTA: dns; a\n\nFinal-Recipient: rfc822; b@x\nDiagnostic-Code: smtp; 550\n  user unknown\nStatus: 5.1.1\nStatus: 4.0.0\n').map((g) => Object.fromEntries(g)))
      .toEqual([{ 'reporting-mta': 'dns; a' }, { 'final-recipient': 'rfc822; b@x', 'diagnostic-code': 'smtp; 550 user unknown', status: '5.1.1' }]);
  });
});
