import { createContext, type ComponentChildren } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import { api, onSessionEnded, type Schemas } from './api/client';
import { early, startEarly } from './early';

export type SignedIn = { user: Schemas['User']; company: Schemas['Company'] };
type State = { status: 'loading' } | { status: 'signed-out' } | ({ status: 'signed-in' } & SignedIn);

interface SessionApi {
  state: State;
  /** Reads who is signed in again (after sign-in, or after changing the company's settings). */
  refresh(): Promise<void>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionApi | null>(null);

async function whoAmI(): Promise<State> {
  const [me, company] = await Promise.all([api.GET('/v1/users/me'), api.GET('/v1/companies/me')]);
  if (!me.data || !company.data) return { status: 'signed-out' };
  return { status: 'signed-in', user: me.data, company: company.data };
}

/** Asks who is signed in as the script starts, before the first render (whose effects would ask a frame later). */
export function startWhoAmI(): void {
  startEarly('who-am-i', whoAmI);
}

export function SessionProvider({ children }: { children: ComponentChildren }) {
  const [state, setState] = useState<State>({ status: 'loading' });
  const refresh = async () => setState(await whoAmI());
  useEffect(() => {
    void early('who-am-i', whoAmI).then(setState);
    return onSessionEnded(() => setState({ status: 'signed-out' }));
  }, []);
  const signOut = async () => {
    await api.DELETE('/v1/sessions/current');
    setState({ status: 'signed-out' });
  };
  return <SessionContext.Provider value={{ state, refresh, signOut }}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionApi {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The signed-in person and company; only for screens rendered behind the sign-in. */
export function useSignedIn(): SignedIn & { refresh(): Promise<void> } {
  const { state, refresh } = useSession();
  if (state.status !== 'signed-in') throw new Error('useSignedIn while not signed in');
  return { user: state.user, company: state.company, refresh };
}
