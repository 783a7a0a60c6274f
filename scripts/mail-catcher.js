'use strict';
// A small mail catcher: a real SMTP listener that keeps every message it receives, with a web view
// (GET /) and a JSON API (GET/DELETE /api/messages) used by the e2e tests.
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

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, session, callback) {
    simpleParser(stream)
      .then((mail) => {
        messages.push({
          id: String(nextId++),
          receivedAt: new Date().toISOString(),
          envelope: {
            from: session.envelope.mailFrom && session.envelope.mailFrom.address,
            to: session.envelope.rcptTo.map((r) => r.address),
          },
          from: mail.from?.text ?? null,
          to: mail.to ? [].concat(mail.to).map((a) => a.text).join(', ') : null,
          subject: mail.subject ?? '',
          text: mail.text ?? '',
          html: typeof mail.html === 'string' ? mail.html : null,
          headers: Object.fromEntries([...mail.headers].filter(([, v]) => typeof v === 'string')),
        });
        callback();
      })
      .catch(callback);
  },
});

const escape = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page() {
  const rows = messages
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

const web = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname === '/api/messages' && req.method === 'GET') {
    const to = url.searchParams.get('to');
    const data = to ? messages.filter((m) => m.envelope.to.includes(to)) : messages;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(data));
  } else if (url.pathname === '/api/messages' && req.method === 'DELETE') {
    messages.length = 0;
    res.writeHead(204).end();
  } else if (url.pathname === '/' && req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page());
  } else {
    res.writeHead(404).end();
  }
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
