import type { SupportedLocale } from './locales';

export interface SignInEmail {
  subject: string;
  text: string;
  html: string;
}

/** An email that signs its reader in: a link asked at the sign-in page, or an invitation to a company. */
export type SignInEmailFacts =
  | { kind: 'sign-in'; locale: string; link: string; askAgainUrl: string }
  | { kind: 'invite'; locale: string; link: string; askAgainUrl: string; inviterName: string; companyName: string };

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

interface Texts {
  signInSubject: string;
  inviteSubject: (f: { inviterName: string; companyName: string }) => string;
  signInIntro: string;
  inviteIntro: (f: { inviterName: string; companyName: string }) => string;
  button: string;
  signInValidity: string;
  inviteValidity: string;
  askAgain: string;
  notYou: string;
}

const TEXTS: Record<SupportedLocale, Texts> = {
  'en-US': {
    signInSubject: 'Your Relance sign-in link',
    inviteSubject: (f) => `${f.inviterName} invited you to ${f.companyName} on Relance`,
    signInIntro: 'Someone (we hope you) asked to sign in to Relance with this address. Follow this link to sign in:',
    inviteIntro: (f) => `${f.inviterName} invited you to ${f.companyName} on Relance. Follow this link to sign in:`,
    button: 'Sign in to Relance',
    signInValidity: 'The link is valid 15 minutes and signs in once.',
    inviteValidity: 'The link is valid 7 days and signs in once.',
    askAgain: 'Expired or used? Ask a new one at',
    notYou: 'If you did not ask for it, ignore this email: nobody can sign in without the link.',
  },
  'fr-CA': {
    signInSubject: 'Votre lien de connexion à Relance',
    inviteSubject: (f) => `${f.inviterName} vous invite dans ${f.companyName} sur Relance`,
    signInIntro: 'Quelqu’un (vous, espérons-le) a demandé à se connecter à Relance avec cette adresse. Suivez ce lien pour vous connecter :',
    inviteIntro: (f) => `${f.inviterName} vous invite dans ${f.companyName} sur Relance. Suivez ce lien pour vous connecter :`,
    button: 'Se connecter à Relance',
    signInValidity: 'Le lien est valide 15 minutes et ne sert qu’une fois.',
    inviteValidity: 'Le lien est valide 7 jours et ne sert qu’une fois.',
    askAgain: 'Expiré ou déjà utilisé ? Demandez-en un nouveau à',
    notYou: 'Si vous ne l’avez pas demandé, ignorez ce courriel : personne ne peut se connecter sans le lien.',
  },
};

function textsFor(locale: string): Texts {
  return TEXTS[locale as SupportedLocale] ?? TEXTS['en-US'];
}

/** The email in the company's locale (en-US when Relance has no texts for it), plain and HTML. */
export function renderSignInEmail(f: SignInEmailFacts): SignInEmail {
  const t = textsFor(f.locale);
  const subject = f.kind === 'invite' ? t.inviteSubject(f) : t.signInSubject;
  const intro = f.kind === 'invite' ? t.inviteIntro(f) : t.signInIntro;
  const validity = f.kind === 'invite' ? t.inviteValidity : t.signInValidity;
  const text = [intro, '', f.link, '', validity, `${t.askAgain} ${f.askAgainUrl}`, '', t.notYou, ''].join('\n');
  const html = [
    `<p>${escape(intro)}</p>`,
    `<p><a href="${escape(f.link)}">${escape(t.button)}</a></p>`,
    `<p>${escape(validity)} ${escape(t.askAgain)} <a href="${escape(f.askAgainUrl)}">${escape(f.askAgainUrl)}</a></p>`,
    `<p>${escape(t.notYou)}</p>`,
  ].join('\n');
  return { subject, text, html };
}
