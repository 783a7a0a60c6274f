import { api, type Schemas } from '../../api/client';
import type { Locale } from '../../i18n';

export type Template = Schemas['WorkflowTemplate'];
export type Definition = Schemas['Workflow'];
export type User = Schemas['User'];

export interface ConditionValue {
  field: string;
  op: string;
  value: unknown;
}

export type ActionValue = { type: string } & Record<string, unknown>;

/** A template's defaults in one locale (the API documents them as a free-form object). */
export interface TemplateDefaults {
  name: string;
  conditions: ConditionValue[];
  actions: ActionValue[];
  schedule: { time: string } | null;
  steps?: { offsetDays: number; subject: string; body: string }[];
}

export function defaultsOf(template: Template, locale: Locale): TemplateDefaults {
  return template.defaults[locale] as unknown as TemplateDefaults;
}

/** Every page of a list, following `nextCursor`. */
async function allPages<T>(page: (cursor: string | undefined) => Promise<{ data?: { data: T[]; nextCursor: string | null }; error?: unknown }>): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | undefined;
  do {
    const { data, error } = await page(cursor);
    if (!data) throw error;
    all.push(...data.data);
    cursor = data.nextCursor ?? undefined;
  } while (cursor);
  return all;
}

let templates: Promise<Template[]> | undefined;

/** The catalogue does not change while the console runs: read once. */
export function loadTemplates(): Promise<Template[]> {
  templates ??= api.GET('/v1/workflow-templates').then(({ data, error }) => {
    if (!data) {
      templates = undefined;
      throw error;
    }
    return data.data as Template[];
  });
  return templates;
}

export function loadDefinitions(): Promise<Definition[]> {
  return allPages((cursor) => api.GET('/v1/workflows', { params: { query: { limit: 200, cursor } } }));
}

/** The active users, whom actions may name; none when the caller may not list them (the editor still opens). */
export function loadUsers(): Promise<User[]> {
  return allPages((cursor) => api.GET('/v1/users', { params: { query: { limit: 200, cursor } } }))
    .then((users) => users.filter((user) => user.status === 'active'), () => []);
}
