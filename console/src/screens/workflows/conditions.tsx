import { defineMessages, fill, useMessages } from '../../i18n';
import { Button, Field } from '../../ui';
import type { Template } from './data';
import type { FieldErrors } from './field-errors';
import { wordFor, workflowWords } from './words';

const messages = defineMessages({
  'en-US': {
    field: 'Field {n}', operator: 'Operator {n}', value: 'Value {n}', remove: 'Remove condition {n}', add: '+ Add condition',
    none: 'No condition: every record matches.', money: 'An amount like 1250.00 (at most 2 decimals).', days: 'A whole number of days.',
    list: 'Values separated by commas.', moneyInvalid: 'Write an amount like 1250.00, with at most 2 decimals.', daysInvalid: 'Write a whole number of days.',
    required: 'Give a value.',
  },
  'fr-CA': {
    field: 'Champ {n}', operator: 'Opérateur {n}', value: 'Valeur {n}', remove: 'Retirer la condition {n}', add: '+ Ajouter une condition',
    none: 'Aucune condition : tous les enregistrements correspondent.', money: 'Un montant comme 1250,00 (au plus 2 décimales).',
    days: 'Un nombre entier de jours.', list: 'Valeurs séparées par des virgules.', moneyInvalid: 'Écrivez un montant comme 1250,00, avec au plus 2 décimales.',
    daysInvalid: 'Écrivez un nombre entier de jours.', required: 'Indiquez une valeur.',
  },
});

/** A condition as the editor holds it: the value as typed (a list as its items). */
export interface ConditionRow {
  field: string;
  op: string;
  value: string;
  values: string[];
}

type FieldSpec = Template['conditionFields'][number];

const RELATIVE = ['within_days', 'overdue_by_days', 'older_than_days'];
const LIST = ['in', 'not_in'];
// The API's own rule for money (domain/money.ts): digits, at most two decimals, never a float.
const MONEY = /^\d{1,12}(\.\d{1,2})?$/;

/** An amount as a person types it, a decimal comma (fr-CA: 0,00) or spaces between thousands included, as the API takes it. */
function moneyText(typed: string): string {
  return typed.trim().replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
}

export function rowOf(condition: { field: string; op: string; value: unknown }): ConditionRow {
  const list = Array.isArray(condition.value) ? condition.value.map(String) : [];
  return { field: condition.field, op: condition.op, value: Array.isArray(condition.value) ? '' : String(condition.value ?? ''), values: list };
}

/** The row's value as the API takes it (a day count as a number, a list as its items, a boolean as one). */
export function conditionValue(row: ConditionRow, spec: FieldSpec | undefined): unknown {
  if (RELATIVE.includes(row.op)) return /^\d+$/.test(row.value.trim()) ? Number(row.value.trim()) : row.value;
  if (LIST.includes(row.op)) return spec?.type === 'enum' ? row.values : row.value.split(',').map((v) => v.trim()).filter(Boolean);
  if (spec?.type === 'boolean') return row.value === 'true';
  return spec?.type === 'money' ? moneyText(row.value) : row.value;
}

type Words = (typeof messages)['en-US'];

/** What the editor says about a value before sending it; the API checks the rest. */
export function localProblem(row: ConditionRow, spec: FieldSpec | undefined, words: Words): string | undefined {
  if (RELATIVE.includes(row.op)) return /^\d+$/.test(row.value.trim()) ? undefined : words.daysInvalid;
  if (LIST.includes(row.op)) return (spec?.type === 'enum' ? row.values.length : row.value.trim().length) ? undefined : words.required;
  if (spec?.type === 'money' && !MONEY.test(moneyText(row.value))) return words.moneyInvalid;
  if (spec?.type !== 'boolean' && row.value.trim() === '') return words.required;
  return undefined;
}

export function useConditionWords(): Words {
  return useMessages(messages);
}

/** The conditions (all must hold): a row per condition, each control named with the row's number. */
export function Conditions({ template, rows, onChange, errors, showLocal }: {
  template: Template; rows: ConditionRow[]; onChange(rows: ConditionRow[]): void; errors: FieldErrors; showLocal: boolean;
}) {
  const words = useMessages(messages);
  const catalogue = useMessages(workflowWords);
  const set = (i: number, change: Partial<ConditionRow>) => onChange(rows.map((row, j) => (j === i ? { ...row, ...change } : row)));
  const specOf = (field: string) => template.conditionFields.find((f) => f.field === field);

  return (
    <>
      {rows.length === 0 && <p class="hint">{words.none}</p>}
      {rows.map((row, i) => {
        const n = i + 1;
        const spec = specOf(row.field);
        const problem = (showLocal ? localProblem(row, spec, words) : undefined) ?? errors.under(`conditions.${i}`).join(' ') ?? undefined;
        return (
          <div class="condition row" key={i}>
            <Field label={fill(words.field, { n })}>
              {(props) => (
                <select {...props} value={row.field} onChange={(event) => {
                  const field = (event.currentTarget as HTMLSelectElement).value;
                  const next = specOf(field);
                  const op = next && !next.ops.includes(row.op) ? next.ops[0] : row.op;
                  set(i, { field, op, value: next?.type === 'boolean' ? 'true' : next?.type === 'enum' ? (next.values?.[0] ?? '') : '', values: [] });
                }}>
                  {template.conditionFields.map((f) => <option key={f.field} value={f.field}>{wordFor(catalogue, 'field', f.field)}</option>)}
                </select>
              )}
            </Field>
            <Field label={fill(words.operator, { n })}>
              {(props) => (
                <select {...props} value={row.op} onChange={(event) => set(i, { op: (event.currentTarget as HTMLSelectElement).value })}>
                  {(spec?.ops ?? []).map((op) => <option key={op} value={op}>{wordFor(catalogue, 'op', op)}</option>)}
                </select>
              )}
            </Field>
            <ValueInput label={fill(words.value, { n })} row={row} spec={spec} error={problem || undefined} words={words}
              onChange={(change) => set(i, change)} />
            <Button variant="danger" onClick={() => onChange(rows.filter((_, j) => j !== i))}>{fill(words.remove, { n })}</Button>
          </div>
        );
      })}
      {errors.at('conditions') && <p class="error">{errors.at('conditions')}</p>}
      <p>
        <Button onClick={() => {
          const first = template.conditionFields[0];
          onChange([...rows, { field: first.field, op: first.ops[0], value: first.type === 'boolean' ? 'true' : '', values: [] }]);
        }}>{words.add}</Button>
      </p>
    </>
  );
}

function ValueInput({ label, row, spec, error, words, onChange }: {
  label: string; row: ConditionRow; spec: FieldSpec | undefined; error?: string; words: Words; onChange(change: Partial<ConditionRow>): void;
}) {
  const catalogue = useMessages(workflowWords);
  const text = (event: Event) => onChange({ value: (event.currentTarget as HTMLInputElement).value });
  if (RELATIVE.includes(row.op)) {
    return <Field label={label} error={error} hint={words.days}>{(props) => <input {...props} type="number" min={0} step={1} inputMode="numeric" value={row.value} onInput={text} />}</Field>;
  }
  if (spec?.type === 'enum' && LIST.includes(row.op)) {
    return (
      <fieldset class="field">
        <legend>{label}</legend>
        {(spec.values ?? []).map((v) => (
          <label class="choice" key={v}>
            <input type="checkbox" checked={row.values.includes(v)}
              onChange={(event) => onChange({ values: (event.currentTarget as HTMLInputElement).checked ? [...row.values, v] : row.values.filter((x) => x !== v) })} />
            {wordFor(catalogue, 'value', v)}
          </label>
        ))}
        {error && <p class="error">{error}</p>}
      </fieldset>
    );
  }
  if (spec?.type === 'enum' || spec?.type === 'boolean') {
    const options = spec.type === 'boolean' ? [['true', catalogue.yes], ['false', catalogue.no]] : (spec.values ?? []).map((v) => [v, wordFor(catalogue, 'value', v)]);
    return (
      <Field label={label} error={error}>
        {(props) => <select {...props} value={row.value} onChange={text}>{options.map(([v, word]) => <option key={v} value={v}>{word}</option>)}</select>}
      </Field>
    );
  }
  if (LIST.includes(row.op)) {
    return <Field label={label} error={error} hint={words.list}>{(props) => <input {...props} type="text" value={row.value} onInput={text} />}</Field>;
  }
  if (spec?.type === 'date') return <Field label={label} error={error}>{(props) => <input {...props} type="date" value={row.value} onInput={text} />}</Field>;
  if (spec?.type === 'money') {
    return <Field label={label} error={error} hint={words.money}>{(props) => <input {...props} type="text" inputMode="decimal" value={row.value} onInput={text} />}</Field>;
  }
  return <Field label={label} error={error}>{(props) => <input {...props} type="text" value={row.value} onInput={text} />}</Field>;
}
