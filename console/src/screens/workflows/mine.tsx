import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { api, errorMessage } from '../../api/client';
import { early, startEarly } from '../../early';
import { defineMessages, fill, useLocale, useMessages } from '../../i18n';
import { common } from '../../messages';
import { Link, useLocation } from '../../router';
import { Button, Menu, Status, Switch, TableRegion } from '../../ui';
import { defaultsOf, loadDefinitions, loadTemplates, type Definition, type Template } from './data';

const messages = defineMessages({
  'en-US': {
    table: 'My workflows', name: 'Name', template: 'Template', status: 'Status', actions: 'Actions',
    on: 'ON', off: 'OFF', menu: 'Actions ⋮', runNow: 'Run now', activate: 'Activate', deactivate: 'Deactivate',
    empty: 'No workflow yet. Start from a template.', started: '{name} started.', seeRuns: 'See it in Run history',
    confirmTitle: 'Delete {name}?', confirmText: 'The workflow stops and is removed. Its past runs stay in Run history.',
    activated: '{name} is on.', deactivated: '{name} is off.', deleted: '{name} was deleted.',
  },
  'fr-CA': {
    table: 'Mes flux de travaux', name: 'Nom', template: 'Modèle', status: 'État', actions: 'Actions',
    on: 'ACTIVÉ', off: 'DÉSACTIVÉ', menu: 'Actions ⋮', runNow: 'Exécuter maintenant', activate: 'Activer', deactivate: 'Désactiver',
    empty: "Aucun flux de travaux pour l'instant. Partez d'un modèle.", started: '{name} a démarré.', seeRuns: "Voir dans l'historique d'exécution",
    confirmTitle: 'Supprimer {name}?', confirmText: "Le flux de travaux s'arrête et est retiré. Ses exécutions passées restent dans l'historique.",
    activated: '{name} est activé.', deactivated: '{name} est désactivé.', deleted: '{name} a été supprimé.',
  },
});

/** Its route's loader: the definitions and the catalogue, read as the console boots on /workflows/mine. */
export function startMyWorkflowsReads(): void {
  startEarly('definitions', loadDefinitions);
  loadTemplates().catch(() => undefined);
}

type Notice = { text: string; runsOf?: string; error?: boolean };

/** Every definition of the company, one row each, with its switch and its actions. */
export function MyWorkflows() {
  const words = useMessages(messages);
  const shared = useMessages(common);
  const { locale } = useLocale();
  const { navigate } = useLocation();
  const [rows, setRows] = useState<Definition[]>();
  const [templates, setTemplates] = useState<Template[]>([]);
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<Notice>();
  const [busy, setBusy] = useState<string>();
  const [deleting, setDeleting] = useState<Definition>();

  // A layout effect: the reads the boot started are often answered already, and an effect would take them a frame later.
  useLayoutEffect(() => {
    early('definitions', loadDefinitions).then(setRows, (e) => setError(errorMessage(e)));
    loadTemplates().then(setTemplates, () => undefined);
  }, []);

  const replace = (row: Definition) => setRows((all) => all?.map((r) => (r.id === row.id ? row : r)));

  const toggle = async (row: Definition, on: boolean) => {
    setBusy(row.id);
    const params = { params: { path: { id: row.id } } };
    const { data, error: refused } = on ? await api.POST('/v1/workflows/{id}/activate', params) : await api.POST('/v1/workflows/{id}/deactivate', params);
    setBusy(undefined);
    if (data) {
      replace(data);
      setNotice({ text: fill(on ? words.activated : words.deactivated, { name: row.name }) });
    } else setNotice({ text: errorMessage(refused), error: true });
  };

  const runNow = async (row: Definition) => {
    const { error: refused } = await api.POST('/v1/workflows/{id}/run-now', { params: { path: { id: row.id } } });
    setNotice(refused ? { text: errorMessage(refused), error: true } : { text: fill(words.started, { name: row.name }), runsOf: row.id });
  };

  const remove = async (row: Definition) => {
    setDeleting(undefined);
    const { error: refused, response } = await api.DELETE('/v1/workflows/{id}', { params: { path: { id: row.id } } });
    if (response.ok) {
      setRows((all) => all?.filter((r) => r.id !== row.id));
      setNotice({ text: fill(words.deleted, { name: row.name }) });
    } else setNotice({ text: errorMessage(refused), error: true });
  };

  if (!rows) return <Status loading={!error} error={error} />;
  const templateName = (key: string) => {
    const template = templates.find((t) => t.key === key);
    return template ? defaultsOf(template, locale).name : key;
  };
  return (
    <>
      <div role="status" aria-live="polite">
        {notice && !notice.error && (
          <p class="notice">{notice.text} {notice.runsOf && <Link to={`/workflows/runs?workflowId=${notice.runsOf}`}>{words.seeRuns}</Link>}</p>
        )}
      </div>
      <div role="alert">{notice?.error && <p class="notice error">{notice.text}</p>}</div>
      {rows.length === 0 ? <p class="notice">{words.empty}</p> : (
        <TableRegion label={words.table}>
          <table>
            <thead>
              <tr><th scope="col">{words.name}</th><th scope="col">{words.template}</th><th scope="col">{words.status}</th><th scope="col">{words.actions}</th></tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.id}>
                  <td><Link to={`/workflows/${row.id}/edit`}>{row.name}</Link></td>
                  <td>{templateName(row.templateKey)}</td>
                  <td>
                    <Switch checked={row.status === 'active'} label={row.name} onText={words.on} offText={words.off}
                      disabled={busy === row.id} onChange={(on) => void toggle(row, on)} />
                  </td>
                  <td>
                    <Menu label={words.menu} name={row.name} items={[
                      { label: shared.edit, onSelect: () => navigate(`/workflows/${row.id}/edit`) },
                      { label: words.runNow, onSelect: () => void runNow(row) },
                      row.status === 'active'
                        ? { label: words.deactivate, onSelect: () => void toggle(row, false) }
                        : { label: words.activate, onSelect: () => void toggle(row, true) },
                      { label: shared.delete, danger: true, onSelect: () => setDeleting(row) },
                    ]} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}
      {deleting && (
        <ConfirmDialog title={fill(words.confirmTitle, { name: deleting.name })} text={words.confirmText} confirm={shared.delete} cancel={shared.cancel}
          onConfirm={() => void remove(deleting)} onCancel={() => setDeleting(undefined)} />
      )}
    </>
  );
}

/** A modal <dialog>: focus goes to Cancel, Escape cancels, and focus returns where it was when it closes. */
function ConfirmDialog({ title, text, confirm, cancel, onConfirm, onCancel }: {
  title: string; text: string; confirm: string; cancel: string; onConfirm(): void; onCancel(): void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    const element = dialog.current!;
    if (typeof element.showModal === 'function') element.showModal();
    else element.setAttribute('open', '');
    element.querySelector<HTMLButtonElement>('button[data-cancel]')?.focus();
    // The menu item that opened it is gone with its menu: focus then goes back to the page.
    return () => (opener?.isConnected ? opener : document.getElementById('main'))?.focus();
  }, []);
  return (
    <dialog ref={dialog} class="dialog" aria-labelledby="confirm-title" aria-describedby="confirm-text"
      onCancel={(event) => { event.preventDefault(); onCancel(); }}>
      <h2 id="confirm-title">{title}</h2>
      <p id="confirm-text">{text}</p>
      <div class="row">
        <Button variant="danger" onClick={onConfirm}>{confirm}</Button>
        <Button data-cancel onClick={onCancel}>{cancel}</Button>
      </div>
    </dialog>
  );
}
