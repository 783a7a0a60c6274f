import type { DataSource } from 'typeorm';

export interface StoredResponse {
  requestHash: string;
  /** Null while the first request with the key is still running. */
  statusCode: number | null;
  response: unknown;
}

/** `Idempotency-Key`s of a company: claimed by the first request, then holding its response. */
export class IdempotencyKeysRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Takes the key for this request; false when another request already holds it. */
  async claim(companyId: string, key: string, path: string, requestHash: string): Promise<boolean> {
    const inserted: unknown[] = await this.dataSource.query(
      `INSERT INTO idempotency_keys (company_id, key, method, path, request_hash) VALUES ($1, $2, 'POST', $3, $4)
       ON CONFLICT DO NOTHING RETURNING key`,
      [companyId, key, path, requestHash],
    );
    return inserted.length > 0;
  }

  async find(companyId: string, key: string): Promise<StoredResponse | undefined> {
    const [row]: { request_hash: string; status_code: number | null; response: unknown }[] = await this.dataSource.query(
      'SELECT request_hash, status_code, response FROM idempotency_keys WHERE company_id = $1 AND key = $2',
      [companyId, key],
    );
    return row && { requestHash: row.request_hash, statusCode: row.status_code, response: row.response };
  }

  async keepResponse(companyId: string, key: string, statusCode: number, body: unknown): Promise<void> {
    await this.dataSource.query(
      'UPDATE idempotency_keys SET status_code = $3, response = $4 WHERE company_id = $1 AND key = $2',
      [companyId, key, statusCode, JSON.stringify(body ?? null)],
    );
  }

  /** A failed request frees its key, so that the client can retry. */
  async release(companyId: string, key: string): Promise<void> {
    await this.dataSource.query('DELETE FROM idempotency_keys WHERE company_id = $1 AND key = $2', [companyId, key]);
  }
}
