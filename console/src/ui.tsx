import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { useMessages } from './i18n';
import { common } from './messages';
import { Link, useLocation } from './router';

/** A page's title, also the document's, so screen readers and tabs say where one is. */
export function Page({ title, actions, children }: { title: string; actions?: ComponentChildren; children: ComponentChildren }) {
  useEffect(() => {
    document.title = `${title} · Relance`;
  }, [title]);
  return (
    <section class="page" aria-labelledby="page-title">
      <header class="page-header">
        <h1 id="page-title">{title}</h1>
        {actions && <div class="page-actions">{actions}</div>}
      </header>
      {children}
    </section>
  );
}

/** Tabs that are pages (each has its URL): a nav of links, the current one marked. */
export function Tabs({ label, tabs }: { label: string; tabs: { to: string; label: string }[] }) {
  const { path } = useLocation();
  return (
    <nav class="tabs" aria-label={label}>
      {tabs.map((tab) => (
        <Link key={tab.to} to={tab.to} aria-current={path === tab.to || path.startsWith(`${tab.to}/`) ? 'page' : undefined}>
          {tab.label}
        </Link>
      ))}
    </nav>
  );
}

type ButtonProps = JSX.HTMLAttributes<HTMLButtonElement> & { variant?: 'primary' | 'secondary' | 'danger'; type?: 'button' | 'submit'; disabled?: boolean };

export function Button({ variant = 'secondary', type = 'button', class: className, ...rest }: ButtonProps) {
  return <button type={type} class={`button ${variant}${className ? ` ${className}` : ''}`} {...rest} />;
}

/** A labelled control with its hint and its error (the API's 400 message for this field), tied by aria-describedby. */
export function Field({ label, hint, error, children }: {
  label: string; hint?: string; error?: string; children: (props: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }) => ComponentChildren;
}) {
  const id = useId();
  const described = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field${error ? ' invalid' : ''}`}>
      <label for={id}>{label}</label>
      {children({ id, 'aria-describedby': described, 'aria-invalid': error ? true : undefined })}
      {hint && <p class="hint" id={`${id}-hint`}>{hint}</p>}
      {error && <p class="error" id={`${id}-error`}>{error}</p>}
    </div>
  );
}

/** An ON/OFF switch (role="switch"), with its visible state in words. */
export function Switch({ checked, label, onText, offText, onChange, disabled }: {
  checked: boolean; label: string; onText: string; offText: string; onChange(checked: boolean): void; disabled?: boolean;
}) {
  return (
    <button type="button" role="switch" aria-checked={checked} aria-label={label} class={`switch${checked ? ' on' : ''}`}
      disabled={disabled} onClick={() => onChange(!checked)}>
      <span class="switch-track" aria-hidden="true"><span class="switch-thumb" /></span>
      <span class="switch-text">{checked ? onText : offText}</span>
    </button>
  );
}

/**
 * A menu button (the "Actions ⋮" of a row): the menu opens below it, Escape or a click elsewhere closes it. `name`
 * (the row's) is added to the button's name for screen readers only.
 */
export function Menu({ label, name, items }: { label: string; name?: string; items: MenuItem[] }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <div class="menu">
      <button type="button" class="button secondary" aria-haspopup="menu" aria-expanded={open} aria-controls={id} onClick={() => setOpen(!open)}>
        {label}{name && <span class="visually-hidden"> {name}</span>}
      </button>
      {open && <MenuList id={id} label={label} items={items} close={() => setOpen(false)} />}
    </div>
  );
}

type MenuItem = { label: string; onSelect(): void; danger?: boolean };

/** The open menu. Its listeners and focus live here, not in Menu: a table has a closed Menu on each of its rows. */
function MenuList({ id, label, items, close }: { id: string; label: string; items: MenuItem[]; close(): void }) {
  const list = useRef<HTMLUListElement>(null);
  useEffect(() => {
    const root = list.current?.parentElement;
    const onOutside = (event: Event) => {
      if (event instanceof KeyboardEvent ? event.key === 'Escape' : !root?.contains(event.target as Node)) close();
    };
    document.addEventListener('click', onOutside);
    document.addEventListener('keydown', onOutside);
    list.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    return () => {
      document.removeEventListener('click', onOutside);
      document.removeEventListener('keydown', onOutside);
    };
  }, []);
  return (
    <ul role="menu" id={id} aria-label={label} ref={list}>
      {items.map((item) => (
        <li role="none" key={item.label}>
          <button type="button" role="menuitem" class={item.danger ? 'danger' : undefined}
            onClick={() => { close(); item.onSelect(); }}>
            {item.label}
          </button>
        </li>
      ))}
    </ul>
  );
}

/** A wide table that scrolls sideways on a phone, in a region a keyboard can reach. */
export function TableRegion({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="table-region" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}

/** What a screen says while it loads, when it failed, or when there is nothing to show. */
export function Status({ loading, error, empty, children }: { loading?: boolean; error?: string; empty?: string; children?: ComponentChildren }) {
  const words = useMessages(common);
  if (error) return <p class="notice error" role="alert">{error}</p>;
  if (loading) return <p class="notice" role="status">{words.loading}</p>;
  if (empty) return <p class="notice">{empty}</p>;
  return <>{children}</>;
}

/**
 * The API's refusal split for a form: each `fields[]` message beside the field it names, the rest at the top. The
 * API answers `{ statusCode, error, message, fields?: [{ field, message }] }`.
 */
export interface FormErrors {
  top?: string;
  fields: Record<string, string>;
}

export function formErrors(error: unknown, known: string[] = []): FormErrors {
  const fields: Record<string, string> = {};
  const body = (error ?? {}) as { message?: unknown; fields?: { field?: unknown; message?: unknown }[] };
  let elsewhere = false;
  for (const entry of Array.isArray(body.fields) ? body.fields : []) {
    if (typeof entry.field === 'string' && typeof entry.message === 'string' && known.includes(entry.field)) fields[entry.field] = entry.message;
    else elsewhere = true;
  }
  const placed = Object.keys(fields).length > 0 && !elsewhere;
  return { top: placed ? undefined : typeof body.message === 'string' ? body.message : String(error), fields };
}

/** A form's refusal that names no field, read out when it appears. */
export function FormAlert({ message }: { message?: string }) {
  return message ? <p class="notice error" role="alert">{message}</p> : null;
}
