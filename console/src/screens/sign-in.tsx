import { useState } from 'preact/hooks';
import { api, errorMessage, type Schemas } from '../api/client';
import { defineMessages, useMessages } from '../i18n';
import { Link, useLocation } from '../router';
import { useSession } from '../session';
import { Button, Field, Page } from '../ui';

const messages = defineMessages({
  'en-US': {
    title: 'Sign in',
    email: 'Email',
    send: 'Email me a sign-in link',
    sent: 'If {email} belongs to a Relance user, a sign-in link is on its way. It works once, for 15 minutes.',
    linkTitle: 'Sign in to Relance',
    linkIntro: 'Continue to open your session in this browser.',
    signIn: 'Sign in',
    chooseCompany: 'Choose a company',
    chooseIntro: 'Your address belongs to several companies. Which one do you want to open?',
    continue: 'Continue',
    linkRefused: 'This sign-in link is unknown, used or expired.',
    askAnother: 'Ask for a new link',
  },
  'fr-CA': {
    title: 'Connexion',
    email: 'Courriel',
    send: "M'envoyer un lien de connexion",
    sent: 'Si {email} appartient à un utilisateur de Relance, un lien de connexion est en route. Il fonctionne une fois, pendant 15 minutes.',
    linkTitle: 'Se connecter à Relance',
    linkIntro: 'Continuez pour ouvrir votre session dans ce navigateur.',
    signIn: 'Se connecter',
    chooseCompany: 'Choisir une entreprise',
    chooseIntro: "Votre adresse appartient à plusieurs entreprises. Laquelle voulez-vous ouvrir?",
    continue: 'Continuer',
    linkRefused: 'Ce lien de connexion est inconnu, déjà utilisé ou expiré.',
    askAnother: 'Demander un nouveau lien',
  },
});

/** Asks for a link by email; the answer is the same whether or not the address is known. */
export function SignIn() {
  const words = useMessages(messages);
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState<string | null>(null);
  const [error, setError] = useState<string>();
  const submit = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    const { error: refused } = await api.POST('/v1/sign-in-links', { body: { email } });
    if (refused) setError(errorMessage(refused));
    else setSent(email);
  };
  return (
    <main id="main" class="narrow">
      <Page title={words.title}>
        {sent ? (
          <p role="status">{words.sent.replace('{email}', sent)}</p>
        ) : (
          <form onSubmit={submit} class="stack">
            <Field label={words.email} error={error}>
              {(props) => <input {...props} type="email" autoComplete="email" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />}
            </Field>
            <Button type="submit" variant="primary">{words.send}</Button>
          </form>
        )}
      </Page>
    </main>
  );
}

/**
 * The page an emailed link opens. Mail scanners open every link on arrival, so opening it changes nothing: the
 * session starts only when the person presses the button.
 */
export function SignInLink({ token }: { token: string }) {
  const words = useMessages(messages);
  const { navigate } = useLocation();
  const { refresh } = useSession();
  const [companies, setCompanies] = useState<Schemas['SignInCompanyChoice']['companies'] | null>(null);
  const [companyId, setCompanyId] = useState<string>();
  const [refused, setRefused] = useState(false);
  const [busy, setBusy] = useState(false);
  const signIn = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    const { data, response } = await api.POST('/v1/sessions', { body: { token, ...(companyId ? { companyId } : {}) } });
    setBusy(false);
    if (response.status === 201) {
      await refresh();
      navigate('/workflows', { replace: true });
    } else if (data && 'companies' in data) {
      setCompanies(data.companies);
      setCompanyId(data.companies[0]?.id);
    } else {
      setRefused(true);
    }
  };
  if (refused) {
    return (
      <main id="main" class="narrow">
        <Page title={words.linkTitle}>
          <p role="alert">{words.linkRefused}</p>
          <Link to="/sign-in">{words.askAnother}</Link>
        </Page>
      </main>
    );
  }
  return (
    <main id="main" class="narrow">
      <Page title={companies ? words.chooseCompany : words.linkTitle}>
        <form onSubmit={signIn} class="stack">
          {companies ? (
            <fieldset>
              <legend>{words.chooseIntro}</legend>
              {companies.map((company) => (
                <label key={company.id} class="choice">
                  <input type="radio" name="company" value={company.id} checked={companyId === company.id} onChange={() => setCompanyId(company.id)} />
                  {company.name}
                </label>
              ))}
            </fieldset>
          ) : (
            <p>{words.linkIntro}</p>
          )}
          <Button type="submit" variant="primary" disabled={busy}>{companies ? words.continue : words.signIn}</Button>
        </form>
      </Page>
    </main>
  );
}
