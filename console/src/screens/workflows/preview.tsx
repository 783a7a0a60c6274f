import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage, type Schemas } from '../../api/client';
import { defineMessages, fill, useMessages } from '../../i18n';
import { Status } from '../../ui';
import type { Definition, Template } from './data';

const messages = defineMessages({
  'en-US': {
    title: 'Preview', matching: 'Matching records: {n}', more: 'More records match than listed.', none: 'No record matches today.',
    messages: 'Messages', to: 'To: {who}', unsaved: 'Save the workflow to see which records match it and its messages for them.',
    savedOnly: 'The preview shows the saved workflow; save to see your changes.', record: 'Record',
  },
  'fr-CA': {
    title: 'Aperçu', matching: 'Enregistrements correspondants : {n}', more: "D'autres enregistrements correspondent.", none: "Aucun enregistrement ne correspond aujourd'hui.",
    messages: 'Messages', to: 'À : {who}', unsaved: 'Enregistrez le flux de travaux pour voir les enregistrements correspondants et leurs messages.',
    savedOnly: "L'aperçu montre le flux de travaux enregistré ; enregistrez pour voir vos modifications.", record: 'Enregistrement',
  },
});

type PreviewView = Schemas['WorkflowPreview'];
type Message = Schemas['PreviewMessageView'];

const recordName = (record: Record<string, unknown>, id: string) =>
  [record.number ?? record.billNumber ?? record.invoiceNumber, record.customerName ?? record.vendorName].filter(Boolean).join(' · ') || id;

function Rendered({ message }: { message: Message }) {
  const words = useMessages(messages);
  return (
    <div class="rendered">
      {message.recipients.length > 0 && <p class="hint">{fill(words.to, { who: message.recipients.join(', ') })}</p>}
      {(message.subject ?? message.title) && <p><strong>{message.subject ?? message.title}</strong></p>}
      {(message.text ?? message.body) && <p class="rendered-body">{message.text ?? message.body}</p>}
    </div>
  );
}

/**
 * The records the workflow matches now and its messages rendered for them, refreshed 400 ms after the last edit.
 * `body` is the draft as the API takes it.
 */
export function Preview({ definition, body }: { template: Template; definition?: Definition; body: unknown }) {
  const words = useMessages(messages);
  const [preview, setPreview] = useState<PreviewView>();
  const [error, setError] = useState<string>();
  const draft = JSON.stringify(body);
  useEffect(() => {
    if (!definition) return;
    const timer = setTimeout(() => {
      api.POST('/v1/workflows/{id}/preview', { params: { path: { id: definition.id }, query: { limit: 10 } } }).then(({ data, error: failed }) => {
        setPreview(data);
        setError(data ? undefined : errorMessage(failed));
      }, (e) => setError(errorMessage(e)));
    }, 400);
    return () => clearTimeout(timer);
  }, [definition?.id, draft]);

  return (
    <section class="preview" aria-labelledby="preview-title">
      <h2 id="preview-title">{words.title}</h2>
      {!definition ? <p class="hint">{words.unsaved}</p> : (
        <div aria-live="polite">
          <p class="hint">{words.savedOnly}</p>
          {!preview ? <Status loading={!error} error={error} /> : (
            <>
              <p>{fill(words.matching, { n: preview.matches.length })}{preview.hasMore ? ` ${words.more}` : ''}</p>
              {preview.matches.length === 0 ? <p>{words.none}</p> : (
                <ul class="matches">
                  {preview.matches.map((match) => (
                    <li key={match.recordId}>
                      <strong>{recordName(match.record, match.recordId)}</strong>
                      {match.messages.map((m, i) => <Rendered key={i} message={m} />)}
                    </li>
                  ))}
                </ul>
              )}
              {preview.matches.length === 0 && preview.sample.length > 0 && (
                <>
                  <h3>{words.messages}</h3>
                  {preview.sample.map((m, i) => <Rendered key={i} message={m} />)}
                </>
              )}
            </>
          )}
        </div>
      )}
    </section>
  );
}
