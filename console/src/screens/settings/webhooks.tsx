import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage, type Schemas } from '../../api/client';
import { defineMessages, fill, useFormat, useMessages } from '../../i18n';
import { Link } from '../../router';
import { Button, Field, FormAlert, Status, TableRegion, formErrors, type FormErrors } from '../../ui';

const messages = defineMessages({
  'en-US': {
    heading: 'Webhooks',
    table: 'Webhook endpoints',
    url: 'URL',
    events: 'Events',
    allEvents: 'All events',
    actions: 'Actions',
    none: 'No endpoint yet.',
    fromCompany: "(the company's push URL)",
    edit: 'Edit',
    editWhich: 'Edit {url}',
    rotate: 'Rotate secret',
    rotateWhich: 'Rotate the secret of {url}',
    deliveries: 'Deliveries',
    deliveriesWhich: 'Deliveries to {url}',
    delete: 'Delete',
    deleteWhich: 'Delete {url}',
    confirmDelete: 'Delete the endpoint {url}? It receives nothing more.',
    cancel: 'Cancel',
    add: 'Add an endpoint',
    create: 'Add',
    save: 'Save',
    secret: 'Signing secret of {url}:',
    secretOnce: 'Copy it now: it is not shown again.',
    previousUntil: 'The previous secret signs too until {when}.',
    copied: 'I copied it',
    saved: 'Endpoint saved.',
    deleted: 'Endpoint deleted.',
    back: 'All endpoints',
    attempts: 'Delivery attempts',
    when: 'When',
    event: 'Event',
    attempt: 'Attempt',
    answer: 'Answer',
    duration: 'Duration',
    status: 'Delivery',
    noAnswer: 'No answer',
    ms: '{ms} ms',
    retry: 'Retry',
    retryWhich: 'Retry delivery {event} of {when}',
    retried: 'Delivery queued again.',
    noAttempts: 'Nothing delivered to this endpoint yet.',
    more: 'Show more',
    st_pending: 'Pending',
    st_retrying: 'Retrying',
    st_delivered: 'Delivered',
    st_failed: 'Failed',
  },
  'fr-CA': {
    heading: 'Webhooks',
    table: 'Points de terminaison webhook',
    url: 'URL',
    events: 'Événements',
    allEvents: 'Tous les événements',
    actions: 'Actions',
    none: 'Aucun point de terminaison.',
    fromCompany: "(l'URL push de l'entreprise)",
    edit: 'Modifier',
    editWhich: 'Modifier {url}',
    rotate: 'Renouveler le secret',
    rotateWhich: 'Renouveler le secret de {url}',
    deliveries: 'Livraisons',
    deliveriesWhich: 'Livraisons à {url}',
    delete: 'Supprimer',
    deleteWhich: 'Supprimer {url}',
    confirmDelete: 'Supprimer le point de terminaison {url}? Il ne recevra plus rien.',
    cancel: 'Annuler',
    add: 'Ajouter un point de terminaison',
    create: 'Ajouter',
    save: 'Enregistrer',
    secret: 'Secret de signature de {url} :',
    secretOnce: "Copiez-le maintenant : il ne sera plus affiché.",
    previousUntil: "L'ancien secret signe aussi jusqu'au {when}.",
    copied: "Je l'ai copié",
    saved: 'Point de terminaison enregistré.',
    deleted: 'Point de terminaison supprimé.',
    back: 'Tous les points de terminaison',
    attempts: 'Tentatives de livraison',
    when: 'Quand',
    event: 'Événement',
    attempt: 'Tentative',
    answer: 'Réponse',
    duration: 'Durée',
    status: 'Livraison',
    noAnswer: 'Aucune réponse',
    ms: '{ms} ms',
    retry: 'Réessayer',
    retryWhich: 'Réessayer la livraison {event} du {when}',
    retried: 'Livraison remise en file.',
    noAttempts: "Rien n'a encore été livré à ce point de terminaison.",
    more: 'Afficher plus',
    st_pending: 'En attente',
    st_retrying: 'Nouvel essai prévu',
    st_delivered: 'Livrée',
    st_failed: 'Échouée',
  },
});

type Words = (typeof messages)['en-US'];
type Endpoint = Schemas['WebhookEndpoint'];
type EventType = Endpoint['events'][number];
const EVENT_TYPES: EventType[] = [
  'invoice.approval.requested', 'invoice.approval.decided', 'invoice.approval.escalated',
  'bill.approval.requested', 'bill.approval.decided', 'bill.approval.escalated', 'reminder.delivered',
  'payment.received', 'workflow.run.failed', 'notification.pushed',
];

/** The company's webhook endpoints (admins): add one (its secret shown once), edit, rotate its secret, delete. */
export function Webhooks() {
  const words = useMessages(messages);
  const format = useFormat();
  const [endpoints, setEndpoints] = useState<Endpoint[] | null>(null);
  const [error, setError] = useState<string>();
  const [announce, setAnnounce] = useState('');
  const [secret, setSecret] = useState<{ url: string; secret: string; previousUntil?: string } | null>(null);
  const [editing, setEditing] = useState<Endpoint | null>(null);
  const [deleting, setDeleting] = useState<Endpoint | null>(null);

  const load = async () => {
    const found: Endpoint[] = [];
    let cursor: string | undefined;
    do {
      const { data, error: refused } = await api.GET('/v1/webhook-endpoints', { params: { query: { limit: 200, ...(cursor ? { cursor } : {}) } } });
      if (!data) {
        setError(errorMessage(refused));
        return;
      }
      found.push(...data.data);
      cursor = data.nextCursor ?? undefined;
    } while (cursor);
    setEndpoints(found);
  };
  useEffect(() => { void load(); }, []);

  const rotate = async (endpoint: Endpoint) => {
    setError(undefined);
    const { data, error: refused } = await api.POST('/v1/webhook-endpoints/{id}/rotate-secret', { params: { path: { id: endpoint.id } } });
    if (!data) setError(errorMessage(refused));
    else setSecret({ url: data.url, secret: data.secret, previousUntil: data.previousSecretExpiresAt });
  };
  const remove = async (endpoint: Endpoint) => {
    const { error: refused, response } = await api.DELETE('/v1/webhook-endpoints/{id}', { params: { path: { id: endpoint.id } } });
    setDeleting(null);
    if (!response.ok) setError(errorMessage(refused));
    else setAnnounce(words.deleted);
    void load();
  };

  return (
    <>
      <h2>{words.heading}</h2>
      <p role="status" class={announce ? 'notice' : 'visually-hidden'}>{announce}</p>
      <FormAlert message={error} />
      {secret && (
        <div class="notice stack" role="status">
          <p>{fill(words.secret, { url: secret.url })}</p>
          <p class="secret">{secret.secret}</p>
          <p>{words.secretOnce}{secret.previousUntil && ` ${fill(words.previousUntil, { when: format.instant(secret.previousUntil) })}`}</p>
          <Button onClick={() => setSecret(null)}>{words.copied}</Button>
        </div>
      )}
      <Status loading={!endpoints && !error} empty={endpoints?.length === 0 ? words.none : undefined}>
        <TableRegion label={words.table}>
          <table>
            <thead>
              <tr><th scope="col">{words.url}</th><th scope="col">{words.events}</th><th scope="col">{words.actions}</th></tr>
            </thead>
            <tbody>
              {endpoints?.map((endpoint) => (
                <tr key={endpoint.id}>
                  <th scope="row" class="break">{endpoint.url} {endpoint.source === 'company' && words.fromCompany}</th>
                  <td>{endpoint.events.includes('*') ? words.allEvents : endpoint.events.map((e) => <code key={e} class="break">{e} </code>)}</td>
                  <td>
                    <div class="row">
                      <Link to={`/settings/webhooks/${endpoint.id}`}><span aria-hidden="true">{words.deliveries}</span><span class="visually-hidden">{fill(words.deliveriesWhich, { url: endpoint.url })}</span></Link>
                      <Button aria-label={fill(words.editWhich, { url: endpoint.url })} onClick={() => setEditing(endpoint)}>{words.edit}</Button>
                      <Button aria-label={fill(words.rotateWhich, { url: endpoint.url })} onClick={() => void rotate(endpoint)}>{words.rotate}</Button>
                      <Button variant="danger" aria-label={fill(words.deleteWhich, { url: endpoint.url })} onClick={() => setDeleting(endpoint)}>{words.delete}</Button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      </Status>
      {deleting && (
        <div class="card stack" role="alertdialog" aria-labelledby="delete-endpoint">
          <p id="delete-endpoint">{fill(words.confirmDelete, { url: deleting.url })}</p>
          <div class="row">
            <Button variant="danger" onClick={() => void remove(deleting)}>{words.delete}</Button>
            <Button onClick={() => setDeleting(null)}>{words.cancel}</Button>
          </div>
        </div>
      )}
      {editing ? (
        <EndpointForm key={editing.id} words={words} endpoint={editing} onDone={(message) => { setEditing(null); if (message) setAnnounce(message); void load(); }} />
      ) : (
        <EndpointForm key="new" words={words} onDone={(message, created) => {
          if (created) setSecret({ url: created.url, secret: created.secret });
          else if (message) setAnnounce(message);
          void load();
        }} />
      )}
    </>
  );
}

function EndpointForm({ words, endpoint, onDone }: {
  words: Words; endpoint?: Endpoint; onDone(message?: string, created?: Schemas['CreatedWebhookEndpoint']): void;
}) {
  const [url, setUrl] = useState(endpoint?.url ?? '');
  const [events, setEvents] = useState<EventType[]>(endpoint?.events ?? ['*']);
  const [errors, setErrors] = useState<FormErrors>({ fields: {} });
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    const answer = endpoint
      ? await api.PATCH('/v1/webhook-endpoints/{id}', { params: { path: { id: endpoint.id } }, body: { url, events } })
      : await api.POST('/v1/webhook-endpoints', { body: { url, events } });
    setBusy(false);
    if (!answer.data) {
      setErrors(formErrors(answer.error, ['url', 'events']));
      return;
    }
    setErrors({ fields: {} });
    if (!endpoint) {
      setUrl('');
      setEvents(['*']);
    }
    onDone(words.saved, 'secret' in answer.data ? (answer.data as Schemas['CreatedWebhookEndpoint']) : undefined);
  };
  const toggle = (type: EventType, on: boolean) => {
    if (type === '*') setEvents(on ? ['*'] : []);
    else setEvents(on ? [...events.filter((e) => e !== '*'), type] : events.filter((e) => e !== type));
  };
  const heading = endpoint ? fill(words.editWhich, { url: endpoint.url }) : words.add;
  return (
    <form class="stack" onSubmit={submit} aria-labelledby={`endpoint-form-${endpoint?.id ?? 'new'}`}>
      <h3 id={`endpoint-form-${endpoint?.id ?? 'new'}`} class="break">{heading}</h3>
      <FormAlert message={errors.top} />
      <Field label={words.url} error={errors.fields.url}>
        {(props) => <input {...props} type="url" required maxLength={2048} value={url} onInput={(e) => setUrl(e.currentTarget.value)} />}
      </Field>
      <fieldset>
        <legend>{words.events}</legend>
        {(['*', ...EVENT_TYPES] as EventType[]).map((type) => (
          <label key={type} class="choice">
            <input type="checkbox" checked={events.includes(type)} onChange={(e) => toggle(type, e.currentTarget.checked)} />
            {type === '*' ? words.allEvents : <code>{type}</code>}
          </label>
        ))}
        {errors.fields.events && <p class="error">{errors.fields.events}</p>}
      </fieldset>
      <div class="row">
        <Button type="submit" variant="primary" disabled={busy}>{endpoint ? words.save : words.create}</Button>
        {endpoint && <Button onClick={() => onDone()}>{words.cancel}</Button>}
      </div>
    </form>
  );
}

/** What was delivered to one endpoint, newest first, each failed delivery retried on demand. */
export function WebhookDeliveries({ id }: { id: string }) {
  const words = useMessages(messages);
  const format = useFormat();
  const [endpoint, setEndpoint] = useState<Endpoint | null>(null);
  const [attempts, setAttempts] = useState<Schemas['WebhookAttempt'][] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string>();
  const [announce, setAnnounce] = useState('');

  const load = async (after?: string) => {
    const { data, error: refused } = await api.GET('/v1/webhook-endpoints/{id}/deliveries', {
      params: { path: { id }, query: { limit: 50, ...(after ? { cursor: after } : {}) } },
    });
    if (!data) {
      setError(errorMessage(refused));
      return;
    }
    setAttempts((before) => (after && before ? [...before, ...data.data] : data.data));
    setCursor(data.nextCursor);
  };
  useEffect(() => {
    void api.GET('/v1/webhook-endpoints/{id}', { params: { path: { id } } }).then(({ data, error: refused }) => {
      if (data) setEndpoint(data);
      else setError(errorMessage(refused));
    });
    void load();
  }, [id]);

  const retry = async (attempt: Schemas['WebhookAttempt']) => {
    setError(undefined);
    const { data, error: refused } = await api.POST('/v1/webhook-endpoints/{id}/deliveries/{deliveryId}/retry', {
      params: { path: { id, deliveryId: attempt.deliveryId } },
    });
    if (!data) setError(errorMessage(refused));
    else {
      setAnnounce(words.retried);
      void load();
    }
  };

  return (
    <>
      <p><Link to="/settings/webhooks">{words.back}</Link></p>
      <h2 class="break">{endpoint ? fill(words.deliveriesWhich, { url: endpoint.url }) : words.deliveries}</h2>
      <p role="status" class={announce ? 'notice' : 'visually-hidden'}>{announce}</p>
      <FormAlert message={error} />
      <Status loading={!attempts && !error} empty={attempts?.length === 0 ? words.noAttempts : undefined}>
        <TableRegion label={words.attempts}>
          <table>
            <thead>
              <tr>
                <th scope="col">{words.when}</th>
                <th scope="col">{words.event}</th>
                <th scope="col" class="number">{words.attempt}</th>
                <th scope="col">{words.answer}</th>
                <th scope="col" class="number">{words.duration}</th>
                <th scope="col">{words.status}</th>
                <th scope="col">{words.actions}</th>
              </tr>
            </thead>
            <tbody>
              {attempts?.map((attempt) => (
                <tr key={attempt.id}>
                  <td>{format.instant(attempt.attemptedAt)}</td>
                  <td><code>{attempt.eventType}</code></td>
                  <td class="number">{format.count(attempt.attempt)}</td>
                  <td class="break">{attempt.statusCode ?? words.noAnswer}{attempt.error && ` · ${attempt.error}`}</td>
                  <td class="number">{fill(words.ms, { ms: format.count(attempt.durationMs) })}</td>
                  <td>{words[`st_${attempt.deliveryStatus}`]}</td>
                  <td>
                    {attempt.deliveryStatus === 'failed' && (
                      <Button aria-label={fill(words.retryWhich, { event: attempt.eventType, when: format.instant(attempt.attemptedAt) })}
                        onClick={() => void retry(attempt)}>{words.retry}</Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
        {cursor && <Button onClick={() => void load(cursor)}>{words.more}</Button>}
      </Status>
    </>
  );
}
