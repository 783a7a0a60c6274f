import { useId, useRef, useState } from 'preact/hooks';
import { defineMessages, useMessages } from '../../i18n';
import { Field } from '../../ui';
import type { Template } from './data';

const messages = defineMessages({
  'en-US': { variables: 'Variables', hint: 'Type # to insert a variable.' },
  'fr-CA': { variables: 'Variables', hint: 'Tapez # pour insérer une variable.' },
});

type Variable = Template['variables'][number];

/** What a variable is inserted as: money and dates through their helpers, so they read in the company's format. */
function placeholder(variable: Variable): string {
  if (variable.type === 'money') return `{{money ${variable.name}}}`;
  if (variable.type === 'date') return `{{date ${variable.name}}}`;
  return `{{${variable.name}}}`;
}

/**
 * A subject or message text with the `#` variable picker: typing # opens a listbox of the template's variables
 * filtered by what follows; arrows move, Enter or a click inserts, Escape closes (the combobox pattern).
 */
export function MessageInput({ label, value, onChange, variables, multiline, error }: {
  label: string; value: string; onChange(value: string): void; variables: Variable[]; multiline?: boolean; error?: string;
}) {
  const words = useMessages(messages);
  const listId = useId();
  const control = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const [query, setQuery] = useState<{ text: string; start: number } | null>(null);
  const [active, setActive] = useState(0);
  const matches = query ? variables.filter((v) => v.name.toLowerCase().includes(query.text.toLowerCase())) : [];
  const open = query !== null && matches.length > 0;

  const look = (element: HTMLInputElement | HTMLTextAreaElement) => {
    const caret = element.selectionStart ?? element.value.length;
    const typed = /#(\w*)$/.exec(element.value.slice(0, caret));
    setQuery(typed ? { text: typed[1], start: caret - typed[0].length } : null);
    setActive(0);
  };

  const insert = (variable: Variable) => {
    const element = control.current;
    if (!element || !query) return;
    const caret = element.selectionStart ?? element.value.length;
    const text = placeholder(variable);
    const next = element.value.slice(0, query.start) + text + element.value.slice(caret);
    onChange(next);
    setQuery(null);
    const at = query.start + text.length;
    requestAnimationFrame(() => {
      element.focus();
      element.setSelectionRange(at, at);
    });
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (!open) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((i) => (i + (event.key === 'ArrowDown' ? 1 : matches.length - 1)) % matches.length);
    } else if (event.key === 'Enter' || event.key === 'Tab') {
      event.preventDefault();
      insert(matches[active]);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      setQuery(null);
    }
  };

  return (
    <Field label={label} error={error} hint={words.hint}>
      {(props) => {
        const common = {
          ...props, ref: control, value, role: 'combobox' as const, 'aria-expanded': open, 'aria-controls': listId, 'aria-autocomplete': 'list' as const,
          'aria-activedescendant': open ? `${listId}-${active}` : undefined,
          onInput: (event: Event) => {
            const element = event.currentTarget as HTMLInputElement;
            onChange(element.value);
            look(element);
          },
          onKeyDown, onBlur: () => setQuery(null),
        };
        return (
          <div class="combobox">
            {multiline ? <textarea {...common} /> : <input type="text" {...common} />}
            <ul role="listbox" id={listId} aria-label={words.variables} class="listbox" hidden={!open}>
              {matches.map((variable, i) => (
                <li key={variable.name} id={`${listId}-${i}`} role="option" aria-selected={i === active}
                  onMouseDown={(event) => { event.preventDefault(); insert(variable); }}>
                  <code>{variable.name}</code> <span class="hint">{variable.description}</span>
                </li>
              ))}
            </ul>
          </div>
        );
      }}
    </Field>
  );
}
