import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, errorMessage, type Schemas } from '../../api/client';
import { defineMessages, fill, useLocale, useMessages, type Locale } from '../../i18n';
import { useLocation } from '../../router';
import { Button, Field, Page, Status } from '../../ui';
import { ActionOptions } from './actions';
import { conditionOf, Conditions, localProblem, rowOf, useConditionWords, type ConditionRow } from './conditions';
import { defaultsOf, loadTemplates, loadUsers, type ActionValue, type Definition, type Template, type User } from './data';
import { FieldErrors } from './field-errors';
import { MessageInput } from './message-input';
import { Preview } from './preview';
import { workflowWords } from './words';

const messages = defineMessages({
  'en-US': {
    newTitle: 'New workflow: {template}', newPlain: 'New workflow', editTitle: 'Edit workflow', name: 'Name', conditions: 'Conditions', conditionsHint: 'All must hold.',
    actions: 'Actions', schedule: 'Schedule', time: 'Time', timeHint: "Every day at this time, in the company's timezone.",
    steps: 'Steps', step: 'Step {n}', offsetDays: 'Days from the due date', offsetHint: 'Negative: before the due date.', subject: 'Subject', message: 'Message',
    attachPdf: 'Attach the invoice PDF', addStep: '+ Add step', removeStep: 'Remove step {n}',
    save: 'Save', saveAndActivate: 'Save and activate', saving: 'Saving…', fix: 'Some fields need attention.', unknownTemplate: 'No template "{key}".',
  },
  'fr-CA': {
    newTitle: 'Nouveau flux de travaux : {template}', newPlain: 'Nouveau flux de travaux', editTitle: 'Modifier le flux de travaux', name: 'Nom', conditions: 'Conditions',
    conditionsHint: 'Toutes doivent être remplies.', actions: 'Actions', schedule: 'Horaire', time: 'Heure', timeHint: "Chaque jour à cette heure, dans le fuseau horaire de l'entreprise.",
    steps: 'Étapes', step: 'Étape {n}', offsetDays: "Jours depuis l'échéance", offsetHint: "Négatif : avant l'échéance.", subject: 'Objet', message: 'Message',
    attachPdf: 'Joindre le PDF de la facture', addStep: '+ Ajouter une étape', removeStep: "Retirer l'étape {n}",
    save: 'Enregistrer', saveAndActivate: 'Enregistrer et activer', saving: 'Enregistrement…', fix: 'Certains champs sont à corriger.',
    unknownTemplate: 'Aucun modèle « {key} ».',
  },
});

const WHOLE = /^-?\d+$/;

interface SequenceStep {
  offsetDays: string;
  subject: string;
  body: string;
  attachInvoicePdf: boolean;
  /** What the editor does not show (a step's task) goes back as it came. */
  task?: NonNullable<Schemas['CreateWorkflowDto']['steps']>[number]['task'];
}

export interface Draft {
  name: string;
  conditions: ConditionRow[];
  /** Every action type of the template, with its options, kept while unchecked. */
  actions: Record<string, ActionValue>;
  enabled: string[];
  time: string;
  steps: SequenceStep[];
}

/** An action as the editor shows it: the definition's own, else the template's default, with the default texts filled in. */
function actionDraft(template: Template, locale: Locale, type: string, saved?: ActionValue): ActionValue {
  const defaults = defaultsOf(template, locale);
  const base = saved ?? defaults.actions.find((a) => a.type === type) ?? { type };
  // A default action's texts stand for the others'; left undefined, a text is omitted and the API fills in its default.
  const texts = defaults.actions.find((a) => typeof a.subject === 'string');
  const subject = texts?.subject as string | undefined;
  const body = texts?.body as string | undefined;
  switch (type) {
    case 'email': {
      const to = base.to ?? (template.audience === 'customer' ? 'customer' : { userIds: [], emails: [] });
      const emails = typeof to === 'object' && to ? ((to as { emails?: string[] }).emails ?? []) : [];
      return { subject, body, ...base, type, to, emailsText: emails.join(', ') };
    }
    case 'push': return { userIds: [], title: subject, body, ...base, type };
    case 'task': return { assigneeId: null, title: subject, description: '', ...base, type };
    case 'memo': case 'stamp': return { text: '', ...base, type };
    case 'send': return { subject, body, ...base, type };
    case 'approval': {
      const steps = base.steps ?? [{ approverIds: (base.approverIds as string[] | undefined) ?? [], required: base.required, escalateAfterDays: base.escalateAfterDays, escalateToId: base.escalateToId }];
      const { approverIds: _a, required: _r, escalateAfterDays: _e, escalateToId: _t, ...rest } = base;
      return { timeoutDays: 30, reminderDaysBefore: 1, allowAdmins: false, notify: { userIds: [] }, subject, body, ...rest, type, steps };
    }
    default: return { ...base, type };
  }
}

function initialDraft(template: Template, locale: Locale, definition?: Definition): Draft {
  const defaults = defaultsOf(template, locale);
  const saved = (definition?.actions ?? defaults.actions) as ActionValue[];
  const actions: Record<string, ActionValue> = {};
  for (const type of template.actionTypes) actions[type] = actionDraft(template, locale, type, definition ? saved.find((a) => a.type === type) : undefined);
  const steps = ((definition as { steps?: Record<string, unknown>[] } | undefined)?.steps ?? defaults.steps ?? []) as Record<string, unknown>[];
  return {
    name: definition?.name ?? defaults.name,
    conditions: ((definition?.conditions ?? defaults.conditions) as { field: string; op: string; value: unknown }[]).map(rowOf),
    actions,
    enabled: template.actionTypes.filter((type) => saved.some((a) => a.type === type)),
    time: definition?.schedule?.time ?? defaults.schedule?.time ?? '09:00',
    steps: steps.map((s) => ({
      offsetDays: String(s.offsetDays ?? 0), subject: String(s.subject ?? ''), body: String(s.body ?? ''), attachInvoicePdf: s.attachInvoicePdf === true,
      ...(s.task ? { task: s.task as SequenceStep['task'] } : {}),
    })),
  };
}

/** An action as the API takes it: the team email's addresses from their text, no empty escalation. */
function actionBody(action: ActionValue): ActionValue {
  const { emailsText, ...rest } = Object.fromEntries(Object.entries(action).filter(([, v]) => v !== undefined)) as ActionValue;
  if (rest.type === 'email' && rest.to !== 'customer') {
    const emails = String(emailsText ?? '').split(',').map((e) => e.trim()).filter(Boolean);
    return { ...rest, to: { userIds: (rest.to as { userIds?: string[] })?.userIds ?? [], emails } };
  }
  if (rest.type === 'approval') {
    const steps = (rest.steps as Record<string, unknown>[]).map((step) => Object.fromEntries(Object.entries(step).filter(([, v]) => v !== undefined)));
    return { ...rest, type: 'approval', steps };
  }
  return rest as ActionValue;
}

/** The definition as the API takes it (POST and PATCH bodies, and the draft preview's). */
export function definitionBody(template: Template, draft: Draft) {
  const specOf = (field: string) => template.conditionFields.find((f) => f.field === field);
  return {
    name: draft.name,
    conditions: draft.conditions.map((row) => conditionOf(row, specOf(row.field))),
    actions: template.actionTypes.filter((type) => draft.enabled.includes(type)).map((type) => actionBody(draft.actions[type])),
    ...(template.trigger === 'schedule' ? { schedule: { time: draft.time } } : {}),
    ...(template.key === 'collection-sequence' ? {
      steps: draft.steps.map((s) => ({
        offsetDays: Number(s.offsetDays.trim()),
        subject: s.subject, body: s.body, attachInvoicePdf: s.attachInvoicePdf, ...(s.task ? { task: s.task } : {}),
      })),
    } : {}),
  };
}

/** A new definition of a template (/workflows/new/:templateKey) or a saved one (/workflows/:id/edit). */
export function WorkflowEditor({ templateKey, id }: Record<string, string>) {
  const words = useMessages(messages);
  const [loaded, setLoaded] = useState<{ template: Template; users: User[]; definition?: Definition }>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    (async () => {
      const [templates, users, definition] = await Promise.all([
        loadTemplates(), loadUsers(),
        id ? api.GET('/v1/workflows/{id}', { params: { path: { id } } }).then(({ data, error: failed }) => { if (!data) throw failed; return data; }) : undefined,
      ]);
      const key = definition?.templateKey ?? templateKey;
      const template = templates.find((t) => t.key === key);
      if (!template) throw new Error(fill(words.unknownTemplate, { key }));
      setLoaded({ template, users, definition });
    })().catch((e) => setError(errorMessage(e)));
  }, [templateKey, id]);
  if (!loaded) return <Page title={id ? words.editTitle : words.newPlain}><Status loading={!error} error={error} /></Page>;
  return <EditorForm key={id ?? templateKey} {...loaded} />;
}

function EditorForm({ template, users, definition }: { template: Template; users: User[]; definition?: Definition }) {
  const words = useMessages(messages);
  const catalogue = useMessages(workflowWords);
  const conditionWords = useConditionWords();
  const { locale } = useLocale();
  const { navigate } = useLocation();
  const [draft, setDraft] = useState<Draft>(() => initialDraft(template, locale, definition));
  const [errors, setErrors] = useState(new FieldErrors());
  const [problem, setProblem] = useState<string>();
  const [saving, setSaving] = useState(false);
  const [tried, setTried] = useState(false);
  const update = (change: Partial<Draft>) => setDraft((d) => ({ ...d, ...change }));
  const body = useMemo(() => definitionBody(template, draft), [template, draft]);
  const enabledOrder = template.actionTypes.filter((type) => draft.enabled.includes(type));

  const save = async (activate: boolean) => {
    setTried(true);
    const specOf = (field: string) => template.conditionFields.find((f) => f.field === field);
    if (draft.conditions.some((row) => localProblem(row, specOf(row.field), conditionWords)) || draft.steps.some((s) => !WHOLE.test(s.offsetDays.trim()))) {
      setProblem(words.fix);
      return;
    }
    setSaving(true);
    setProblem(undefined);
    let saved: Schemas['Workflow'] | undefined;
    let refused: unknown;
    if (definition) {
      ({ data: saved, error: refused } = await api.PATCH('/v1/workflows/{id}', { params: { path: { id: definition.id } }, body }));
      if (saved && activate && saved.status !== 'active') ({ data: saved, error: refused } = await api.POST('/v1/workflows/{id}/activate', { params: { path: { id: definition.id } } }));
    } else {
      ({ data: saved, error: refused } = await api.POST('/v1/workflows', { body: { templateKey: template.key, ...body, ...(activate ? { activate: true } : {}) } }));
    }
    setSaving(false);
    if (saved) return navigate('/workflows/mine');
    const fields = (refused as { fields?: { field: string; message: string }[] } | undefined)?.fields;
    const found = new FieldErrors(fields);
    setErrors(found);
    const shown = ['name', 'schedule', 'conditions', 'actions', 'steps'];
    const elsewhere = fields ? found.outside(shown) : [errorMessage(refused)];
    setProblem(elsewhere.length ? elsewhere.join(' ') : words.fix);
  };

  const title = definition ? words.editTitle : fill(words.newTitle, { template: defaultsOf(template, locale).name });
  const actionLabel = (type: string) => (type === 'email' && template.audience === 'customer' ? catalogue.action_emailCustomer : catalogue[`action_${type}` as keyof typeof catalogue] ?? type);

  return (
    <Page title={title}>
      <form class="editor" noValidate onSubmit={(event) => { event.preventDefault(); void save(false); }}>
        <div role="alert">{problem && <p class="notice error">{problem}</p>}</div>
        <Field label={words.name} error={errors.under('name').join(' ') || undefined}>
          {(props) => <input {...props} type="text" required maxLength={200} value={draft.name} onInput={(event) => update({ name: (event.currentTarget as HTMLInputElement).value })} />}
        </Field>

        <h2>{words.conditions}</h2>
        <p class="hint">{words.conditionsHint}</p>
        <Conditions template={template} rows={draft.conditions} errors={errors} showLocal={tried} onChange={(conditions) => update({ conditions })} />

        {template.actionTypes.length > 0 && (
          <>
            <h2>{words.actions}</h2>
            {errors.at('actions') && <p class="error">{errors.at('actions')}</p>}
            {template.actionTypes.map((type) => {
              const on = draft.enabled.includes(type);
              const at = `actions.${enabledOrder.indexOf(type)}`;
              return (
                <div class="action" key={type}>
                  <label class="choice">
                    <input type="checkbox" checked={on} onChange={(event) => {
                      const checked = (event.currentTarget as HTMLInputElement).checked;
                      update({ enabled: checked ? [...draft.enabled, type] : draft.enabled.filter((t) => t !== type) });
                    }} />
                    {actionLabel(type)}
                  </label>
                  {on && (
                    <div class="action-options stack">
                      <ActionOptions action={draft.actions[type]} template={template} users={users} at={at} errors={errors}
                        onChange={(action) => update({ actions: { ...draft.actions, [type]: action } })} />
                      {errors.at(at) && <p class="error">{errors.at(at)}</p>}
                    </div>
                  )}
                </div>
              );
            })}
          </>
        )}

        {template.key === 'collection-sequence' && (
          <>
            <h2>{words.steps}</h2>
            {errors.at('steps') && <p class="error">{errors.at('steps')}</p>}
            {draft.steps.map((step, i) => {
              const n = i + 1;
              const setStep = (change: Partial<SequenceStep>) => update({ steps: draft.steps.map((s, j) => (j === i ? { ...s, ...change } : s)) });
              return (
                <fieldset key={i} class="stack">
                  <legend>{fill(words.step, { n })}</legend>
                  <Field label={words.offsetDays} hint={words.offsetHint} error={(tried && !WHOLE.test(step.offsetDays.trim()) ? conditionWords.daysInvalid : errors.under(`steps.${i}.offsetDays`).join(' ')) || undefined}>
                    {(props) => <input {...props} type="number" step={1} min={-365} max={365} value={step.offsetDays} onInput={(event) => setStep({ offsetDays: (event.currentTarget as HTMLInputElement).value })} />}
                  </Field>
                  <MessageInput label={words.subject} value={step.subject} variables={template.variables} error={errors.under(`steps.${i}.subject`).join(' ') || undefined}
                    onChange={(subject) => setStep({ subject })} />
                  <MessageInput label={words.message} value={step.body} variables={template.variables} multiline error={errors.under(`steps.${i}.body`).join(' ') || undefined}
                    onChange={(value) => setStep({ body: value })} />
                  <label class="choice">
                    <input type="checkbox" checked={step.attachInvoicePdf} onChange={(event) => setStep({ attachInvoicePdf: (event.currentTarget as HTMLInputElement).checked })} />
                    {words.attachPdf}
                  </label>
                  {errors.under(`steps.${i}`, [`steps.${i}.offsetDays`, `steps.${i}.subject`, `steps.${i}.body`]).map((m) => <p class="error" key={m}>{m}</p>)}
                  {draft.steps.length > 1 && <Button variant="danger" onClick={() => update({ steps: draft.steps.filter((_, j) => j !== i) })}>{fill(words.removeStep, { n })}</Button>}
                </fieldset>
              );
            })}
            <p>
              <Button onClick={() => {
                const last = draft.steps[draft.steps.length - 1];
                const offset = last && WHOLE.test(last.offsetDays) ? Number(last.offsetDays) + 7 : 0;
                update({ steps: [...draft.steps, { offsetDays: String(offset), subject: '', body: '', attachInvoicePdf: false }] });
              }}>{words.addStep}</Button>
            </p>
          </>
        )}

        {template.trigger === 'schedule' && (
          <>
            <h2>{words.schedule}</h2>
            <Field label={words.time} hint={words.timeHint} error={errors.under('schedule').join(' ') || undefined}>
              {(props) => <input {...props} type="time" value={draft.time} onInput={(event) => update({ time: (event.currentTarget as HTMLInputElement).value })} />}
            </Field>
          </>
        )}

        <Preview template={template} body={body} />

        <div class="row form-actions">
          <Button type="submit" variant="secondary" disabled={saving}>{words.save}</Button>
          <Button variant="primary" disabled={saving} onClick={() => void save(true)}>{words.saveAndActivate}</Button>
          {saving && <span role="status">{words.saving}</span>}
        </div>
      </form>
    </Page>
  );
}
