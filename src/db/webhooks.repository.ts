import { ALL_WEBHOOK_EVENTS, COMPANY_PUSH_EVENTS, type WebhookEventType } from '../contracts';
import { decodeCursor, encodeCursor } from './cursor';
import type { Page, PageRequest } from './pagination';
import type { Queryable } from './reminder-definitions.repository';

/** A data source, a transaction's manager, or the outbox's transaction (`Sql`). */
export interface WebhookDb {
  query(text: string, params?: unknown[]): Promise<unknown>;
}

export interface WebhookEndpointRow {
  id: string;
  companyId: string;
  url: string;
  events: string[];
  source: 'api' | 'company';
  createdAt: Date;
  updatedAt: Date;
}

/** An event to record: `id` comes from the fact (webhookEventId), so recording it again is a no-op. */
export interface NewWebhookEvent {
  id: string;
  companyId: string;
  type: WebhookEventType;
  data: Record<string, unknown>;
}

export interface WebhookAttemptRow {
  id: string;
  deliveryId: string;
  eventId: string;
  eventType: string;
  attempt: number;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  deliveryStatus: string;
  createdAt: Date;
}

/**
 * What an attempt sends: the delivery, its endpoint's URL and secrets (as stored: sealed), and the event as first
 * recorded.
 */
export interface DeliveryToAttempt {
  id: string;
  /** Attempts logged so far. */
  attempts: number;
  status: 'pending' | 'retrying' | 'delivered' | 'failed';
  companyId: string;
  endpointId: string;
  url: string;
  secret: string;
  /** The secret a rotation replaced, for WEBHOOK_SECRET_OVERLAP after it: it signs too. */
  previousSecret?: string | null;
  event: { id: string; type: string; createdAt: string; companyId: string; data: unknown };
}

const ENDPOINT_COLUMNS = 'id, company_id, url, events, source, created_at, updated_at';

/** How long the secret a rotation replaced still signs, beside the new one. */
export const WEBHOOK_SECRET_OVERLAP = '24 hours';

/** An endpoint's secrets as stored (sealed, or in clear from before they were sealed). */
export interface StoredWebhookSecrets {
  id: string;
  secret: string;
  previousSecret: string | null;
}

function toEndpoint(r: Record<string, unknown>): WebhookEndpointRow {
  return {
    id: r.id as string, companyId: r.company_id as string, url: r.url as string, events: r.events as string[],
    source: r.source as 'api' | 'company', createdAt: r.created_at as Date, updatedAt: r.updated_at as Date,
  };
}

/** A subscription that takes the event type in `$n`: the type itself, or everything. */
/** SQL: the endpoint `alias` takes events of the type `typeSql`. */
export const subscribed = (alias: string, typeSql: string) => `(${typeSql} = ANY(${alias}.events) OR '${ALL_WEBHOOK_EVENTS}' = ANY(${alias}.events))`;

/**
 * Records events, each with one delivery per endpoint of the company subscribed to its type, in one statement: in the
 * caller's transaction when `db` is one (the fact and its event commit together). An event nobody subscribes to is not
 * kept; an event recorded already (same id) adds nothing. The worker's dispatcher starts the deliveries' workflows.
 */
export async function recordWebhookEvents(db: WebhookDb, events: NewWebhookEvent[]): Promise<void> {
  if (events.length === 0) return;
  await db.query(
    `WITH given AS (
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::jsonb[]) AS g(id, company_id, type, data)
     ), inserted AS (
       INSERT INTO webhook_events (id, company_id, type, data)
       SELECT g.id, g.company_id, g.type, g.data FROM given g
        WHERE EXISTS (SELECT 1 FROM webhook_endpoints w WHERE w.company_id = g.company_id AND ${subscribed('w', 'g.type')})
       ON CONFLICT (id) DO NOTHING
       RETURNING id, company_id, type
     )
     INSERT INTO webhook_deliveries (company_id, event_id, endpoint_id)
     SELECT i.company_id, i.id, w.id FROM inserted i
       JOIN webhook_endpoints w ON w.company_id = i.company_id AND ${subscribed('w', 'i.type')}
     ON CONFLICT (event_id, endpoint_id) DO NOTHING`,
    [events.map((e) => e.id), events.map((e) => e.companyId), events.map((e) => e.type), events.map((e) => JSON.stringify(e.data))],
  );
}

/** Webhook endpoints, their deliveries and attempts. */
export class WebhooksRepository {
  /** `db` may be a transaction's manager. */
  constructor(private readonly db: Queryable) {}

  /** `secret` sealed. */
  async insertEndpoint(e: { companyId: string; url: string; events: string[]; secret: string }): Promise<WebhookEndpointRow> {
    const [row] = await this.db.query(
      `INSERT INTO webhook_endpoints (company_id, url, events, secret) VALUES ($1, $2, $3, $4) RETURNING ${ENDPOINT_COLUMNS}`,
      [e.companyId, e.url, e.events, e.secret]);
    return toEndpoint(row);
  }

  async findEndpoint(companyId: string, id: string): Promise<WebhookEndpointRow | null> {
    const [row] = await this.db.query(`SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE id = $1 AND company_id = $2`, [id, companyId]);
    return row ? toEndpoint(row) : null;
  }

  /** In creation order, keyset-paginated like every list. */
  async findEndpointPage(companyId: string, page: PageRequest): Promise<Page<WebhookEndpointRow>> {
    return keysetPage(this.db, `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE company_id = $1`, [companyId], page, toEndpoint);
  }

  async updateEndpoint(companyId: string, id: string, change: { url?: string; events?: string[] }): Promise<WebhookEndpointRow | null> {
    const [row] = await this.db.query(
      `UPDATE webhook_endpoints SET url = coalesce($3, url), events = coalesce($4, events), updated_at = now()
        WHERE id = $1 AND company_id = $2 RETURNING ${ENDPOINT_COLUMNS}`,
      [id, companyId, change.url ?? null, change.events ?? null]);
    // TypeORM answers an UPDATE ... RETURNING as [rows, count].
    const r = Array.isArray(row) ? row[0] : row;
    return r ? toEndpoint(r) : null;
  }

  /**
   * A new secret (sealed); the one it replaces keeps signing for WEBHOOK_SECRET_OVERLAP. Answers the endpoint and when
   * the replaced secret stops signing; null when there is no such endpoint.
   */
  async rotateSecret(companyId: string, id: string, sealed: string): Promise<{ endpoint: WebhookEndpointRow; previousSecretExpiresAt: Date } | null> {
    const [rows] = await this.db.query(
      `UPDATE webhook_endpoints SET previous_secret = secret, secret = $3, secret_rotated_at = now(), updated_at = now()
        WHERE id = $1 AND company_id = $2
        RETURNING ${ENDPOINT_COLUMNS}, secret_rotated_at + interval '${WEBHOOK_SECRET_OVERLAP}' AS previous_until`,
      [id, companyId, sealed]);
    const r = Array.isArray(rows) ? rows[0] : rows;
    return r ? { endpoint: toEndpoint(r), previousSecretExpiresAt: r.previous_until as Date } : null;
  }

  /** The endpoints whose secrets do not all start with `prefix` (the current key's): in clear, or under an older key. */
  async findSecretsNotStartingWith(prefix: string): Promise<StoredWebhookSecrets[]> {
    const rows: { id: string; secret: string; previous_secret: string | null }[] = await this.db.query(
      `SELECT id, secret, previous_secret FROM webhook_endpoints
        WHERE NOT starts_with(secret, $1) OR NOT starts_with(coalesce(previous_secret, $1), $1)`, [prefix]);
    return rows.map((r) => ({ id: r.id, secret: r.secret, previousSecret: r.previous_secret }));
  }

  /** Replaces the secrets read as `was` by `now`; false when they changed meanwhile (a rotation: its own are sealed). */
  async replaceSecrets(was: StoredWebhookSecrets, now: { secret: string; previousSecret: string | null }): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `WITH r AS (
         UPDATE webhook_endpoints SET secret = $4, previous_secret = $5
          WHERE id = $1 AND secret = $2 AND previous_secret IS NOT DISTINCT FROM $3 RETURNING id
       ) SELECT id FROM r`,
      [was.id, was.secret, was.previousSecret, now.secret, now.previousSecret]);
    return rows.length > 0;
  }

  /** Its deliveries and attempts go with it; a delivery's workflow finds it gone and stops. */
  async deleteEndpoint(companyId: string, id: string): Promise<boolean> {
    const rows: { id: string }[] = await this.db.query(
      'WITH d AS (DELETE FROM webhook_endpoints WHERE id = $1 AND company_id = $2 RETURNING id) SELECT id FROM d', [id, companyId]);
    return rows.length > 0;
  }

  /**
   * The endpoint that stands for the company's `webhookUrl` (push notifications): created, moved (with a new secret,
   * sealed; the old one stops signing at once) or removed with it.
   */
  async setCompanyEndpoint(companyId: string, url: string | null, sealedSecret: string | null): Promise<void> {
    if (!url || !sealedSecret) {
      await this.db.query(`DELETE FROM webhook_endpoints WHERE company_id = $1 AND source = 'company'`, [companyId]);
      return;
    }
    await this.db.query(
      `INSERT INTO webhook_endpoints (company_id, url, events, secret, source) VALUES ($1, $2, $3, $4, 'company')
       ON CONFLICT (company_id) WHERE source = 'company' DO UPDATE
         SET url = EXCLUDED.url, secret = EXCLUDED.secret, previous_secret = NULL, secret_rotated_at = NULL, updated_at = now()`,
      [companyId, url, COMPANY_PUSH_EVENTS, sealedSecret]);
  }

  /** Every attempt to the endpoint, in the order they were made. */
  async findAttemptPage(companyId: string, endpointId: string, page: PageRequest): Promise<Page<WebhookAttemptRow>> {
    return keysetPage(this.db,
      `SELECT a.id, a.delivery_id, d.event_id, e.type, a.attempt, a.status_code, a.error, a.duration_ms, d.status, a.created_at
         FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id JOIN webhook_events e ON e.id = d.event_id
        WHERE a.endpoint_id = $1 AND a.company_id = $2`,
      [endpointId, companyId], page, (r) => ({
        id: r.id as string, deliveryId: r.delivery_id as string, eventId: r.event_id as string, eventType: r.type as string,
        attempt: r.attempt as number, statusCode: r.status_code as number | null, error: r.error as string | null,
        durationMs: r.duration_ms as number, deliveryStatus: r.status as string, createdAt: r.created_at as Date,
      }), 'a');
  }

  async deliveryExists(companyId: string, endpointId: string, deliveryId: string): Promise<boolean> {
    const rows = await this.db.query(
      'SELECT 1 FROM webhook_deliveries WHERE id = $1 AND endpoint_id = $2 AND company_id = $3', [deliveryId, endpointId, companyId]);
    return rows.length > 0;
  }

  /** Deliveries no workflow was started for yet, oldest first. */
  async findUndispatched(limit: number): Promise<Array<{ id: string; companyId: string }>> {
    const rows: { id: string; company_id: string }[] = await this.db.query(
      'SELECT id, company_id FROM webhook_deliveries WHERE dispatched_at IS NULL ORDER BY created_at LIMIT $1', [limit]);
    return rows.map((r) => ({ id: r.id, companyId: r.company_id }));
  }

  async markDispatched(ids: string[]): Promise<void> {
    await this.db.query('UPDATE webhook_deliveries SET dispatched_at = now() WHERE id = ANY($1::uuid[]) AND dispatched_at IS NULL', [ids]);
  }

  async findToAttempt(deliveryId: string): Promise<DeliveryToAttempt | null> {
    const [r] = await this.db.query(
      `SELECT d.id, d.status, d.attempts, d.company_id, d.endpoint_id, w.url, w.secret,
              CASE WHEN w.secret_rotated_at > now() - interval '${WEBHOOK_SECRET_OVERLAP}' THEN w.previous_secret END AS previous_secret,
              e.id AS event_id, e.type, e.created_at, e.data
         FROM webhook_deliveries d JOIN webhook_endpoints w ON w.id = d.endpoint_id JOIN webhook_events e ON e.id = d.event_id
        WHERE d.id = $1`, [deliveryId]);
    if (!r) return null;
    return {
      id: r.id, status: r.status, attempts: r.attempts, companyId: r.company_id, endpointId: r.endpoint_id, url: r.url, secret: r.secret,
      previousSecret: r.previous_secret,
      event: { id: r.event_id, type: r.type, createdAt: (r.created_at as Date).toISOString(), companyId: r.company_id, data: r.data },
    };
  }

  /**
   * The attempt and the delivery's new state, in one statement; false when the delivery is gone meanwhile. Attempts are
   * numbered per delivery as they are logged: a POST that an activity retry repeats (a worker killed before Temporal
   * heard of the attempt) is an attempt of its own.
   */
  async recordAttempt(a: {
    deliveryId: string; statusCode: number | null; error: string | null; durationMs: number;
    status: 'delivered' | 'retrying' | 'failed'; nextAttemptAt: string | null;
  }): Promise<boolean> {
    const rows = await this.db.query(
      `WITH d AS (
         UPDATE webhook_deliveries SET status = $2, attempts = attempts + 1, next_attempt_at = $3, updated_at = now()
          WHERE id = $1 RETURNING id, company_id, endpoint_id, attempts
       )
       INSERT INTO webhook_attempts (company_id, endpoint_id, delivery_id, attempt, status_code, error, duration_ms)
       SELECT d.company_id, d.endpoint_id, d.id, d.attempts, $4, $5, $6 FROM d RETURNING id`,
      [a.deliveryId, a.status, a.nextAttemptAt, a.statusCode, a.error, a.durationMs]);
    return rows.length > 0;
  }
}

/** Keyset pagination in creation order on (created_at, id) over a raw query of `alias`'s table. */
async function keysetPage<T>(
  db: Queryable, select: string, params: unknown[], page: PageRequest, map: (r: Record<string, unknown>) => T, alias = '',
): Promise<Page<T>> {
  const limit = page.limit ?? 50;
  const col = (c: string) => (alias ? `${alias}.${c}` : c);
  const args = [...params];
  let where = '';
  if (page.cursor) {
    const c = decodeCursor(page.cursor);
    args.push(new Date(c.key), c.id);
    where = ` AND (${col('created_at')}, ${col('id')}) > ($${args.length - 1}::timestamptz, $${args.length}::uuid)`;
  }
  args.push(limit + 1);
  const rows: Record<string, unknown>[] = await db.query(
    `${select}${where} ORDER BY ${col('created_at')}, ${col('id')} LIMIT $${args.length}`, args);
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const last = kept[kept.length - 1];
  return {
    data: kept.map(map),
    nextCursor: more && last ? encodeCursor((last.created_at as Date).toISOString(), last.id as string) : null,
  };
}
