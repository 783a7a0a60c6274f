import { defineMessages, fill, useMessages } from '../../i18n';
import { Button, Field } from '../../ui';
import type { ActionValue, Template, User } from './data';
import type { FieldErrors } from './field-errors';
import { MessageInput } from './message-input';

const messages = defineMessages({
  'en-US': {
    subject: 'Subject', message: 'Message', recipients: 'Recipients', otherEmails: 'Other email addresses', otherEmailsHint: 'Separated by commas.',
    toCustomer: "Sent to the invoice's customer.", pushTitle: 'Notification title', pushBody: 'Notification text', assignee: 'Assignee', unassigned: 'Unassigned',
    taskTitle: 'Task title', taskDescription: 'Task description', memoText: 'Memo text', stampText: 'Stamp text',
    steps: 'Approval steps', step: 'Step {n}', approvers: 'Approvers', quorum: 'Quorum', quorumHint: 'Distinct approvals the step needs.',
    escalateTo: 'Escalate to', nobody: 'Nobody', escalateAfter: 'Escalate after (days)', addStep: '+ Add step', removeStep: 'Remove step {n}',
    notify: 'Notify', timeoutDays: 'Days to decide', reminder: 'Reminder (days before the deadline)', reminderHint: '0: no reminder.',
    allowAdmins: 'Admins may decide in place of the approvers',
  },
  'fr-CA': {
    subject: 'Objet', message: 'Message', recipients: 'Destinataires', otherEmails: 'Autres adresses courriel', otherEmailsHint: 'Séparées par des virgules.',
    toCustomer: 'Envoyé au client de la facture.', pushTitle: 'Titre de la notification', pushBody: 'Texte de la notification', assignee: 'Responsable',
    unassigned: 'Non assignée', taskTitle: 'Titre de la tâche', taskDescription: 'Description de la tâche', memoText: 'Texte de la note',
    stampText: "Texte de l'estampille", steps: "Étapes d'approbation", step: 'Étape {n}', approvers: 'Approbateurs', quorum: 'Quorum',
    quorumHint: "Approbations distinctes requises pour l'étape.", escalateTo: 'Escalader à', nobody: 'Personne', escalateAfter: 'Escalader après (jours)',
    addStep: '+ Ajouter une étape', removeStep: "Retirer l'étape {n}", notify: 'Aviser', timeoutDays: 'Jours pour décider',
    reminder: "Rappel (jours avant l'échéance)", reminderHint: '0 : aucun rappel.', allowAdmins: 'Les administrateurs peuvent décider à la place des approbateurs',
  },
});

interface Step {
  approverIds: string[];
  required?: number;
  escalateAfterDays?: number;
  escalateToId?: string;
}

const numberOf = (event: Event) => {
  const text = (event.currentTarget as HTMLInputElement).value;
  return text === '' ? undefined : Number(text);
};

function UserChoices({ legend, users, selected, onChange, error }: { legend: string; users: User[]; selected: string[]; onChange(ids: string[]): void; error?: string }) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      {users.map((user) => (
        <label class="choice" key={user.id}>
          <input type="checkbox" checked={selected.includes(user.id)}
            onChange={(event) => onChange((event.currentTarget as HTMLInputElement).checked ? [...selected, user.id] : selected.filter((id) => id !== user.id))} />
          {user.name}
        </label>
      ))}
      {error && <p class="error">{error}</p>}
    </fieldset>
  );
}

/** The options of one action of the draft; `at` is its path in the API's body (actions.0), for the 400's fields. */
export function ActionOptions({ action, template, users, at, errors, onChange }: {
  action: ActionValue; template: Template; users: User[]; at: string; errors: FieldErrors; onChange(action: ActionValue): void;
}) {
  const words = useMessages(messages);
  const variables = template.variables;
  const set = (change: Record<string, unknown>) => onChange({ ...action, ...change });
  const str = (key: string) => (typeof action[key] === 'string' ? (action[key] as string) : '');
  const text = (key: string, label: string, multiline = false) => (
    <MessageInput label={label} value={str(key)} variables={variables} multiline={multiline} error={errors.under(`${at}.${key}`).join(' ') || undefined}
      onChange={(value) => set({ [key]: value })} />
  );

  switch (action.type) {
    case 'email': {
      const to = action.to;
      return (
        <>
          {to === 'customer' ? <p class="hint">{words.toCustomer}</p> : (
            <>
              <UserChoices legend={words.recipients} users={users} selected={(to as { userIds?: string[] })?.userIds ?? []}
                error={errors.under(`${at}.to.userIds`).join(' ') || undefined}
                onChange={(userIds) => set({ to: { ...(to as object), userIds } })} />
              <Field label={words.otherEmails} hint={words.otherEmailsHint} error={errors.under(`${at}.to`, []).filter((m) => !errors.under(`${at}.to.userIds`).includes(m)).join(' ') || undefined}>
                {(props) => (
                  <input {...props} type="text" inputMode="email" value={str('emailsText')}
                    onInput={(event) => set({ emailsText: (event.currentTarget as HTMLInputElement).value })} />
                )}
              </Field>
            </>
          )}
          {text('subject', words.subject)}
          {text('body', words.message, true)}
        </>
      );
    }
    case 'send':
      return <>{text('subject', words.subject)}{text('body', words.message, true)}</>;
    case 'push':
      return (
        <>
          <UserChoices legend={words.recipients} users={users} selected={(action.userIds as string[]) ?? []} error={errors.under(`${at}.userIds`).join(' ') || undefined}
            onChange={(userIds) => set({ userIds })} />
          {text('title', words.pushTitle)}
          {text('body', words.pushBody, true)}
        </>
      );
    case 'task':
      return (
        <>
          <Field label={words.assignee} error={errors.under(`${at}.assigneeId`).join(' ') || undefined}>
            {(props) => (
              <select {...props} value={(action.assigneeId as string | null) ?? ''} onChange={(event) => set({ assigneeId: (event.currentTarget as HTMLSelectElement).value || null })}>
                <option value="">{words.unassigned}</option>
                {users.map((user) => <option key={user.id} value={user.id}>{user.name}</option>)}
              </select>
            )}
          </Field>
          {text('title', words.taskTitle)}
          {text('description', words.taskDescription, true)}
        </>
      );
    case 'memo':
      return text('text', words.memoText, true);
    case 'stamp':
      return text('text', words.stampText);
    case 'approval':
      return <ApprovalOptions action={action} users={users} at={at} errors={errors} set={set} text={text} />;
    default:
      return null;
  }
}

function ApprovalOptions({ action, users, at, errors, set, text }: {
  action: ActionValue; users: User[]; at: string; errors: FieldErrors; set(change: Record<string, unknown>): void;
  text(key: string, label: string, multiline?: boolean): preact.JSX.Element;
}) {
  const words = useMessages(messages);
  const steps = (action.steps as Step[] | undefined) ?? [{ approverIds: [] }];
  const setStep = (i: number, change: Partial<Step>) => set({ steps: steps.map((s, j) => (j === i ? { ...s, ...change } : s)) });
  const error = (path: string) => errors.under(path).join(' ') || undefined;
  return (
    <>
      <h2>{words.steps}</h2>
      {steps.map((step, i) => {
        const n = i + 1;
        const path = `${at}.steps.${i}`;
        return (
          <fieldset key={i} class="stack">
            <legend>{fill(words.step, { n })}</legend>
            <UserChoices legend={words.approvers} users={users} selected={step.approverIds} error={error(`${path}.approverIds`)}
              onChange={(approverIds) => setStep(i, { approverIds })} />
            <div class="row">
              <Field label={words.quorum} hint={words.quorumHint} error={error(`${path}.required`)}>
                {(props) => <input {...props} type="number" min={1} step={1} value={step.required ?? 1} onInput={(event) => setStep(i, { required: numberOf(event) })} />}
              </Field>
              <Field label={words.escalateTo} error={error(`${path}.escalateToId`)}>
                {(props) => (
                  <select {...props} value={step.escalateToId ?? ''} onChange={(event) => {
                    const id = (event.currentTarget as HTMLSelectElement).value || undefined;
                    setStep(i, { escalateToId: id, escalateAfterDays: id ? (step.escalateAfterDays ?? 3) : undefined });
                  }}>
                    <option value="">{words.nobody}</option>
                    {users.filter((u) => !step.approverIds.includes(u.id)).map((user) => <option key={user.id} value={user.id}>{user.name}</option>)}
                  </select>
                )}
              </Field>
              {step.escalateToId && (
                <Field label={words.escalateAfter} error={error(`${path}.escalateAfterDays`)}>
                  {(props) => <input {...props} type="number" min={1} max={364} step={1} value={step.escalateAfterDays ?? ''} onInput={(event) => setStep(i, { escalateAfterDays: numberOf(event) })} />}
                </Field>
              )}
            </div>
            {errors.at(path) && <p class="error">{errors.at(path)}</p>}
            {steps.length > 1 && <Button variant="danger" onClick={() => set({ steps: steps.filter((_, j) => j !== i) })}>{fill(words.removeStep, { n })}</Button>}
          </fieldset>
        );
      })}
      {errors.at(`${at}.steps`) && <p class="error">{errors.at(`${at}.steps`)}</p>}
      <p><Button onClick={() => set({ steps: [...steps, { approverIds: [] }] })}>{words.addStep}</Button></p>
      <UserChoices legend={words.notify} users={users} selected={(action.notify as { userIds?: string[] } | undefined)?.userIds ?? []}
        error={error(`${at}.notify`)} onChange={(userIds) => set({ notify: { userIds } })} />
      <div class="row">
        <Field label={words.timeoutDays} error={error(`${at}.timeoutDays`)}>
          {(props) => <input {...props} type="number" min={1} max={365} step={1} value={(action.timeoutDays as number | undefined) ?? 30} onInput={(event) => set({ timeoutDays: numberOf(event) })} />}
        </Field>
        <Field label={words.reminder} hint={words.reminderHint} error={error(`${at}.reminderDaysBefore`)}>
          {(props) => <input {...props} type="number" min={0} step={1} value={(action.reminderDaysBefore as number | undefined) ?? 1} onInput={(event) => set({ reminderDaysBefore: numberOf(event) })} />}
        </Field>
      </div>
      <label class="choice">
        <input type="checkbox" checked={action.allowAdmins === true} onChange={(event) => set({ allowAdmins: (event.currentTarget as HTMLInputElement).checked })} />
        {words.allowAdmins}
      </label>
      {text('subject', words.subject)}
      {text('body', words.message, true)}
    </>
  );
}
