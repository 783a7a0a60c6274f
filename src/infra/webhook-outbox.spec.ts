import type { DeliveryToAttempt, WebhooksRepository } from '../db/webhooks.repository';
import { verifyWebhookSignature } from '../domain/webhook-signature';
import { createWebhookOutbox } from './webhook-outbox';

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED', syscall: 'connect' });

describe(createWebhookOutbox.name, () => {
  const event = { id: '0b8e6f8a-1c2d-8e3f-9a4b-5c6d7e8f9a0b', type: 'payment.received', createdAt: '2026-12-02T10:00:00.000Z', companyId: 'c1', data: { a: 1 } };
  const delivery = (status: DeliveryToAttempt['status'] = 'pending'): DeliveryToAttempt => ({
    id: 'd1', status, attempts: 2, companyId: 'c1', endpointId: 'e1', url: 'https://hooks.example.com/h', secret: 'whsec_test', event,
  });
  function webhooks(found: DeliveryToAttempt | null, recorded = true) {
    return {
      findToAttempt: jest.fn(async () => found),
      recordAttempt: jest.fn(async () => recorded),
    } as unknown as WebhooksRepository & { recordAttempt: jest.Mock; findToAttempt: jest.Mock };
  }
  const input = { deliveryId: 'd1', attempt: 3, retryAt: '2026-12-02T10:01:00.000Z', force: false };
  const now = () => 1_764_669_600_000;

  it('POSTs the event as first recorded, signed over "<t>.<body>", and records it delivered', async () => {
    const repo = webhooks(delivery());
    const post = jest.fn(async () => ({ statusCode: 204 }));
    expect(await createWebhookOutbox(repo, post, now).attempt(input)).toEqual({ outcome: 'delivered', statusCode: 204, error: null });
    const [url, body, headers] = post.mock.calls[0] as unknown as [string, string, Record<string, string>];
    expect(url).toBe('https://hooks.example.com/h');
    expect(JSON.parse(body)).toEqual(event);
    expect(verifyWebhookSignature('whsec_test', body, headers['relance-signature'], 1_764_669_600)).toBe(true);
    expect(headers).toMatchObject({ 'relance-event-id': event.id, 'relance-delivery-attempt': '3', 'content-type': 'application/json' });
    expect(repo.recordAttempt).toHaveBeenCalledWith({ deliveryId: 'd1', statusCode: 204, error: null, durationMs: 0, status: 'delivered', nextAttemptAt: null });
  });

  it('records a non-2xx answer or no answer as a failed attempt, retrying until the last one', async () => {
    const repo = webhooks(delivery('retrying'));
    const outbox = createWebhookOutbox(repo, async () => ({ statusCode: 500 }), now);
    expect(await outbox.attempt(input)).toEqual({ outcome: 'failed', statusCode: 500, error: 'answered 500' });
    expect(repo.recordAttempt).toHaveBeenLastCalledWith(expect.objectContaining({ status: 'retrying', nextAttemptAt: input.retryAt }));
    const silent = createWebhookOutbox(repo, async () => ({ error: 'no answer within 10 s' }), now);
    expect(await silent.attempt({ ...input, retryAt: null })).toEqual({ outcome: 'failed', statusCode: null, error: 'no answer within 10 s' });
    expect(repo.recordAttempt).toHaveBeenLastCalledWith(expect.objectContaining({ status: 'failed', nextAttemptAt: null, statusCode: null }));
  });

  it('sends nothing for a deleted delivery, nor again for a delivered one unless forced', async () => {
    const post = jest.fn(async () => ({ statusCode: 200 }));
    expect(await createWebhookOutbox(webhooks(null), post, now).attempt(input)).toMatchObject({ outcome: 'gone' });
    expect(await createWebhookOutbox(webhooks(delivery('delivered')), post, now).attempt(input)).toMatchObject({ outcome: 'skipped' });
    expect(post).not.toHaveBeenCalled();
    expect(await createWebhookOutbox(webhooks(delivery('delivered')), post, now).attempt({ ...input, force: true })).toMatchObject({ outcome: 'delivered' });
    expect(post).toHaveBeenCalledTimes(1);
    // Deleted between the send and its record.
    expect(await createWebhookOutbox(webhooks(delivery(), false), post, now).attempt(input)).toMatchObject({ outcome: 'gone' });
  });

  it('lets a database failure through, for Temporal to retry the attempt', async () => {
    const repo = webhooks(delivery());
    repo.recordAttempt.mockRejectedValueOnce(refused());
    await expect(createWebhookOutbox(repo, async () => ({ statusCode: 200 }), now).attempt(input)).rejects.toThrow('ECONNREFUSED');
  });
});
