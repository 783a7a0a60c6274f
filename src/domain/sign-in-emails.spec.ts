import { renderSignInEmail } from './sign-in-emails';

const link = 'https://relance.example/app/sign-in/AbC';
const askAgainUrl = 'https://relance.example/app/sign-in';

describe(renderSignInEmail.name, () => {
  it('gives the link, its 15 minutes and where to ask a new one, plain and HTML', () => {
    const mail = renderSignInEmail({ kind: 'sign-in', locale: 'en-US', link, askAgainUrl });
    expect(mail.subject).toBe('Your Relance sign-in link');
    expect(mail.text).toContain(`\n${link}\n`);
    expect(mail.text).toContain('valid 15 minutes');
    expect(mail.text).toContain(`Ask a new one at ${askAgainUrl}`);
    expect(mail.html).toContain(`<a href="${link}">`);
    expect(mail.html).toContain(`<a href="${askAgainUrl}">`);
  });

  it('says who invited the reader to which company, in the company\'s locale, escaped in HTML', () => {
    const mail = renderSignInEmail({ kind: 'invite', locale: 'fr-CA', link, askAgainUrl, inviterName: 'Ada <Admin>', companyName: 'A&B' });
    expect(mail.subject).toBe('Ada <Admin> vous invite dans A&B sur Relance');
    expect(mail.text).toContain('valide 7 jours');
    expect(mail.html).toContain('Ada &lt;Admin&gt; vous invite dans A&amp;B');
    expect(mail.html).not.toContain('<Admin>');
  });

  it('falls back to en-US for a locale without texts', () => {
    expect(renderSignInEmail({ kind: 'sign-in', locale: 'de-DE', link, askAgainUrl }).subject).toBe('Your Relance sign-in link');
  });
});
