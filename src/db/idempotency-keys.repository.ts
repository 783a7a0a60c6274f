import type { DataSource } from 'typeorm';

export interface StoredResponse {
  requestHash: string;
  /** Null while the first request with the key is still running. */
  statusCode: number | null;
  /** The answer's JSON, sealed. */
  response: string | null;
}

/** How long a key holds its answer: after that, the same key is a new request. */
export const IDEMPOTENCY_KEY_TTL = '24 hours';

/**
 * How long a claim without an answer is taken for a request still running. An API process killed in the middle of a
 * request never answers nor frees its key; past this (longer than any request may last: a bulk decision's waves of
 * Updates take under 2 minutes), the same request with the same key runs again, as after a failed one.
 */
export const IDEMPOTENCY_CLAIM_LEASE = '2 minutes';

/**
 * `Idempotency-Key`s, each the one of the user who sent it: claimed by the first request, then holding its answer
 * (sealed by the caller) for IDEMPOTENCY_KEY_TTL.
 */
export class IdempotencyKeysRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Takes the key for this request, or takes it back once expired, or once its claim is past the lease unanswered and
   * this is the same request; answers the claim (its time, to the microsecond), undefined when a live request holds it.
   * Only the holder of the claim keeps its answer or frees it: a request that outlived its lease and was taken over
   * neither overwrites the new claim's answer nor frees it.
   */
  async claim(companyId: string, userId: string, key: string, path: string, requestHash: string): Promise<string | undefined> {
    const claimed: unknown = await this.dataSource.query(
      `INSERT INTO idempotency_keys (company_id, user_id, key, method, path, request_hash) VALUES ($1, $2, $3, 'POST', $4, $5)
       ON CONFLICT (company_id, user_id, key) DO UPDATE
         SET path = EXCLUDED.path, request_hash = EXCLUDED.request_hash, status_code = NULL, response = NULL,
             created_at = date_trunc('milliseconds', now())
         WHERE idempotency_keys.created_at <= now() - interval '${IDEMPOTENCY_KEY_TTL}'
            OR (idempotency_keys.status_code IS NULL AND idempotency_keys.request_hash = EXCLUDED.request_hash
                AND idempotency_keys.created_at <= now() - interval '${IDEMPOTENCY_CLAIM_LEASE}')
       RETURNING created_at::text AS claim`,
      [companyId, userId, key, path, requestHash],
    );
    return (claimed as { claim: string }[])[0]?.claim;
  }

  async findLive(companyId: string, userId: string, key: string): Promise<StoredResponse | undefined> {
    const [row]: { request_hash: string; status_code: number | null; response: string | null }[] = await this.dataSource.query(
      `SELECT request_hash, status_code, response FROM idempotency_keys
        WHERE company_id = $1 AND user_id = $2 AND key = $3 AND created_at > now() - interval '${IDEMPOTENCY_KEY_TTL}'`,
      [companyId, userId, key],
    );
    return row && { requestHash: row.request_hash, statusCode: row.status_code, response: row.response };
  }

  async keepResponse(companyId: string, userId: string, key: string, claim: string, statusCode: number, sealed: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE idempotency_keys SET status_code = $5, response = $6
        WHERE company_id = $1 AND user_id = $2 AND key = $3 AND created_at = $4::timestamptz AND status_code IS NULL`,
      [companyId, userId, key, claim, statusCode, sealed],
    );
  }

  /** A failed request frees its key, so that the client can retry (its own claim only). */
  async release(companyId: string, userId: string, key: string, claim: string): Promise<void> {
    await this.dataSource.query(
      'DELETE FROM idempotency_keys WHERE company_id = $1 AND user_id = $2 AND key = $3 AND created_at = $4::timestamptz AND status_code IS NULL',
      [companyId, userId, key, claim]);
  }

  /** Forgets the keys older than IDEMPOTENCY_KEY_TTL, at most `limit` of them; answers how many. */
  async purgeExpired(limit = 1000): Promise<number> {
    const [{ n }]: { n: number }[] = await this.dataSource.query(
      `WITH gone AS (
         DELETE FROM idempotency_keys WHERE ctid = ANY(ARRAY(
           SELECT ctid FROM idempotency_keys WHERE created_at <= now() - interval '${IDEMPOTENCY_KEY_TTL}' LIMIT $1))
         RETURNING 1
       ) SELECT count(*)::int AS n FROM gone`,
      [limit],
    );
    return n;
  }
}
