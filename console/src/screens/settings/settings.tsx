import { useEffect } from 'preact/hooks';
import { defineMessages, useMessages } from '../../i18n';
import { useLocation } from '../../router';
import { useSignedIn } from '../../session';
import { Page, Tabs } from '../../ui';
import { OutOfOffice } from './out-of-office';
import { SendWindow } from './send-window';
import { Sessions } from './sessions';
import { Users } from './users';
import { WebhookDeliveries, Webhooks } from './webhooks';

const messages = defineMessages({
  'en-US': {
    title: 'Settings',
    tabs: 'Settings sections',
    users: 'Users',
    outOfOffice: 'Out of office',
    sendWindow: 'Send window',
    webhooks: 'Webhooks',
    sessions: 'Sessions',
  },
  'fr-CA': {
    title: 'Paramètres',
    tabs: 'Sections des paramètres',
    users: 'Utilisateurs',
    outOfOffice: 'Absence du bureau',
    sendWindow: "Plage d'envoi",
    webhooks: 'Webhooks',
    sessions: 'Sessions',
  },
});

const TABS = [
  { key: 'users', adminOnly: true },
  { key: 'out-of-office', word: 'outOfOffice', adminOnly: false },
  { key: 'send-window', word: 'sendWindow', adminOnly: true },
  { key: 'webhooks', adminOnly: true },
  { key: 'sessions', adminOnly: false },
] as const;

/** Settings, a tab per area; a standard user sees only their own (out of office, sessions). */
export function Settings({ tab, id }: Record<string, string>) {
  const words = useMessages(messages);
  const { user } = useSignedIn();
  const { navigate } = useLocation();
  const visible = TABS.filter((t) => user.role === 'admin' || !t.adminOnly);
  const current = visible.find((t) => t.key === tab);
  useEffect(() => {
    if (!current) navigate(`/settings/${visible[0].key}`, { replace: true });
  }, [tab]);
  return (
    <Page title={words.title}>
      <Tabs label={words.tabs} tabs={visible.map((t) => ({ to: `/settings/${t.key}`, label: words['word' in t ? t.word : t.key] }))} />
      {current?.key === 'users' && <Users />}
      {current?.key === 'out-of-office' && <OutOfOffice />}
      {current?.key === 'send-window' && <SendWindow />}
      {current?.key === 'webhooks' && (id ? <WebhookDeliveries id={id} /> : <Webhooks />)}
      {current?.key === 'sessions' && <Sessions />}
    </Page>
  );
}
