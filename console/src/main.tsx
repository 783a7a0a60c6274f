import { render } from 'preact';
import { useEffect } from 'preact/hooks';
import { asLocale, browserLocale, LocaleProvider, useMessages } from './i18n';
import { Layout } from './layout';
import { common } from './messages';
import { LocationProvider, currentLocation, match, useLocation } from './router';
import { ROUTES } from './routes';
import { SignIn, SignInLink } from './screens/sign-in';
import { SessionProvider, startWhoAmI, useSession } from './session';
import { Page, Status } from './ui';
import './styles.css';

function NotFound() {
  const words = useMessages(common);
  return <Page title={words.notFound}><p>{words.notFound}</p></Page>;
}

function SignedInScreens() {
  const { path, navigate } = useLocation();
  useEffect(() => {
    if (path === '/' || path.startsWith('/sign-in')) navigate('/workflows', { replace: true });
  }, [path]);
  for (const [pattern, Screen] of ROUTES) {
    const params = match(pattern, path);
    if (params) return <Layout><Screen {...params} /></Layout>;
  }
  return <Layout><NotFound /></Layout>;
}

function Console() {
  const { state } = useSession();
  const { path } = useLocation();
  const link = match('/sign-in/:token', path);
  if (state.status === 'signed-in' && !link) {
    const { company } = state;
    return (
      <LocaleProvider value={{ locale: asLocale(company.locale), timezone: company.timezone, currency: company.currency }}>
        <SignedInScreens />
      </LocaleProvider>
    );
  }
  return (
    <LocaleProvider value={{ locale: browserLocale(), timezone: Intl.DateTimeFormat().resolvedOptions().timeZone, currency: 'USD' }}>
      {link ? <SignInLink token={link.token} /> : state.status === 'loading' ? <main id="main"><Status loading /></main> : <SignIn />}
    </LocaleProvider>
  );
}

/** The page's own reads start now, with who is signed in, not one round trip after it. */
function startRouteReads(): void {
  const { path, query } = currentLocation();
  for (const [pattern, , load] of ROUTES) {
    const params = match(pattern, path);
    if (params) {
      load?.(params, query);
      return;
    }
  }
}

startWhoAmI();
startRouteReads();
render(
  <LocationProvider>
    <SessionProvider>
      <Console />
    </SessionProvider>
  </LocationProvider>,
  document.getElementById('root')!,
);
