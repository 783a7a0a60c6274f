import type { ComponentChildren } from 'preact';
import { fill, useMessages } from './i18n';
import { common } from './messages';
import { Link, useLocation } from './router';
import { useSignedIn, useSession } from './session';

const SECTIONS = [
  { to: '/workflows', word: 'workflows' },
  { to: '/tasks', word: 'tasks' },
  { to: '/invoices', word: 'invoices' },
  { to: '/settings', word: 'settings' },
] as const;

/** The frame of every signed-in screen: the company, the sections, who is signed in, and the screen itself. */
export function Layout({ children }: { children: ComponentChildren }) {
  const words = useMessages(common);
  const { path } = useLocation();
  const { user, company } = useSignedIn();
  const { signOut } = useSession();
  return (
    <>
      <a class="skip-link" href="#main">{words.skipToContent}</a>
      <header class="top-bar">
        <div class="brand">
          <span class="app-name">{words.appName}</span>
          <span class="company-name">{company.name}</span>
        </div>
        <nav class="sections" aria-label={words.mainNavigation}>
          {SECTIONS.map((section) => (
            <Link key={section.to} to={section.to} aria-current={path === section.to || path.startsWith(`${section.to}/`) ? 'page' : undefined}>
              {words[section.word]}
            </Link>
          ))}
        </nav>
        <div class="who">
          <span class="visually-hidden">{fill(words.signedInAs, { name: user.name })}</span>
          <span aria-hidden="true">{user.name}</span>
          <button type="button" class="button secondary" onClick={() => void signOut()}>{words.signOut}</button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>{children}</main>
    </>
  );
}
