import { useState } from 'preact/hooks';
import { api, type Schemas } from '../../api/client';
import { defineMessages, fill, useMessages } from '../../i18n';
import { useSignedIn } from '../../session';
import { Button, Field, FormAlert, formErrors, type FormErrors } from '../../ui';

const messages = defineMessages({
  'en-US': {
    heading: 'Send window',
    intro: "Emails to customers leave only inside this window, in each customer's timezone (else the company's, {timezone}); one due outside it waits for the next opening.",
    limit: 'Send only inside a window',
    from: 'From',
    to: 'To',
    days: 'Days',
    save: 'Save',
    saved: 'Send window saved.',
    sun: 'Sunday', mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday',
  },
  'fr-CA': {
    heading: "Plage d'envoi",
    intro: "Les courriels aux clients ne partent que pendant cette plage, dans le fuseau de chaque client (sinon celui de l'entreprise, {timezone}); un courriel dû en dehors attend la prochaine ouverture.",
    limit: "N'envoyer que pendant une plage",
    from: 'De',
    to: 'À',
    days: 'Jours',
    save: 'Enregistrer',
    saved: "Plage d'envoi enregistrée.",
    sun: 'Dimanche', mon: 'Lundi', tue: 'Mardi', wed: 'Mercredi', thu: 'Jeudi', fri: 'Vendredi', sat: 'Samedi',
  },
});

type Day = Schemas['SendWindow']['days'][number];
const DAYS: Day[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** When the company's emails may leave (admins): a daily window on chosen days, or any time. */
export function SendWindow() {
  const words = useMessages(messages);
  const { company, refresh } = useSignedIn();
  const saved = company.sendWindow;
  const [enabled, setEnabled] = useState(saved !== null);
  const [hours, setHours] = useState<Schemas['SendWindow']>(saved ?? { from: '08:00', to: '18:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] });
  const [errors, setErrors] = useState<FormErrors>({ fields: {} });
  const [announce, setAnnounce] = useState('');
  const [busy, setBusy] = useState(false);

  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    const { data, error } = await api.PATCH('/v1/companies/me', { body: { sendWindow: enabled ? hours : null } });
    setBusy(false);
    if (!data) {
      setErrors(formErrors(error, ['sendWindow.from', 'sendWindow.to', 'sendWindow.days']));
      return;
    }
    setErrors({ fields: {} });
    setAnnounce(words.saved);
    await refresh();
  };
  const toggleDay = (day: Day, on: boolean) => setHours({ ...hours, days: DAYS.filter((d) => (d === day ? on : hours.days.includes(d))) });

  return (
    <form class="stack" onSubmit={save}>
      <h2>{words.heading}</h2>
      <p>{fill(words.intro, { timezone: company.timezone })}</p>
      <p role="status" class={announce ? 'notice' : 'visually-hidden'}>{announce}</p>
      <FormAlert message={errors.top} />
      <label class="choice">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} />
        {words.limit}
      </label>
      {enabled && (
        <>
          <div class="row">
            <Field label={words.from} error={errors.fields['sendWindow.from']}>
              {(props) => <input {...props} type="time" required value={hours.from} onInput={(e) => setHours({ ...hours, from: e.currentTarget.value })} />}
            </Field>
            <Field label={words.to} error={errors.fields['sendWindow.to']}>
              {(props) => <input {...props} type="time" required value={hours.to} onInput={(e) => setHours({ ...hours, to: e.currentTarget.value })} />}
            </Field>
          </div>
          <fieldset>
            <legend>{words.days}</legend>
            {DAYS.map((day) => (
              <label key={day} class="choice">
                <input type="checkbox" checked={hours.days.includes(day)} onChange={(e) => toggleDay(day, e.currentTarget.checked)} />
                {words[day]}
              </label>
            ))}
            {errors.fields['sendWindow.days'] && <p class="error">{errors.fields['sendWindow.days']}</p>}
          </fieldset>
        </>
      )}
      <Button type="submit" variant="primary" disabled={busy}>{words.save}</Button>
    </form>
  );
}
