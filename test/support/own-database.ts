import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Client, Pool } from 'pg';
import { testEnv } from './env';

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * A migrated database of the suite's own on the provisioned Postgres, for a suite that asserts what is counted across
 * every company (the business gauges): in the shared database, suites running beside it move those counts.
 */
export class OwnDatabase {
  readonly name = `relance_own_${randomBytes(4).toString('hex')}`;
  readonly url: string;
  private pool?: Pool;

  constructor() {
    const url = new URL(testEnv().databaseUrl);
    url.pathname = `/${this.name}`;
    this.url = url.toString();
  }

  async create(): Promise<this> {
    await this.admin(`CREATE DATABASE ${this.name}`);
    execFileSync(process.execPath, ['dist/db/migrate.js'], { cwd: ROOT, env: { ...process.env, DATABASE_URL: this.url }, stdio: 'pipe' });
    return this;
  }

  async sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
    this.pool ??= new Pool({ connectionString: this.url, max: 2 });
    return (await this.pool.query(text, params)).rows as T[];
  }

  async drop(): Promise<void> {
    await this.pool?.end();
    await this.admin(`DROP DATABASE IF EXISTS ${this.name} WITH (FORCE)`);
  }

  private async admin(statement: string): Promise<void> {
    const client = new Client({ connectionString: testEnv().databaseUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  }
}
