'use strict';
// The soak's API client, as a careful integrator writes one: every POST carries an Idempotency-Key, and a connection
// error, a 5xx or a 409 "still in progress" is retried with the SAME key, through the next API process, with backoff,
// until a deadline. Every answer is counted (the 5xx by API and status) for the report.
const { randomUUID } = require('node:crypto');

const IN_PROGRESS = /Idempotency-Key is still in progress/;

class ChaosClient {
  constructor(apiUrls, { deadlineMs = 120_000, stats }) {
    this.apiUrls = apiUrls;
    this.deadlineMs = deadlineMs;
    this.next = 0;
    this.stats = stats ?? { answers: new Map(), retries: 0, gaveUp: 0 };
  }

  /** The next API, round-robin. */
  pickApi() {
    const url = this.apiUrls[this.next % this.apiUrls.length];
    this.next += 1;
    return url;
  }

  count(api, status) {
    const key = `${api} ${status}`;
    this.stats.answers.set(key, (this.stats.answers.get(key) ?? 0) + 1);
  }

  /** One request to one API: `{ status, body }`, or `{ status: 0, error }` when the connection failed. */
  async once(api, method, path, { key, body, idempotencyKey, timeoutMs = 30_000 } = {}) {
    const headers = { authorization: `Bearer ${key}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
    try {
      const res = await fetch(`${api}${path}`, {
        method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.text();
      let parsed = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        /* not JSON */
      }
      this.count(api, res.status);
      return { status: res.status, body: parsed, api, replayed: res.headers.get('idempotent-replayed') === 'true' };
    } catch (err) {
      this.count(api, 'connection');
      return { status: 0, error: err.cause?.code ?? err.name ?? err.message, api };
    }
  }

  /**
   * A request retried until it gets an answer that is not a connection error, a 5xx or a 409 in progress, or until the
   * deadline; answers the last answer with `attempts` (each with its API and status) and `gaveUp` when out of time.
   */
  async send(method, path, { key, body, idempotencyKey = method === 'POST' ? randomUUID() : undefined, deadlineMs = this.deadlineMs } = {}) {
    const until = Date.now() + deadlineMs;
    const attempts = [];
    let wait = 250;
    for (;;) {
      const api = this.pickApi();
      const res = await this.once(api, method, path, { key, body, idempotencyKey });
      attempts.push({ api, status: res.status, at: Date.now(), message: typeof res.body === 'object' ? res.body?.message : undefined });
      const retry = res.status === 0 || res.status >= 500 || (res.status === 409 && IN_PROGRESS.test(res.body?.message ?? ''));
      if (!retry) return { ...res, attempts, idempotencyKey };
      if (Date.now() + wait > until) {
        this.stats.gaveUp += 1;
        return { ...res, attempts, idempotencyKey, gaveUp: true };
      }
      this.stats.retries += 1;
      await new Promise((r) => setTimeout(r, wait));
      wait = Math.min(2000, wait * 2);
    }
  }
}

module.exports = { ChaosClient, IN_PROGRESS };
