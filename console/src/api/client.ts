import createClient from 'openapi-fetch';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];

/** The CSRF token of the session, which the API set as a cookie readable here (the session cookie itself is not). */
export function csrfToken(): string | undefined {
  const match = document.cookie.split('; ').find((pair) => pair.startsWith('relance_csrf='));
  return match ? decodeURIComponent(match.slice('relance_csrf='.length)) : undefined;
}

/**
 * The console's only way to the server: the public API, typed from openapi.json. Every request carries the session's
 * CSRF token; a cross-site page can send the cookie but cannot read the token, so its requests change nothing.
 */
export const api = createClient<paths>({ baseUrl: window.location.origin, credentials: 'same-origin' });

const listeners = new Set<() => void>();

/** Calls `listener` whenever the API answers 401: the session ended (idle, expired, signed out elsewhere, deactivated). */
export function onSessionEnded(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

api.use({
  onRequest({ request }) {
    const token = csrfToken();
    if (token) request.headers.set('X-CSRF-Token', token);
    return request;
  },
  onResponse({ response, request }) {
    const url = new URL(request.url);
    if (response.status === 401 && url.pathname !== '/v1/sessions') for (const listener of listeners) listener();
    return response;
  },
});

/** An API error's message (the API answers `{ statusCode, error, message }`), or a generic one for a network failure. */
export function errorMessage(error: unknown): string {
  if (error && typeof error === 'object' && 'message' in error && typeof error.message === 'string') return error.message;
  return String(error);
}
