/** Polls (no clock in the assertion) until what the worker writes asynchronously is there; fails naming what it waited for. */
export async function until<T>(
  read: () => Promise<T>, done: (value: T) => boolean, what: string, { attempts = 150, intervalMs = 100 } = {},
): Promise<T> {
  let value = await read();
  for (let i = 1; i < attempts && !done(value); i++) {
    await new Promise((r) => setTimeout(r, intervalMs));
    value = await read();
  }
  if (!done(value)) throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(value)}`);
  return value;
}
