import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage, type Schemas } from '../api/client';
import { defineMessages, fill, useFormat, useMessages } from '../i18n';
import { Link, useLocation } from '../router';
import { Button, Field, Page, Status, Tabs } from '../ui';
import { useUsers } from './people';

const messages = defineMessages({
  'en-US': {
    title: 'Tasks',
    views: 'Task views',
    mine: 'Mine',
    open: 'Open',
    done: 'Done',
    noneMine: 'Nothing waits for you.',
    noneOpen: 'No open task.',
    noneDone: 'No task is done yet.',
    approve: 'Approve',
    reject: 'Reject',
    comment: 'Comment (optional)',
    reason: 'Reason',
    confirmRejection: 'Confirm rejection',
    cancel: 'Cancel',
    markDone: 'Mark as done',
    more: 'Show more',
    due: 'Due {when}',
    assignedTo: 'Assigned to {name}',
    completed: 'Done {when}',
    cancelled: 'Cancelled',
    openInvoice: 'Open the invoice',
    approved: 'Approved: {title}',
    rejected: 'Rejected: {title}',
    markedDone: 'Done: {title}',
    kind_approval: 'Approval',
    kind_reminder: 'Reminder',
    kind_manual: 'Task',
  },
  'fr-CA': {
    title: 'Tâches',
    views: 'Vues des tâches',
    mine: 'Les miennes',
    open: 'Ouvertes',
    done: 'Terminées',
    noneMine: "Rien ne vous attend.",
    noneOpen: 'Aucune tâche ouverte.',
    noneDone: "Aucune tâche n'est terminée.",
    approve: 'Approuver',
    reject: 'Refuser',
    comment: 'Commentaire (facultatif)',
    reason: 'Raison',
    confirmRejection: 'Confirmer le refus',
    cancel: 'Annuler',
    markDone: 'Marquer comme terminée',
    more: 'Afficher plus',
    due: 'Échéance {when}',
    assignedTo: 'Assignée à {name}',
    completed: 'Terminée {when}',
    cancelled: 'Annulée',
    openInvoice: 'Ouvrir la facture',
    approved: 'Approuvée : {title}',
    rejected: 'Refusée : {title}',
    markedDone: 'Terminée : {title}',
    kind_approval: 'Approbation',
    kind_reminder: 'Rappel',
    kind_manual: 'Tâche',
  },
});

type Words = (typeof messages)['en-US'];
type Task = Schemas['Task'];
type View = 'mine' | 'open' | 'done';

const QUERIES: Record<View, { assignee?: 'me'; status: 'open' | 'completed' }> = {
  mine: { assignee: 'me', status: 'open' },
  open: { status: 'open' },
  done: { status: 'completed' },
};

/** The task inbox: mine (the default), every open task, the done ones; approvals are decided here, in place. */
export function Tasks({ view: given }: Record<string, string>) {
  const words = useMessages(messages);
  const { navigate } = useLocation();
  const view: View = given === 'open' || given === 'done' ? given : 'mine';
  useEffect(() => {
    if (given === undefined) navigate('/tasks/mine', { replace: true });
  }, [given]);
  const { users } = useUsers();
  const [tasks, setTasks] = useState<Task[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string>();
  const [announce, setAnnounce] = useState('');

  const load = async (after?: string) => {
    const { data, error: refused } = await api.GET('/v1/tasks', { params: { query: { ...QUERIES[view], limit: 50, ...(after ? { cursor: after } : {}) } } });
    if (!data) {
      setError(errorMessage(refused));
      return;
    }
    setError(undefined);
    setTasks((before) => (after && before ? [...before, ...data.data] : data.data));
    setCursor(data.nextCursor);
  };
  useEffect(() => {
    setTasks(null);
    setAnnounce('');
    void load();
  }, [view]);

  const settled = (task: Task, message: string) => {
    setAnnounce(fill(message, { title: task.title }));
    if (view !== 'done') setTasks((before) => before?.filter((t) => t.id !== task.id) ?? null);
  };
  const nameOf = (id: string | null) => users?.find((u) => u.id === id)?.name ?? '';
  const empty = { mine: words.noneMine, open: words.noneOpen, done: words.noneDone }[view];

  return (
    <Page title={words.title}>
      <Tabs label={words.views} tabs={[
        { to: '/tasks/mine', label: words.mine },
        { to: '/tasks/open', label: words.open },
        { to: '/tasks/done', label: words.done },
      ]} />
      <p role="status" class={announce ? 'notice' : 'visually-hidden'}>{announce}</p>
      <Status loading={!tasks && !error} error={error} empty={tasks?.length === 0 ? empty : undefined}>
        <div class="cards">
          {tasks?.map((task) => (
            <TaskCard key={task.id} task={task} words={words} assignee={view === 'mine' ? undefined : nameOf(task.assigneeId)} onSettled={settled} />
          ))}
        </div>
        {cursor && <Button onClick={() => void load(cursor)}>{words.more}</Button>}
      </Status>
    </Page>
  );
}

function TaskCard({ task, words, assignee, onSettled }: {
  task: Task; words: Words; assignee?: string; onSettled(task: Task, message: string): void;
}) {
  const format = useFormat();
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const invoiceId = task.recordType === 'invoice' ? task.recordId : null;
  const isApproval = task.kind === 'approval' && invoiceId;

  const act = async (call: () => Promise<{ error?: unknown; response: Response }>, message: string) => {
    setBusy(true);
    setError(undefined);
    const { error: refused, response } = await call();
    setBusy(false);
    if (response.ok) onSettled(task, message);
    else setError(errorMessage(refused));
  };
  const approve = () => act(() => api.POST('/v1/invoices/{id}/approve', {
    params: { path: { id: invoiceId! } }, body: comment.trim() ? { comment: comment.trim() } : {},
  }), words.approved);
  const reject = (event: Event) => {
    event.preventDefault();
    void act(() => api.POST('/v1/invoices/{id}/reject', { params: { path: { id: invoiceId! } }, body: { reason: reason.trim() } }), words.rejected);
  };
  const complete = () => act(() => api.POST('/v1/tasks/{id}/complete', { params: { path: { id: task.id } } }), words.markedDone);

  return (
    <article class="card" aria-labelledby={`task-${task.id}`}>
      <h2 id={`task-${task.id}`}>{task.title}</h2>
      <p class="meta">
        <span class="badge">{words[`kind_${task.kind}`]}</span>
        {task.dueAt && <span>{fill(words.due, { when: format.instant(task.dueAt) })}</span>}
        {assignee && <span>{fill(words.assignedTo, { name: assignee })}</span>}
        {task.completedAt && <span>{fill(words.completed, { when: format.instant(task.completedAt) })}</span>}
        {task.status === 'cancelled' && <span>{words.cancelled}</span>}
      </p>
      {task.description && <p class="pre-line">{task.description}</p>}
      {invoiceId && <p><Link to={`/invoices/${invoiceId}`}>{words.openInvoice}</Link></p>}
      {error && <p class="notice error" role="alert">{error}</p>}
      {task.status === 'open' && isApproval && !rejecting && (
        <div class="stack">
          <Field label={words.comment}>
            {(props) => <textarea {...props} class="short" maxLength={2000} value={comment} onInput={(e) => setComment(e.currentTarget.value)} />}
          </Field>
          <div class="row">
            <Button variant="primary" disabled={busy} onClick={() => void approve()}>{words.approve}</Button>
            <Button variant="danger" disabled={busy} onClick={() => setRejecting(true)}>{words.reject}</Button>
          </div>
        </div>
      )}
      {task.status === 'open' && isApproval && rejecting && (
        <form class="stack" onSubmit={reject}>
          <Field label={words.reason}>
            {(props) => <textarea {...props} class="short" required autoFocus maxLength={2000} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />}
          </Field>
          <div class="row">
            <Button type="submit" variant="danger" disabled={busy}>{words.confirmRejection}</Button>
            <Button onClick={() => setRejecting(false)}>{words.cancel}</Button>
          </div>
        </form>
      )}
      {task.status === 'open' && !isApproval && (
        <Button variant="primary" disabled={busy} onClick={() => void complete()}>{words.markDone}</Button>
      )}
    </article>
  );
}
