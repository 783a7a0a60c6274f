/** The API's 400 `fields` ([{ field: "actions.0.subject", message }]) by path, for showing each beside its control. */
export class FieldErrors {
  constructor(private readonly list: { field: string; message: string }[] = []) {}

  /** The message for exactly this path. */
  at(path: string): string | undefined {
    return this.list.find((e) => e.field === path)?.message;
  }

  /** The messages at or under `prefix`, except those of the paths given (shown beside their own control). */
  under(prefix: string, except: string[] = []): string[] {
    return this.list
      .filter((e) => (e.field === prefix || e.field.startsWith(`${prefix}.`)) && !except.includes(e.field))
      .map((e) => e.message);
  }

  /** The messages no control of the form shows: their path is none of `shown`'s prefixes. */
  outside(shown: string[]): string[] {
    return this.list.filter((e) => !shown.some((p) => e.field === p || e.field.startsWith(`${p}.`))).map((e) => e.message);
  }
}
