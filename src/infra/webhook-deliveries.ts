import { Client, WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy, WorkflowNotFoundError } from '@temporalio/client';
import {
  retryWebhookNowSignal, searchAttributes, type WebhookDeliveryWorkflow, type WebhookRetryPolicy, workflowIds, workflowTypes,
} from '../contracts';
import type { Queryable } from '../db/reminder-definitions.repository';
import { WebhooksRepository } from '../db/webhooks.repository';
import { SecretBox } from './secret-box';

/**
 * Seals the webhook secrets stored in clear (from before they were sealed) and re-seals those under an older key (a
 * key can leave RELANCE_SECRET_KEYS once nothing is sealed under it). The worker runs it at start, before it takes
 * any delivery: a migration may run without the key. Answers how many endpoints changed.
 */
export async function sealWebhookSecrets(db: Queryable, box: SecretBox): Promise<number> {
  const webhooks = new WebhooksRepository(db);
  const reseal = (value: string) => box.seal(SecretBox.isSealed(value) ? box.open(value, 'webhook-secret') : value, 'webhook-secret');
  let changed = 0;
  for (const stored of await webhooks.findSecretsNotStartingWith(box.currentPrefix)) {
    const now = { secret: reseal(stored.secret), previousSecret: stored.previousSecret === null ? null : reseal(stored.previousSecret) };
    if (await webhooks.replaceSecrets(stored, now)) changed++;
  }
  return changed;
}

/**
 * Starts the workflow of a recorded delivery, once ever (`webhook-delivery-<id>`, never reused): the dispatcher of
 * any worker may call it again for the same delivery.
 */
export async function startWebhookDelivery(
  client: Client, taskQueue: string, delivery: { id: string; companyId: string }, retry: WebhookRetryPolicy,
): Promise<void> {
  try {
    await client.workflow.start<WebhookDeliveryWorkflow>(workflowTypes.webhookDelivery, {
      taskQueue,
      workflowId: workflowIds.webhookDelivery(delivery.id),
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      args: [{ deliveryId: delivery.id, retry }],
      typedSearchAttributes: [{ key: searchAttributes.companyId, value: delivery.companyId }],
      staticSummary: `Webhook delivery ${delivery.id}`,
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

/**
 * `POST .../deliveries/:id/retry`: a delivery waiting for its next attempt attempts now; one whose workflow has ended
 * (delivered, or failed after its days of retries) is sent again by a new run, with the same event id.
 */
export async function retryWebhookDeliveryNow(
  client: Client, taskQueue: string, delivery: { id: string; companyId: string }, retry: WebhookRetryPolicy, now = new Date(),
): Promise<{ workflowId: string }> {
  const workflowId = workflowIds.webhookDelivery(delivery.id);
  const handle = client.workflow.getHandle(workflowId);
  try {
    const { status } = await handle.describe();
    if (status.name === 'RUNNING') {
      await handle.signal(retryWebhookNowSignal);
      return { workflowId };
    }
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
  const manualId = `${workflowId}-manual-${now.toISOString()}`;
  await client.workflow.start<WebhookDeliveryWorkflow>(workflowTypes.webhookDelivery, {
    taskQueue,
    workflowId: manualId,
    args: [{ deliveryId: delivery.id, retry, manual: true }],
    typedSearchAttributes: [{ key: searchAttributes.companyId, value: delivery.companyId }],
    staticSummary: `Webhook delivery ${delivery.id}, sent again by hand`,
  });
  return { workflowId: manualId };
}
