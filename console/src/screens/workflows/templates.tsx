import { useEffect, useState } from 'preact/hooks';
import { errorMessage } from '../../api/client';
import { defineMessages, useLocale, useMessages } from '../../i18n';
import { Link } from '../../router';
import { Status } from '../../ui';
import { defaultsOf, loadTemplates, type Template } from './data';

const messages = defineMessages({
  'en-US': { customer: 'For customers', team: 'For the team', use: 'Use this template' },
  'fr-CA': { customer: 'Pour les clients', team: "Pour l'équipe", use: 'Utiliser ce modèle' },
});

/** The catalogue, by audience: each template with its description and a link to a new definition of it. */
export function Templates() {
  const words = useMessages(messages);
  const { locale } = useLocale();
  const [templates, setTemplates] = useState<Template[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    loadTemplates().then(setTemplates, (e) => setError(errorMessage(e)));
  }, []);
  if (!templates) return <Status loading={!error} error={error} />;
  return (
    <>
      {(['customer', 'team'] as const).map((audience) => (
        <section key={audience} aria-labelledby={`audience-${audience}`}>
          <h2 id={`audience-${audience}`}>{words[audience]}</h2>
          <div class="cards">
            {templates.filter((t) => t.audience === audience).map((template) => (
              <article key={template.key} class="card" aria-labelledby={`template-${template.key}`}>
                <h3 id={`template-${template.key}`}>{defaultsOf(template, locale).name}</h3>
                <p>{template.description[locale]}</p>
                <Link to={`/workflows/new/${template.key}`}>{words.use}</Link>
              </article>
            ))}
          </div>
        </section>
      ))}
    </>
  );
}
