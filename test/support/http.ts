/* eslint-disable @typescript-eslint/no-explicit-any */
export interface HttpResult {
  status: number;
  body: any;
  headers: Headers;
}

/** A small JSON client for e2e tests against a real API process. */
export class Http {
  constructor(private readonly baseUrl: string, private readonly apiKey?: string) {}

  as(apiKey: string): Http {
    return new Http(this.baseUrl, apiKey);
  }

  /** The same caller against another API process (the scale-out check runs two). */
  at(baseUrl: string): Http {
    return new Http(baseUrl, this.apiKey);
  }

  /** The bare response of a GET, for bodies that are not JSON (a PDF). */
  raw(path: string): Promise<Response> {
    return fetch(`${this.baseUrl}${path}`, { headers: this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {} });
  }

  get(path: string, headers: Record<string, string> = {}) {
    return this.request('GET', path, undefined, headers);
  }

  post(path: string, body?: unknown, headers: Record<string, string> = {}) {
    return this.request('POST', path, body, headers);
  }

  patch(path: string, body?: unknown, headers: Record<string, string> = {}) {
    return this.request('PATCH', path, body, headers);
  }

  put(path: string, body?: unknown, headers: Record<string, string> = {}) {
    return this.request('PUT', path, body, headers);
  }

  delete(path: string, headers: Record<string, string> = {}) {
    return this.request('DELETE', path, undefined, headers);
  }

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResult> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: any = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }
}
