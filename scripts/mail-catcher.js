'use strict';
// The tests' mail catcher: a real SMTP listener that keeps every message it receives, with a web view
// (GET /) and a JSON API (GET/DELETE /api/messages) used by the e2e tests. `npm run dev` runs MailDev instead.
const http = require('node:http');
const { SMTPServer } = require('smtp-server');
const { simpleParser } = require('mailparser');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const smtpPort = arg('smtp-port', 1025);
const httpPort = arg('http-port', 1080);
const messages = [];
let nextId = 1;

// Messages are kept as received and parsed once, when first read: parsing MIME costs more CPU than receiving it,
// and on a shared machine (tests, benchmarks) that CPU is taken from the API and the worker.
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (chunk) => chunks.push(chunk));
    stream.on('error', callback);
    stream.on('end', () => {
      messages.push({
        id: String(nextId++),
        receivedAt: new Date().toISOString(),
        envelope: {
          from: session.envelope.mailFrom && session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((r) => r.address),
        },
        raw: Buffer.concat(chunks),
      });
      callback();
    });
  },
});

/** A message as the JSON API and the web view show it. */
function view(message) {
  message.view ??= simpleParser(message.raw).then((mail) => ({
    id: message.id,
    receivedAt: message.receivedAt,
    envelope: message.envelope,
    from: mail.from?.text ?? null,
    to: mail.to ? [].concat(mail.to).map((a) => a.text).join(', ') : null,
    subject: mail.subject ?? '',
    text: mail.text ?? '',
    html: typeof mail.html === 'string' ? mail.html : null,
    headers: Object.fromEntries([...mail.headers].filter(([, v]) => typeof v === 'string')),
    // Headers as written (mailparser turns List-* headers into objects), and attachments with their bytes.
    headerLines: Object.fromEntries(mail.headerLines.map((h) => [h.key, h.line.slice(h.line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim()])),
    attachments: (mail.attachments ?? []).map((a) => ({
      filename: a.filename ?? null, contentType: a.contentType, size: a.size, content: a.content.toString('base64'),
    })),
  }));
  return message.view;
}

const escape = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(views) {
  const rows = views
    .slice()
    .reverse()
    .map((m) => `<details><summary><b>${escape(m.subject)}</b> — to ${escape(m.envelope.to.join(', '))}` +
      ` — ${escape(m.receivedAt)}</summary><pre>${escape(m.text)}</pre>` +
      (m.html ? `<iframe sandbox srcdoc="${escape(m.html)}" style="width:100%;height:300px"></iframe>` : '') +
      '</details>')
    .join('\n');
  return `<!doctype html><meta charset="utf-8"><title>Relance mail catcher</title>
<style>body{font-family:system-ui;margin:2em}details{border-bottom:1px solid #ddd;padding:.5em 0}</style>
<h1>Relance mail catcher</h1><p>${messages.length} message(s) received on SMTP port ${smtpPort}.
<a href="/api/messages">JSON</a></p>${rows || '<p>No mail yet.</p>'}`;
}

const web = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://localhost');
  try {
    if (url.pathname === '/api/messages' && req.method === 'GET') {
      const to = url.searchParams.get('to');
      const data = await Promise.all((to ? messages.filter((m) => m.envelope.to.includes(to)) : messages).map(view));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(data));
    } else if (url.pathname === '/api/messages' && req.method === 'DELETE') {
      messages.length = 0;
      res.writeHead(204).end();
    } else if (url.pathname === '/' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(await Promise.all(messages.map(view))));
    } else {
      res.writeHead(404).end();
    }
  } catch (err) {
    res.writeHead(500, { 'content-type': 'text/plain' }).end(`could not read the messages: ${err.message}`);
  }
});

// A client gone mid-message (a worker killed with SIGKILL resets its connection) ends that message, not the listener
// every later suite needs.
smtp.on('error', (err) => {
  console.error(`[mail-catcher] ${err.message}`);
  if (err.syscall === 'listen') process.exit(1);
});
smtp.listen(smtpPort, '127.0.0.1');
web.listen(httpPort, '127.0.0.1');
const shutdown = () => {
  web.close();
  smtp.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
