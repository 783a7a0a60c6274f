/**
 * Inbound mail benchmark: `npm run bench:inbound`. Starts the real API process from dist/ with RELANCE_INBOUND_SECRET,
 * seeds one company and a customer with 1,000 invoices, each with the reply address of a reminder about it, and
 * measures at 32 connections, side by side in the same run:
 *   create   POST /v1/invoices        (auth + customer check + number check + insert, one transaction: bench:api's create)
 *   inbound  POST /v1/inbound/email   (a person's 20 kB reply, each to the next of those addresses and its own text:
 *                                      secret, parse, lookup, classify, then what a reply does: pause, message, task, event)
 *   unmatched POST /v1/inbound/email  (the same replies to addresses that map to nothing: receiving alone, no effect)
 * create runs again at the end; the ratios use the mean of its two runs.
 * Target: inbound at least 0.8x create's requests/s.
 */
import autocannon from 'autocannon';
import { createHash } from 'node:crypto';
import { base32 } from '../src/domain/inbound/reply-address';
import { Client } from 'pg';
import { freePort } from '../test/support/net';
import { pidListening, type sampleCpu } from './cpu';
import { need } from './env';
import { CONNECTIONS, DURATION_S, type LoadRow as Row, measureLoad } from './load';
import { call, ROOT, stopProcess, waitForApi } from './processes';
import { spawn } from 'node:child_process';

const DOMAIN = 'inbound.bench.test';
const SECRET = 'bench-inbound-secret-0123456789abcdef';
const ADDRESSES = 1000;
const REPLY_BYTES = 20 * 1024;

/** A person's reply of about 20 kB: a few lines of their own above the reminder they quote, as mail clients write it. */
function reply(to: string, n: number): string {
  const quoted = Array.from({ length: 400 }, (_, i) => `> Line ${i} of the reminder for invoice B-0001, quoted by the mail client.`).join('\r\n');
  const text = `We paid by wire on Tuesday, reference ${n}.\r\n\r\nOn Mon, Acme <billing@acme.test> wrote:\r\n${quoted}`.slice(0, REPLY_BYTES);
  return [
    'From: Grace Hopper <grace@customer.bench.test>', `To: ${to}`, 'Subject: Re: Step 2: B-0001 is past due',
    `Date: ${new Date().toUTCString()}`, `Message-ID: <reply-${n}@customer.bench.test>`, 'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8', '', text, '',
  ].join('\r\n');
}


let processes: Parameters<typeof sampleCpu>[0] = {};

const measure = (name: string, options: autocannon.Options): Promise<Row> => measureLoad(name, options, processes);

async function main(): Promise<void> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const api = spawn(process.execPath, ['dist/api/main.js'], {
    cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, PORT: String(port), NODE_ENV: 'production', INBOUND_DOMAIN: DOMAIN, RELANCE_INBOUND_SECRET: SECRET },
  });
  try {
    await waitForApi(base, api);
    const created = await call(base, 'POST', '/v1/companies', undefined, {
      company: { name: 'Bench Inc.', locale: 'en-US', timezone: 'America/Toronto', currency: 'USD' },
      admin: { name: 'Bench Admin', email: `bench-${Date.now()}@bench.test` },
    });
    const apiKey = created.apiKey as string;
    const customer = await call(base, 'POST', '/v1/customers', apiKey, { name: 'Bench Customer', email: 'grace@customer.bench.test' });
    const tokens = Array.from({ length: ADDRESSES }, (_, i) => base32(createHash('sha256').update(`bench-${i}`).digest().subarray(0, 20)));
    const db = new Client({ connectionString: need('DATABASE_URL') });
    await db.connect();
    try {
      // One invoice per reply address, each the reminder of its own delivery, so that replies do not queue on one row.
      await db.query(
        `WITH inv AS (
           INSERT INTO invoices (company_id, number, customer_id, amount, balance, issue_date, due_date, created_by)
           SELECT $1, 'R-' || lpad(g::text, 5, '0'), $2, 100.00, 100.00, DATE '2026-11-01', DATE '2026-12-01', $3 FROM generate_series(1, $4::int) AS g
           RETURNING id, number)
         INSERT INTO reply_addresses (company_id, token_hash, delivery_key, recipient, customer_id, invoice_ids)
         SELECT $1, ($5::bytea[])[substr(number, 3)::int], 'bench|' || number, $6, $2, ARRAY[id] FROM inv`,
        [created.company.id, customer.id, created.user.id, ADDRESSES, tokens.map((t) => createHash('sha256').update(t).digest()), customer.email]);
    } finally {
      await db.end();
    }
    processes = {
      api: { pid: api.pid },
      postgres: { pid: pidListening(Number(new URL(need('DATABASE_URL')).port)), tree: true },
      autocannon: { pid: process.pid },
    };
    const sample = Buffer.byteLength(reply(`r-${tokens[0]}@${DOMAIN}`, 1));
    let n = 0;
    let number = 0;
    const create: autocannon.Options = {
      url: `${base}/v1/invoices`, method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      requests: [{
        setupRequest: (req) => ({
          ...req, body: JSON.stringify({ number: `B-${++number}`, customerId: customer.id, amount: '1250.00', issueDate: '2026-12-01', dueDate: '2026-12-31' }),
        }),
      }],
    };
    const inbound: autocannon.Options = {
      url: `${base}/v1/inbound/email`, method: 'POST', headers: { authorization: `Bearer ${SECRET}`, 'content-type': 'message/rfc822' },
      // Each request is another reply (its own Message-ID), as an MTA would deliver them.
      requests: [{ setupRequest: (req) => ({ ...req, body: reply(`r-${tokens[++n % ADDRESSES]}@${DOMAIN}`, n) }) }],
    };
    const unmatched: autocannon.Options = {
      ...inbound, requests: [{ setupRequest: (req) => ({ ...req, body: reply(`r-${'z'.repeat(32)}@${DOMAIN}`, ++n) }) }],
    };
    console.log(`a reply of ${(sample / 1024).toFixed(1)} kB; ${CONNECTIONS} connections, ${DURATION_S} s per endpoint (after a 2 s warm-up)\n`);
    const rows = [
      await measure('create   POST /v1/invoices', create),
      await measure('inbound  POST /v1/inbound/email', inbound),
      await measure('unmatched POST /v1/inbound/email', unmatched),
      await measure('create   POST /v1/invoices (again)', create),
    ];
    const [firstCreate, replies, receiving, lastCreate] = rows;
    console.log('endpoint                                  req/s     p50 ms   p99 ms   2xx       failed');
    for (const r of rows) {
      console.log(`${r.name.padEnd(40)}${r.rps.toFixed(0).padStart(7)}${r.p50.toFixed(1).padStart(10)}${r.p99.toFixed(1).padStart(9)}` +
        `${String(r.ok).padStart(9)}${String(r.failed).padStart(9)}`);
    }
    console.log('\nCPU per request (2 cores shared by all three):');
    for (const r of rows) console.log(`  ${r.name.slice(0, 9)} ${r.cpu}`);
    const createRps = (firstCreate.rps + lastCreate.rps) / 2;
    const ratio = replies.rps / createRps;
    console.log(`\ninbound / create (mean of both create runs, ${createRps.toFixed(0)} req/s): ${ratio.toFixed(2)}x; ` +
      `unmatched (receiving alone) / create: ${(receiving.rps / createRps).toFixed(2)}x`);
    const met = ratio >= 0.8 && rows.every((r) => r.failed === 0);
    console.log(`target (inbound >= 0.8x create, nothing failed): ${met ? 'met' : 'MISSED'}`);
  } finally {
    await stopProcess(api);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
