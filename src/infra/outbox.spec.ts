import type { Claim, DeliveriesRepository } from '../db/deliveries.repository';
import type { Sql } from '../db/sql';
import { WebhookAnswered } from './delivery-failures';
import { createOutbox, type DeliveryIntent } from './outbox';

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED', syscall: 'connect' });
const cutOff = () => Object.assign(new Error('Connection closed unexpectedly'), { code: 'ECONNECTION', command: 'CONN' });
const rejected = () => Object.assign(new Error('550 5.1.1 no such user'), { code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO' });

/** The repository as the outbox sees it, each statement a mock; `claim` answers what the test says the table holds. */
function repository(claim: Claim) {
  const tx: Sql = { query: jest.fn(async () => []) };
  const repo = {
    claim: jest.fn(async () => claim),
    claimWith: jest.fn(async () => claim),
    markSent: jest.fn(async () => undefined),
    markFailed: jest.fn(async () => undefined),
    release: jest.fn(async () => undefined),
    recordFailure: jest.fn(async () => undefined),
    noteInDoubt: jest.fn(async () => undefined),
    transaction: jest.fn(async <T>(work: (t: Sql) => Promise<T>) => work(tx)),
  };
  return repo as typeof repo & DeliveriesRepository;
}

function intent(attempt = 1): DeliveryIntent {
  return {
    key: 'def|invoice:1|due-2026-12-01|email|ada@customer.test',
    owner: { companyId: 'c', definitionId: 'def', runId: 'run-1', recordType: 'invoice', recordId: '1' },
    occurrence: 'due-2026-12-01', channel: 'email', recipient: 'ada@customer.test', attempt,
  };
}

describe(createOutbox.name, () => {
  describe('atLeastOnce', () => {
    it('takes a row left pending by an earlier attempt and sends it again', async () => {
      const repo = repository({ claimed: true });
      const send = jest.fn(async () => undefined);
      expect(await createOutbox(repo).deliver(intent(2), { policy: 'atLeastOnce', send })).toEqual({ status: 'delivered' });
      expect(repo.claim).toHaveBeenCalledWith(intent(2), { status: 'pending', retakePending: true, token: expect.any(String) });
      expect(send).toHaveBeenCalledWith(intent().key);
      expect(repo.markSent).toHaveBeenCalledWith(intent().key);
    });

    it('releases the claim on any transient failure (the retry resends anyway) and fails', async () => {
      const repo = repository({ claimed: true });
      await expect(createOutbox(repo).deliver(intent(), { policy: 'atLeastOnce', send: async () => { throw cutOff(); } }))
        .rejects.toThrow('Connection closed unexpectedly');
      expect(repo.release).toHaveBeenCalledWith(intent().key, expect.any(String), 'Connection closed unexpectedly');
    });
  });

  describe('atMostOnce', () => {
    it('never takes a pending row, and reports this run\'s from an earlier attempt as in doubt without sending', async () => {
      const repo = repository({ claimed: false, status: 'pending', runId: 'run-1' });
      const send = jest.fn(async () => undefined);
      const outcome = await createOutbox(repo).deliver(intent(2), { policy: 'atMostOnce', send });
      expect(outcome).toEqual({ status: 'inDoubt', error: expect.stringContaining('not resent') });
      expect(repo.claim).toHaveBeenCalledWith(intent(2), { status: 'pending', retakePending: false, token: expect.any(String) });
      expect(repo.noteInDoubt).toHaveBeenCalledWith(intent().key, expect.stringContaining('in doubt'));
      expect(send).not.toHaveBeenCalled();
    });

    it('skips another run\'s pending row, and answers delivered for a row this run sent', async () => {
      const send = jest.fn(async () => undefined);
      expect(await createOutbox(repository({ claimed: false, status: 'pending', runId: 'run-0' })).deliver(intent(2), { policy: 'atMostOnce', send }))
        .toEqual({ status: 'skipped' });
      expect(await createOutbox(repository({ claimed: false, status: 'sent', runId: 'run-1' })).deliver(intent(2), { policy: 'atMostOnce', send }))
        .toEqual({ status: 'delivered' });
      expect(await createOutbox(repository({ claimed: false, status: 'sent', runId: 'run-0' })).deliver(intent(1), { policy: 'atMostOnce', send }))
        .toEqual({ status: 'skipped' });
      expect(send).not.toHaveBeenCalled();
    });

    it('releases the claim when the send surely did not happen, keeps it pending when it may have', async () => {
      const repo = repository({ claimed: true });
      await expect(createOutbox(repo).deliver(intent(), { policy: 'atMostOnce', send: async () => { throw refused(); } })).rejects.toThrow('ECONNREFUSED');
      expect(repo.release).toHaveBeenCalledTimes(1);
      await expect(createOutbox(repo).deliver(intent(), { policy: 'atMostOnce', send: async () => { throw cutOff(); } })).rejects.toThrow('closed');
      expect(repo.release).toHaveBeenCalledTimes(1);
    });
  });

  it('records the record\'s own failure and answers it, without failing the activity', async () => {
    const repo = repository({ claimed: true });
    const outcome = await createOutbox(repo).deliver(intent(), { policy: 'atMostOnce', send: async () => { throw rejected(); } });
    expect(outcome).toEqual({ status: 'failed', error: '550 5.1.1 no such user' });
    expect(repo.markFailed).toHaveBeenCalledWith(intent().key, '550 5.1.1 no such user');
    const hook = await createOutbox(repo).deliver(intent(), { policy: 'atMostOnce', send: async () => { throw new WebhookAnswered('http://h.test', 410); } });
    expect(hook).toEqual({ status: 'failed', error: 'webhook http://h.test answered 410' });
    expect(repo.release).not.toHaveBeenCalled();
  });

  it('retries the sent mark while the database is unreachable, heartbeating, for a bounded time', async () => {
    const repo = repository({ claimed: true });
    repo.markSent.mockRejectedValueOnce(refused()).mockRejectedValueOnce(refused());
    const heartbeat = jest.fn();
    const send = jest.fn(async () => undefined);
    expect(await createOutbox(repo, { heartbeat }).deliver(intent(), { policy: 'atMostOnce', send })).toEqual({ status: 'delivered' });
    expect(repo.markSent).toHaveBeenCalledTimes(3);
    expect(heartbeat).toHaveBeenCalled();

    const down = repository({ claimed: true });
    down.markSent.mockRejectedValue(refused());
    await expect(createOutbox(down, { bookkeepingRetryMs: 300 }).deliver(intent(), { policy: 'atMostOnce', send })).rejects.toThrow('ECONNREFUSED');
    expect(down.markSent.mock.calls.length).toBeGreaterThan(1);
    expect(down.release).not.toHaveBeenCalled();
  });

  describe('inDatabase', () => {
    it('applies the effect in the claim\'s transaction only when it claimed the row', async () => {
      const apply = jest.fn(async () => undefined);
      const repo = repository({ claimed: true });
      expect(await createOutbox(repo).deliver(intent(), { policy: 'inDatabase', apply })).toEqual({ status: 'delivered' });
      expect(repo.claim).toHaveBeenCalledWith(intent(), { status: 'sent', retakePending: false, token: expect.any(String) }, expect.anything());
      expect(apply).toHaveBeenCalledTimes(1);
      expect(await createOutbox(repository({ claimed: false, status: 'sent', runId: 'run-0' })).deliver(intent(), { policy: 'inDatabase', apply }))
        .toEqual({ status: 'skipped' });
      expect(apply).toHaveBeenCalledTimes(1);
    });

    it('runs a one-statement effect in the claim\'s own statement', async () => {
      const repo = repository({ claimed: true });
      const statement = { sql: 'INSERT INTO tasks (title) SELECT $1 WHERE EXISTS (SELECT 1 FROM claimed)', params: ['Call Ada'] };
      expect(await createOutbox(repo).deliver(intent(), { policy: 'inDatabase', statement })).toEqual({ status: 'delivered' });
      expect(repo.claimWith).toHaveBeenCalledWith(intent(), { status: 'sent', retakePending: false, token: expect.any(String) }, statement);
      expect(repo.transaction).not.toHaveBeenCalled();
    });

    it('fails on a database outage, and records a constraint violation as the record\'s', async () => {
      const repo = repository({ claimed: true });
      await expect(createOutbox(repo).deliver(intent(), { policy: 'inDatabase', apply: async () => { throw refused(); } })).rejects.toThrow('ECONNREFUSED');
      expect(repo.recordFailure).not.toHaveBeenCalled();
      const violation = Object.assign(new Error('violates foreign key constraint'), { code: '23503', severity: 'ERROR' });
      expect(await createOutbox(repo).deliver(intent(), { policy: 'inDatabase', apply: async () => { throw violation; } }))
        .toEqual({ status: 'failed', error: 'violates foreign key constraint' });
      expect(repo.recordFailure).toHaveBeenCalledWith(intent(), 'violates foreign key constraint', expect.any(String));
    });
  });
});
