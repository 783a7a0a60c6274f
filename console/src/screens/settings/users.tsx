import { useState } from 'preact/hooks';
import { api, errorMessage, type Schemas } from '../../api/client';
import { defineMessages, fill, useMessages } from '../../i18n';
import { useSignedIn } from '../../session';
import { Button, Field, FormAlert, Status, TableRegion, formErrors, type FormErrors } from '../../ui';
import { useUsers } from '../people';

const messages = defineMessages({
  'en-US': {
    heading: 'Users',
    table: 'Users',
    name: 'Name',
    email: 'Email',
    role: 'Role',
    status: 'Status',
    actions: 'Actions',
    roleOf: 'Role of {name}',
    admin: 'Admin',
    standard: 'Standard',
    active: 'Active',
    inactive: 'Deactivated',
    you: '(you)',
    deactivate: 'Deactivate',
    deactivateWho: 'Deactivate {name}',
    reactivate: 'Reactivate',
    reactivateWho: 'Reactivate {name}',
    deactivateIntro: 'Their sessions and API keys end at once. Approvals waiting for them can go to someone else.',
    handover: 'Hand their pending approvals over to',
    nobody: 'No one',
    confirmDeactivate: 'Confirm deactivation',
    cancel: 'Cancel',
    deactivated: '{name} is deactivated; {count} pending approval(s) handed over.',
    stillNamed: 'These workflows still name them: {names}.',
    reactivated: '{name} is active again.',
    roleChanged: '{name} is now {role}.',
    invite: 'Invite a user',
    inviteButton: 'Invite',
    invited: 'We emailed {email} a link to sign in.',
  },
  'fr-CA': {
    heading: 'Utilisateurs',
    table: 'Utilisateurs',
    name: 'Nom',
    email: 'Courriel',
    role: 'Rôle',
    status: 'État',
    actions: 'Actions',
    roleOf: 'Rôle de {name}',
    admin: 'Administrateur',
    standard: 'Standard',
    active: 'Actif',
    inactive: 'Désactivé',
    you: '(vous)',
    deactivate: 'Désactiver',
    deactivateWho: 'Désactiver {name}',
    reactivate: 'Réactiver',
    reactivateWho: 'Réactiver {name}',
    deactivateIntro: "Ses sessions et clés d'API prennent fin aussitôt. Les approbations qui l'attendent peuvent passer à quelqu'un d'autre.",
    handover: 'Confier ses approbations en attente à',
    nobody: 'Personne',
    confirmDeactivate: 'Confirmer la désactivation',
    cancel: 'Annuler',
    deactivated: '{name} est désactivé; {count} approbation(s) en attente confiée(s).',
    stillNamed: 'Ces flux de travaux le nomment encore : {names}.',
    reactivated: '{name} est de nouveau actif.',
    roleChanged: '{name} est maintenant {role}.',
    invite: 'Inviter un utilisateur',
    inviteButton: 'Inviter',
    invited: 'Nous avons envoyé à {email} un lien pour se connecter.',
  },
});

type User = Schemas['User'];
type Role = User['role'];

/** The company's users (admins only): invite, change a role, deactivate with a hand-over, reactivate. */
export function Users() {
  const words = useMessages(messages);
  const { user: me } = useSignedIn();
  const { users, reload } = useUsers();
  const [announce, setAnnounce] = useState('');
  const [error, setError] = useState<string>();
  const [leaving, setLeaving] = useState<User | null>(null);

  const changeRole = async (user: User, select: HTMLSelectElement) => {
    setError(undefined);
    const role = select.value as Role;
    const { data, error: refused } = await api.PATCH('/v1/users/{id}', { params: { path: { id: user.id } }, body: { role } });
    if (data) setAnnounce(fill(words.roleChanged, { name: user.name, role: words[role] }));
    else {
      select.value = user.role;
      setError(errorMessage(refused));
    }
    reload();
  };
  const reactivate = async (user: User) => {
    setError(undefined);
    const { data, error: refused } = await api.POST('/v1/users/{id}/reactivate', { params: { path: { id: user.id } } });
    if (data) setAnnounce(fill(words.reactivated, { name: user.name }));
    else setError(errorMessage(refused));
    reload();
  };

  return (
    <>
      <h2>{words.heading}</h2>
      <p role="status" class={announce ? 'notice' : 'visually-hidden'}>{announce}</p>
      <FormAlert message={error} />
      <Status loading={!users}>
        <TableRegion label={words.table}>
          <table>
            <thead>
              <tr>
                <th scope="col">{words.name}</th>
                <th scope="col">{words.email}</th>
                <th scope="col">{words.role}</th>
                <th scope="col">{words.status}</th>
                <th scope="col">{words.actions}</th>
              </tr>
            </thead>
            <tbody>
              {users?.map((user) => (
                <tr key={user.id}>
                  <th scope="row">{user.name} {user.id === me.id && words.you}</th>
                  <td class="break">{user.email}</td>
                  <td>
                    <select aria-label={fill(words.roleOf, { name: user.name })} value={user.role}
                      onChange={(e) => void changeRole(user, e.currentTarget)}>
                      <option value="standard">{words.standard}</option>
                      <option value="admin">{words.admin}</option>
                    </select>
                  </td>
                  <td>{user.status === 'active' ? words.active : words.inactive}</td>
                  <td>
                    {user.status === 'active' ? (
                      <Button variant="danger" aria-label={fill(words.deactivateWho, { name: user.name })} onClick={() => setLeaving(user)}>{words.deactivate}</Button>
                    ) : (
                      <Button aria-label={fill(words.reactivateWho, { name: user.name })} onClick={() => void reactivate(user)}>{words.reactivate}</Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      </Status>
      {leaving && users && (
        <Deactivate user={leaving} others={users.filter((u) => u.id !== leaving.id && u.status === 'active')} words={words}
          onDone={(message) => { setLeaving(null); setError(undefined); if (message) setAnnounce(message); reload(); }} />
      )}
      <Invite words={words} onInvited={(email) => { setError(undefined); setAnnounce(fill(words.invited, { email })); reload(); }} />
    </>
  );
}

type Words = (typeof messages)['en-US'];

function Deactivate({ user, others, words, onDone }: { user: User; others: User[]; words: Words; onDone(message?: string): void }) {
  const [handoverTo, setHandoverTo] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const confirm = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    const { data, error: refused } = await api.POST('/v1/users/{id}/deactivate', {
      params: { path: { id: user.id } }, body: handoverTo ? { handoverTo } : {},
    });
    setBusy(false);
    if (!data) {
      setError(errorMessage(refused));
      return;
    }
    const named = data.definitions.map((d) => d.name).join(', ');
    onDone(fill(words.deactivated, { name: user.name, count: data.handedOver.length }) + (named ? ` ${fill(words.stillNamed, { names: named })}` : ''));
  };
  return (
    <form class="card stack" onSubmit={confirm} aria-labelledby="deactivate-heading">
      <h3 id="deactivate-heading">{fill(words.deactivateWho, { name: user.name })}</h3>
      <p>{words.deactivateIntro}</p>
      <FormAlert message={error} />
      <Field label={words.handover}>
        {(props) => (
          <select {...props} value={handoverTo} onChange={(e) => setHandoverTo(e.currentTarget.value)}>
            <option value="">{words.nobody}</option>
            {others.map((other) => <option key={other.id} value={other.id}>{other.name}</option>)}
          </select>
        )}
      </Field>
      <div class="row">
        <Button type="submit" variant="danger" disabled={busy}>{words.confirmDeactivate}</Button>
        <Button onClick={() => onDone()}>{words.cancel}</Button>
      </div>
    </form>
  );
}

function Invite({ words, onInvited }: { words: Words; onInvited(email: string): void }) {
  const [form, setForm] = useState<{ name: string; email: string; role: Role }>({ name: '', email: '', role: 'standard' });
  const [errors, setErrors] = useState<FormErrors>({ fields: {} });
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    const { data, error } = await api.POST('/v1/users', { body: form });
    setBusy(false);
    if (!data) {
      setErrors(formErrors(error, ['name', 'email', 'role']));
      return;
    }
    setErrors({ fields: {} });
    setForm({ name: '', email: '', role: 'standard' });
    onInvited(data.user.email);
  };
  return (
    <form class="stack" onSubmit={submit} aria-labelledby="invite-heading">
      <h2 id="invite-heading">{words.invite}</h2>
      <FormAlert message={errors.top} />
      <Field label={words.name} error={errors.fields.name}>
        {(props) => <input {...props} required maxLength={200} autoComplete="off" value={form.name} onInput={(e) => setForm({ ...form, name: e.currentTarget.value })} />}
      </Field>
      <Field label={words.email} error={errors.fields.email}>
        {(props) => <input {...props} type="email" required maxLength={320} autoComplete="off" value={form.email} onInput={(e) => setForm({ ...form, email: e.currentTarget.value })} />}
      </Field>
      <Field label={words.role} error={errors.fields.role}>
        {(props) => (
          <select {...props} value={form.role} onChange={(e) => setForm({ ...form, role: e.currentTarget.value as Role })}>
            <option value="standard">{words.standard}</option>
            <option value="admin">{words.admin}</option>
          </select>
        )}
      </Field>
      <Button type="submit" variant="primary" disabled={busy}>{words.inviteButton}</Button>
    </form>
  );
}
