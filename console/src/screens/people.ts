import { useEffect, useState } from 'preact/hooks';
import { api, type Schemas } from '../api/client';

/** The company's users, every page of them (a company has tens, not thousands): names for ids, choices for pickers. */
export async function allUsers(): Promise<Schemas['User'][]> {
  const users: Schemas['User'][] = [];
  let cursor: string | undefined;
  do {
    const { data, error } = await api.GET('/v1/users', { params: { query: { limit: 200, ...(cursor ? { cursor } : {}) } } });
    if (error || !data) throw error ?? new Error('no answer');
    users.push(...data.data);
    cursor = data.nextCursor ?? undefined;
  } while (cursor);
  return users;
}

export function useUsers(): { users: Schemas['User'][] | null; reload(): void } {
  const [users, setUsers] = useState<Schemas['User'][] | null>(null);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let live = true;
    allUsers().then((found) => live && setUsers(found), () => live && setUsers([]));
    return () => { live = false; };
  }, [version]);
  return { users, reload: () => setVersion((v) => v + 1) };
}
