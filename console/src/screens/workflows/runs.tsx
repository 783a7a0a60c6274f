import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage, type Schemas } from '../../api/client';
import { defineMessages, fill, useFormat, useMessages } from '../../i18n';
import { Link, useLocation } from '../../router';
import { Button, Status, TableRegion } from '../../ui';
import { loadDefinitions, type Definition } from './data';
import { wordFor, workflowWords } from './words';

type Run = Schemas['WorkflowRun'];

const messages = defineMessages({
  'en-US': {
    table: 'Runs', workflow: 'Workflow', started: 'Started', trigger: 'Trigger', outcome: 'Status', matched: 'Matched',
    delivered: 'Delivered', skipped: 'Skipped', failed: 'Failed', deferred: 'Deferred', errors: 'Errors', details: 'Details',
    detailsOf: 'of the run of {name} started {when}', deleted: 'Deleted workflow', empty: 'No run yet.', allRuns: 'All runs',
    filtered: 'Runs of {name}', more: 'Load more runs',
    running: 'Running', succeeded: 'Succeeded', completed_with_errors: 'Completed with errors', failed_outcome: 'Failed',
    run: 'Run of {name}', deliveries: 'Deliveries', recipient: 'Recipient', channel: 'Channel', record: 'Record', attempts: 'Attempts',
    sentAt: 'Sent', error: 'Error', noDeliveries: 'No delivery.', noErrors: 'No error.', moreDeliveries: 'Load more deliveries',
    back: 'Back to Run history', ended: 'Ended',
    channel_email: 'Email', channel_push: 'Push notification', channel_task: 'Task', channel_memo: 'Memo', channel_stamp: 'Stamp', channel_webhook: 'Webhook',
    status_pending: 'Pending', status_sent: 'Sent', status_failed: 'Failed', status_skipped: 'Skipped',
    skip_suppressed: 'Address suppressed (bounce or complaint)', skip_opted_out: 'Customer opted out', skip_disputed: 'Invoice disputed',
    skip_promised: 'Promise to pay', skip_paused: 'Reminders paused',
  },
  'fr-CA': {
    table: 'Exécutions', workflow: 'Flux de travaux', started: 'Démarrée', trigger: 'Déclencheur', outcome: 'État', matched: 'Trouvés',
    delivered: 'Livrés', skipped: 'Ignorés', failed: 'Échecs', deferred: 'Reportés', errors: 'Erreurs', details: 'Détails',
    detailsOf: "de l'exécution de {name} démarrée {when}", deleted: 'Flux de travaux supprimé', empty: "Aucune exécution pour l'instant.",
    allRuns: 'Toutes les exécutions', filtered: 'Exécutions de {name}', more: "Charger plus d'exécutions",
    running: 'En cours', succeeded: 'Réussie', completed_with_errors: 'Terminée avec des erreurs', failed_outcome: 'Échouée',
    run: 'Exécution de {name}', deliveries: 'Livraisons', recipient: 'Destinataire', channel: 'Canal', record: 'Enregistrement', attempts: 'Tentatives',
    sentAt: 'Envoyée', error: 'Erreur', noDeliveries: 'Aucune livraison.', noErrors: 'Aucune erreur.', moreDeliveries: 'Charger plus de livraisons',
    back: "Retour à l'historique d'exécution", ended: 'Terminée',
    channel_email: 'Courriel', channel_push: 'Notification push', channel_task: 'Tâche', channel_memo: 'Note', channel_stamp: 'Estampille', channel_webhook: 'Webhook',
    status_pending: 'En attente', status_sent: 'Envoyée', status_failed: 'Échec', status_skipped: 'Ignorée',
    skip_suppressed: 'Adresse bloquée (rebond ou plainte)', skip_opted_out: 'Client désabonné', skip_disputed: 'Facture contestée',
    skip_promised: 'Promesse de paiement', skip_paused: 'Rappels suspendus',
  },
});

type Words = (typeof messages)['en-US'];

function outcomeWord(words: Words, outcome: Run['outcome']): string {
  return outcome === 'failed' ? words.failed_outcome : words[outcome];
}

/** A delivery's channel, status or skip reason in the company's words; a value this console does not know yet shows as the API says it. */
function deliveryWord(words: Words, kind: 'channel' | 'status' | 'skip', value: string): string {
  const key = `${kind}_${value}`;
  return key in words ? words[key as keyof Words] : value;
}

/** The first page read again, in front of the runs loaded after it: polling keeps what "Load more" brought. */
function withFirstPage(first: Run[], loaded: Run[] | undefined): Run[] {
  const fresh = new Set(first.map((run) => run.id));
  return [...first, ...(loaded ?? []).filter((run) => !fresh.has(run.id))];
}

function useDefinitionNames(): (id: string | null) => string | undefined {
  const [definitions, setDefinitions] = useState<Definition[]>([]);
  useEffect(() => {
    loadDefinitions().then(setDefinitions, () => undefined);
  }, []);
  return (id) => definitions.find((d) => d.id === id)?.name;
}

/** The company's runs, newest first; `?workflowId=` narrows to one workflow's. */
export function RunHistory() {
  const words = useMessages(messages);
  const catalogue = useMessages(workflowWords);
  const format = useFormat();
  const { query } = useLocation();
  const workflowId = query.get('workflowId') ?? undefined;
  const nameOf = useDefinitionNames();
  const [runs, setRuns] = useState<Run[]>();
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string>();

  const load = async (after?: string, refresh = false) => {
    const { data, error: failed } = await api.GET('/v1/workflow-runs', { params: { query: { workflowId, cursor: after, limit: 50 } } });
    if (!data) return setError(errorMessage(failed));
    if (refresh) {
      setRuns((previous) => withFirstPage(data.data, previous));
      // The cursor of the furthest page loaded stays, unless nothing past the first page was.
      setCursor((previous) => ((runs?.length ?? 0) > data.data.length ? previous : data.nextCursor));
      return;
    }
    setRuns((previous) => [...(after ? previous ?? [] : []), ...data.data]);
    setCursor(data.nextCursor);
  };
  useEffect(() => {
    setRuns(undefined);
    void load();
  }, [workflowId]);
  // A run just started (Run now) shows once its workflow records it, and a running one moves: look again meanwhile.
  const [polls, setPolls] = useState(0);
  const waiting = runs !== undefined && (runs.some((run) => run.status === 'running') || (workflowId !== undefined && runs.length === 0));
  useEffect(() => {
    if (!waiting || polls >= 20) return;
    const timer = setTimeout(() => {
      setPolls((n) => n + 1);
      void load(undefined, true);
    }, 3000);
    return () => clearTimeout(timer);
  }, [waiting, polls, runs]);

  if (!runs) return <Status loading={!error} error={error} />;
  const name = (run: Run) => nameOf(run.workflowId) ?? (run.workflowId ? '…' : words.deleted);
  return (
    <>
      {workflowId && (
        <p><strong>{fill(words.filtered, { name: nameOf(workflowId) ?? '…' })}</strong> · <Link to="/workflows/runs">{words.allRuns}</Link></p>
      )}
      {runs.length === 0 ? <p class="notice">{words.empty}</p> : (
        <TableRegion label={words.table}>
          <table>
            <thead>
              <tr>
                <th scope="col">{words.workflow}</th><th scope="col">{words.started}</th><th scope="col">{words.trigger}</th><th scope="col">{words.outcome}</th>
                <th scope="col" class="number">{words.matched}</th><th scope="col" class="number">{words.delivered}</th>
                <th scope="col" class="number">{words.skipped}</th><th scope="col" class="number">{words.failed}</th>
                <th scope="col" class="number">{words.deferred}</th><th scope="col" class="number">{words.errors}</th><th scope="col"><span class="visually-hidden">{words.details}</span></th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => (
                <tr key={run.id}>
                  <td>{name(run)}</td>
                  <td>{format.instant(run.startedAt)}</td>
                  <td>{wordFor(catalogue, 'trigger', run.trigger)}</td>
                  <td><span class={`badge ${run.outcome === 'succeeded' ? 'ok' : run.outcome === 'running' ? '' : run.outcome === 'failed' ? 'danger' : 'warn'}`}>{outcomeWord(words, run.outcome)}</span></td>
                  <td class="number">{format.count(run.matched)}</td>
                  <td class="number">{format.count(run.delivered)}</td>
                  <td class="number">{format.count(run.skipped)}</td>
                  <td class="number">{format.count(run.failed)}</td>
                  <td class="number">{format.count(run.deferred)}</td>
                  <td class="number">{format.count(run.errors.length)}</td>
                  <td>
                    <Link to={`/workflows/runs/${run.id}`}>
                      {words.details}<span class="visually-hidden"> {fill(words.detailsOf, { name: name(run), when: format.instant(run.startedAt) })}</span>
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}
      {cursor && <p><Button onClick={() => void load(cursor)}>{words.more}</Button></p>}
    </>
  );
}

/** One run: its counts, its deliveries and its errors. */
export function RunDetail({ id }: { id: string }) {
  const words = useMessages(messages);
  const catalogue = useMessages(workflowWords);
  const format = useFormat();
  const nameOf = useDefinitionNames();
  const [run, setRun] = useState<Schemas['WorkflowRunWithDeliveries']>();
  const [deliveries, setDeliveries] = useState<Schemas['Delivery'][]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string>();
  // Every delivery of the run, a page at a time: a sweep of thousands of reminders is one run.
  const loadDeliveries = async (after?: string) => {
    const { data, error: failed } = await api.GET('/v1/workflow-runs/{id}/deliveries', { params: { path: { id }, query: { cursor: after, limit: 100 } } });
    if (!data) return setError(errorMessage(failed));
    setDeliveries((previous) => [...(after ? previous : []), ...data.data]);
    setCursor(data.nextCursor);
  };
  useEffect(() => {
    api.GET('/v1/workflow-runs/{id}', { params: { path: { id } } }).then(({ data, error: failed }) => (data ? setRun(data) : setError(errorMessage(failed))));
    void loadDeliveries();
  }, [id]);
  if (!run) return <Status loading={!error} error={error} />;
  const name = nameOf(run.workflowId) ?? (run.workflowId ? '…' : words.deleted);
  const counts: [string, number][] = [
    [words.matched, run.matched], [words.delivered, run.delivered], [words.skipped, run.skipped], [words.failed, run.failed], [words.deferred, run.deferred],
  ];
  return (
    <>
      <p><Link to={run.workflowId ? `/workflows/runs?workflowId=${run.workflowId}` : '/workflows/runs'}>{words.back}</Link></p>
      <h2>{fill(words.run, { name })}</h2>
      <dl class="facts">
        <div><dt>{words.started}</dt><dd>{format.instant(run.startedAt)}</dd></div>
        {run.endedAt && <div><dt>{words.ended}</dt><dd>{format.instant(run.endedAt)}</dd></div>}
        <div><dt>{words.trigger}</dt><dd>{wordFor(catalogue, 'trigger', run.trigger)}</dd></div>
        <div><dt>{words.outcome}</dt><dd>{outcomeWord(words, run.outcome)}</dd></div>
        {counts.map(([label, value]) => <div key={label}><dt>{label}</dt><dd>{format.count(value)}</dd></div>)}
      </dl>
      <h2>{words.errors}</h2>
      {run.errors.length === 0 ? <p>{words.noErrors}</p> : (
        <ul>{run.errors.map((e, i) => <li key={i}>{e.recordId && <code>{e.recordId}</code>} {e.message}</li>)}</ul>
      )}
      <h2>{words.deliveries}</h2>
      {deliveries.length === 0 ? <p>{words.noDeliveries}</p> : (
        <TableRegion label={words.deliveries}>
          <table>
            <thead>
              <tr>
                <th scope="col">{words.recipient}</th><th scope="col">{words.channel}</th><th scope="col">{words.outcome}</th><th scope="col">{words.sentAt}</th>
                <th scope="col" class="number">{words.attempts}</th><th scope="col">{words.error}</th>
              </tr>
            </thead>
            <tbody>
              {deliveries.map((d) => (
                <tr key={d.id}>
                  <td>{d.recipient}</td><td>{deliveryWord(words, 'channel', d.channel)}</td><td>{deliveryWord(words, 'status', d.status)}</td><td>{d.sentAt ? format.instant(d.sentAt) : '—'}</td>
                  <td class="number">{format.count(d.attempts)}</td><td>{d.error ?? (d.skipReason ? deliveryWord(words, 'skip', d.skipReason) : '')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}
      {cursor && <p><Button onClick={() => void loadDeliveries(cursor)}>{words.moreDeliveries}</Button></p>}
    </>
  );
}
