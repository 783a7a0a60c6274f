'use strict';
// `npm run dev`'s inbound mail over SMTP (INBOUND_SMTP_PORT, on 127.0.0.1): what it receives is POSTed, raw, to the
// API's POST /v1/inbound/email with RELANCE_INBOUND_SECRET, as an MTA pipe would. Each envelope recipient goes in a
// Delivered-To line first, as a delivering MTA writes it, so a bounce sent to a reply address maps to its delivery
// whatever its To says. The API's answer is the SMTP answer: a refusal (4xx) is a 550, the API unreachable or failing
// (5xx) a 451 that the sender retries.
const { SMTPServer } = require('smtp-server');

const port = Number(process.env.INBOUND_SMTP_PORT);
const api = process.env.RELANCE_API_URL;
const secret = process.env.RELANCE_INBOUND_SECRET;
if (!port || !api || !secret) {
  console.error('[inbound-smtp] needs INBOUND_SMTP_PORT, RELANCE_API_URL and RELANCE_INBOUND_SECRET');
  process.exit(1);
}

function smtpError(code, message) {
  const err = new Error(message);
  err.responseCode = code;
  return err;
}

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, session, callback) {
    const chunks = session.envelope.rcptTo.map((r) => Buffer.from(`Delivered-To: ${r.address}\r\n`));
    stream.on('data', (chunk) => chunks.push(chunk));
    stream.on('error', callback);
    stream.on('end', async () => {
      try {
        const res = await fetch(`${api}/v1/inbound/email`, {
          method: 'POST', headers: { authorization: `Bearer ${secret}`, 'content-type': 'message/rfc822' }, body: Buffer.concat(chunks),
        });
        const answer = await res.text();
        // Recipients are reply addresses, whose tokens act on deliveries: never logged.
        console.log(`[inbound-smtp] a message to ${session.envelope.rcptTo.length} recipient(s): ${res.status} ${answer}`);
        if (res.ok) callback();
        else callback(smtpError(res.status < 500 ? 550 : 451, `the API answered ${res.status}`));
      } catch (err) {
        callback(smtpError(451, `the API is unreachable: ${err.message}`));
      }
    });
  },
});
server.on('error', (err) => {
  console.error(`[inbound-smtp] ${err.message}`);
  if (err.syscall === 'listen') process.exit(1);
});
server.listen(port, '127.0.0.1', () => console.log(`[inbound-smtp] listening on 127.0.0.1:${port}`));
const shutdown = () => server.close(() => process.exit(0));
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
