/**
 * A page's first reads, started by the boot beside who-is-signed-in rather than after it: otherwise the screen asks
 * for its data one round trip later than it could. A read started here is handed, once, to the first screen that
 * asks for it by the same key; any later visit reads afresh. Reads of a signed-out visitor answer 401 like any other.
 */
const started = new Map<string, Promise<unknown>>();

/** Starts `read` now, for the screen that will ask for `key`. */
export function startEarly(key: string, read: () => Promise<unknown>): void {
  const promise = read();
  // The screen that takes it handles a failure; until then it is not unhandled.
  promise.catch(() => undefined);
  started.set(key, promise);
}

/** The read the boot started for `key` (once), else `read()` now. */
export function early<T>(key: string, read: () => Promise<T>): Promise<T> {
  const promise = started.get(key) as Promise<T> | undefined;
  started.delete(key);
  return promise ?? read();
}
