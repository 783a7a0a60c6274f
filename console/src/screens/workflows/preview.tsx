import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage, type Schemas } from '../../api/client';
import { defineMessages, fill, useMessages } from '../../i18n';
import { Status } from '../../ui';
import type { Template } from './data';

const messages = defineMessages({
  'en-US': {
    title: 'Preview', matching: 'Matching records: {n}', more: 'More records match than listed.', none: 'No record matches today.',
    messages: 'Messages', to: 'To: {who}', sample: 'With sample values',
  },
  'fr-CA': {
    title: 'Aperçu', matching: 'Enregistrements correspondants : {n}', more: "D'autres enregistrements correspondent.", none: "Aucun enregistrement ne correspond aujourd'hui.",
    messages: 'Messages', to: 'À : {who}', sample: 'Avec des valeurs d’exemple',
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
 * The records the draft matches now and its messages rendered for them (POST /v1/workflows/preview: nothing is saved
 * or sent), refreshed 400 ms after the last edit. A draft the API refuses keeps the last preview and says why.
 */
export function Preview({ template, body }: { template: Template; body: Record<string, unknown> }) {
  const words = useMessages(messages);
  const [preview, setPreview] = useState<PreviewView>();
  const [error, setError] = useState<string>();
  const draft = JSON.stringify(body);
  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      api.POST('/v1/workflows/preview', { params: { query: { limit: 10 } }, body: { templateKey: template.key, ...body } }).then(({ data, error: failed }) => {
        if (!current) return;
        if (data) setPreview(data);
        setError(data ? undefined : errorMessage(failed));
      }, (e) => current && setError(errorMessage(e)));
    }, 400);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [template.key, draft]);

  return (
    <section class="preview" aria-labelledby="preview-title">
      <h2 id="preview-title">{words.title}</h2>
      <div aria-live="polite">
        {error && <p class="notice">{error}</p>}
        {!preview ? !error && <Status loading /> : (
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
                <h3>{words.sample}</h3>
                {preview.sample.map((m, i) => <Rendered key={i} message={m} />)}
              </>
            )}
          </>
        )}
      </div>
    </section>
  );
}
