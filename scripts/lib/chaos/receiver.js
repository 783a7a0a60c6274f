'use strict';
// The integrator's webhook receiver, on 127.0.0.1: answers 200 to everything and counts each event by its id.
const http = require('node:http');

async function startWebhookReceiver() {
  const byEvent = new Map();
  let requests = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      requests += 1;
      try {
        const id = JSON.parse(body).id;
        byEvent.set(id, (byEvent.get(id) ?? 0) + 1);
      } catch {
        /* not an event: counted as a request only */
      }
      res.writeHead(200).end();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    byEvent,
    get requests() {
      return requests;
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

module.exports = { startWebhookReceiver };
