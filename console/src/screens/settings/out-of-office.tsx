import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage, type Schemas } from '../../api/client';
import { defineMessages, fill, useFormat, useLocale, useMessages } from '../../i18n';
import { useSignedIn } from '../../session';
import { Button, Field, FormAlert, Status, formErrors, type FormErrors } from '../../ui';
import { useUsers } from '../people';

const messages = defineMessages({
  'en-US': {
    heading: 'Out of office',
    intro: 'While you are away, the person you choose decides your approvals for you.',
    current: 'From {from} until {until}, {name} decides for you.',
    inEffect: 'In effect now.',
    delegate: 'Who decides for you',
    choose: 'Choose someone',
    from: 'From',
    until: 'Until',
    note: 'Note (optional)',
    timezone: 'Times are in {timezone}.',
    save: 'Save',
    end: 'End out of office',
    saved: 'Out of office saved.',
    ended: 'Out of office ended.',
    none: 'You are not out of office.',
  },
  'fr-CA': {
    heading: 'Absence du bureau',
    intro: 'Pendant votre absence, la personne choisie décide de vos approbations à votre place.',
    current: 'Du {from} au {until}, {name} décide à votre place.',
    inEffect: 'En vigueur maintenant.',
    delegate: 'Qui décide à votre place',
    choose: "Choisir quelqu'un",
    from: 'Du',
    until: 'Au',
    note: 'Note (facultative)',
    timezone: 'Les heures sont en {timezone}.',
    save: 'Enregistrer',
    end: "Mettre fin à l'absence",
    saved: 'Absence enregistrée.',
    ended: "L'absence a pris fin.",
    none: "Vous n'êtes pas absent du bureau.",
  },
});

/** How far `timezone` is ahead of UTC at the instant `utcMs`, in milliseconds. */
function offsetMs(utcMs: number, timezone: string): number {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
    timeZone: timezone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(utcMs)).map((p) => [p.type, p.value]));
  return Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second) - Math.floor(utcMs / 1000) * 1000;
}

/** A `datetime-local` value read in the company's timezone, as the API's instant. */
export function zonedToIso(local: string, timezone: string): string {
  const [day, time] = local.split('T');
  const [y, m, d] = day.split('-').map(Number);
  const [hh, mm] = time.split(':').map(Number);
  const guess = Date.UTC(y, m - 1, d, hh, mm);
  let at = guess - offsetMs(guess, timezone);
  at = guess - offsetMs(at, timezone);
  return new Date(at).toISOString();
}

/** The API's instant as a `datetime-local` value in the company's timezone. */
export function isoToZoned(iso: string, timezone: string): string {
  const at = Date.parse(iso);
  return new Date(at + offsetMs(at, timezone)).toISOString().slice(0, 16);
}

type Delegation = Schemas['DelegationView'];

/** The signed-in person's out of office: who decides their approvals, from when until when. */
export function OutOfOffice() {
  const words = useMessages(messages);
  const format = useFormat();
  const { timezone } = useLocale();
  const { user: me } = useSignedIn();
  const { users } = useUsers();
  const [delegation, setDelegation] = useState<Delegation | null | undefined>(undefined);
  const [form, setForm] = useState({ delegateId: '', from: '', until: '', note: '' });
  const [errors, setErrors] = useState<FormErrors>({ fields: {} });
  const [announce, setAnnounce] = useState('');
  const [busy, setBusy] = useState(false);

  const show = (found: Delegation | null) => {
    setDelegation(found);
    if (found) setForm({ delegateId: found.delegateId, from: isoToZoned(found.from, timezone), until: isoToZoned(found.until, timezone), note: found.note ?? '' });
  };
  useEffect(() => {
    void api.GET('/v1/users/me/delegation').then(({ data }) => show(data ?? null));
  }, []);

  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    const { data, error } = await api.PUT('/v1/users/me/delegation', {
      body: { delegateId: form.delegateId, from: zonedToIso(form.from, timezone), until: zonedToIso(form.until, timezone), ...(form.note.trim() ? { note: form.note.trim() } : {}) },
    });
    setBusy(false);
    if (!data) {
      setErrors(formErrors(error, ['delegateId', 'from', 'until', 'note']));
      return;
    }
    setErrors({ fields: {} });
    show(data);
    setAnnounce(words.saved);
  };
  const end = async () => {
    setBusy(true);
    const { error, response } = await api.DELETE('/v1/users/me/delegation');
    setBusy(false);
    if (!response.ok) {
      setErrors({ top: errorMessage(error), fields: {} });
      return;
    }
    setDelegation(null);
    setForm({ delegateId: '', from: '', until: '', note: '' });
    setAnnounce(words.ended);
  };
  const set = (name: keyof typeof form) => (event: Event) => setForm({ ...form, [name]: (event.currentTarget as HTMLInputElement).value });

  return (
    <>
      <h2>{words.heading}</h2>
      <p>{words.intro}</p>
      <p role="status" class={announce ? 'notice' : 'visually-hidden'}>{announce}</p>
      <Status loading={delegation === undefined}>
        <p>
          {delegation
            ? fill(words.current, { from: format.instant(delegation.from), until: format.instant(delegation.until), name: delegation.delegateName })
            : words.none}
          {delegation?.active && ` ${words.inEffect}`}
        </p>
        <form class="stack" onSubmit={save}>
          <FormAlert message={errors.top} />
          <Field label={words.delegate} error={errors.fields.delegateId}>
            {(props) => (
              <select {...props} required value={form.delegateId} onChange={set('delegateId')}>
                <option value="">{words.choose}</option>
                {users?.filter((u) => u.id !== me.id && u.status === 'active').map((u) => <option key={u.id} value={u.id}>{u.name}</option>)}
              </select>
            )}
          </Field>
          <Field label={words.from} error={errors.fields.from} hint={fill(words.timezone, { timezone })}>
            {(props) => <input {...props} type="datetime-local" required value={form.from} onInput={set('from')} />}
          </Field>
          <Field label={words.until} error={errors.fields.until}>
            {(props) => <input {...props} type="datetime-local" required value={form.until} onInput={set('until')} />}
          </Field>
          <Field label={words.note} error={errors.fields.note}>
            {(props) => <textarea {...props} class="short" maxLength={500} value={form.note} onInput={set('note')} />}
          </Field>
          <div class="row">
            <Button type="submit" variant="primary" disabled={busy}>{words.save}</Button>
            {delegation && <Button variant="danger" disabled={busy} onClick={() => void end()}>{words.end}</Button>}
          </div>
        </form>
      </Status>
    </>
  );
}
