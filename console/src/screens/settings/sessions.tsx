import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage, type Schemas } from '../../api/client';
import { defineMessages, fill, useFormat, useMessages } from '../../i18n';
import { Button, FormAlert, Status, TableRegion } from '../../ui';

const messages = defineMessages({
  'en-US': {
    heading: 'Sessions',
    intro: 'Where you are signed in. A session ends after 30 minutes without use, or 12 hours after sign-in.',
    table: 'Your sessions',
    started: 'Signed in',
    lastSeen: 'Last used',
    ends: 'Ends',
    browser: 'Browser',
    address: 'Address',
    actions: 'Actions',
    current: 'This browser',
    end: 'End',
    endWhich: 'End the session signed in {when}',
    ended: 'Session ended.',
    none: 'No session.',
  },
  'fr-CA': {
    heading: 'Sessions',
    intro: "Où vous êtes connecté. Une session prend fin après 30 minutes d'inactivité, ou 12 heures après la connexion.",
    table: 'Vos sessions',
    started: 'Connexion',
    lastSeen: 'Dernière utilisation',
    ends: 'Fin',
    browser: 'Navigateur',
    address: 'Adresse',
    actions: 'Actions',
    current: 'Ce navigateur',
    end: 'Terminer',
    endWhich: 'Terminer la session ouverte le {when}',
    ended: 'Session terminée.',
    none: 'Aucune session.',
  },
});

type Session = Schemas['Session'];

/** The signed-in person's own sessions, this one marked; any other can be ended from here (sign out ends this one). */
export function Sessions() {
  const words = useMessages(messages);
  const format = useFormat();
  const [sessions, setSessions] = useState<Session[] | null>(null);
  const [error, setError] = useState<string>();
  const [announce, setAnnounce] = useState('');

  const load = async () => {
    const { data, error: refused } = await api.GET('/v1/sessions');
    if (data) setSessions(data.items);
    else setError(errorMessage(refused));
  };
  useEffect(() => { void load(); }, []);

  const end = async (session: Session) => {
    setError(undefined);
    const { error: refused, response } = await api.DELETE('/v1/sessions/{id}', { params: { path: { id: session.id } } });
    if (!response.ok) setError(errorMessage(refused));
    else setAnnounce(words.ended);
    void load();
  };

  return (
    <>
      <h2>{words.heading}</h2>
      <p>{words.intro}</p>
      <p role="status" class={announce ? 'notice' : 'visually-hidden'}>{announce}</p>
      <FormAlert message={error} />
      <Status loading={!sessions && !error} empty={sessions?.length === 0 ? words.none : undefined}>
        <TableRegion label={words.table}>
          <table>
            <thead>
              <tr>
                <th scope="col">{words.started}</th>
                <th scope="col">{words.lastSeen}</th>
                <th scope="col">{words.ends}</th>
                <th scope="col">{words.browser}</th>
                <th scope="col">{words.address}</th>
                <th scope="col">{words.actions}</th>
              </tr>
            </thead>
            <tbody>
              {sessions?.map((session) => (
                <tr key={session.id}>
                  <th scope="row">{format.instant(session.createdAt)} {session.current && <span class="badge ok">{words.current}</span>}</th>
                  <td>{format.instant(session.lastSeenAt)}</td>
                  <td>{format.instant(session.expiresAt)}</td>
                  <td class="break">{session.userAgent ?? ''}</td>
                  <td class="break">{session.clientAddress ?? ''}</td>
                  <td>
                    {!session.current && (
                      <Button variant="danger" aria-label={fill(words.endWhich, { when: format.instant(session.createdAt) })} onClick={() => void end(session)}>
                        {words.end}
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      </Status>
    </>
  );
}
