/**
 * The raw HTTP tier of `npm run bench:approvals`' same-protocol reference, a process of its own like the product's API:
 * node:http, plain `pg` and the SDK's client, no framework. `POST /submit/<id>` does the submission's statements and
 * starts `baselineApprovalProtocol`; `POST /approve/<id>` reads the pending approval, sends the decision as an Update
 * (answered once it is durable) and reads the answer, as the product's routes do (bench/baseline.activities.ts counts).
 */
import { Client, Connection } from '@temporalio/client';
import { createServer, type IncomingMessage } from 'node:http';
import { Pool } from 'pg';
import { APPROVAL_WORK, benchRead, benchWork } from './baseline.activities';
import { baselineApprovalProtocol, baselineDecisionUpdate, baselineStatus } from './baseline.workflows';
import { need, temporalOptions } from './env';

async function body(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
}

async function main(): Promise<void> {
  const taskQueue = need('BENCH_TASK_QUEUE');
  const connection = await Connection.connect(temporalOptions());
  const client = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
  const pool = new Pool({ connectionString: need('DATABASE_URL'), max: 10 });

  const server = createServer((req, res) => {
    const [, action, id] = (req.url ?? '').split('/');
    const answer = (status: number, json: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    void (async () => {
      if (req.method === 'POST' && action === 'submit' && id) {
        await benchWork(pool, id, 'submit', APPROVAL_WORK.submit);
        await client.workflow.start(baselineApprovalProtocol, {
          taskQueue, workflowId: id, args: [id], typedSearchAttributes: [{ key: baselineStatus, value: 'pending_approval' }],
        });
        await benchRead(pool, id);
        return answer(200, { id, status: 'pending_approval' });
      }
      if (req.method === 'POST' && action === 'approve' && id) {
        const { userId } = (await body(req)) as { userId: string };
        await benchRead(pool, id);
        const decided = await client.workflow.getHandle(id).executeUpdate(baselineDecisionUpdate, { args: [{ userId }] });
        await benchRead(pool, id);
        return answer(200, { id, status: 'approved', approvedBy: decided.approvedBy });
      }
      answer(404, { message: 'not found' });
    })().catch((err: Error) => answer(500, { message: err.message }));
  });
  server.listen(Number(need('BENCH_PORT')), '127.0.0.1', () => console.log(`[baseline-api] listening on ${need('BENCH_PORT')}`));

  const stop = () => server.close(() => void Promise.all([connection.close(), pool.end()]).then(() => process.exit(0)));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
