import type { OpenAPIObject } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

interface KnownPath {
  /** As the document writes it: `/v1/invoices/{id}`. */
  path: string;
  pattern: RegExp;
  methods: Set<string>;
  /** How many of its segments are parameters: of the paths matching a request, those with the fewest are its own. */
  parameters: number;
}

function knownPaths(document: OpenAPIObject): KnownPath[] {
  return Object.entries(document.paths).map(([path, item]) => {
    const source = path.split('/').map((part) => (/^\{.+\}$/.test(part) ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/');
    const methods = new Set(Object.keys(item).filter((m) => METHODS.includes(m)).map((m) => m.toUpperCase()));
    if (methods.has('GET')) methods.add('HEAD');
    return { path, pattern: new RegExp(`^${source}/?$`), methods, parameters: (path.match(/\{/g) ?? []).length };
  });
}

/**
 * A method the document does not declare on a path it knows is a 405 with `Allow` (instead of the router's 404, or the
 * router's taking `me` or `preview` for an id), and a PATCH that changes nothing (`{}`) is a 400: the document is the
 * list of what the API answers.
 */
export function methodGuard(document: OpenAPIObject) {
  // Grouped by their first two segments (`/v1/invoices`), so that a request is tested against its few neighbours only.
  const byPrefix = new Map<string, KnownPath[]>();
  const anywhere: KnownPath[] = [];
  for (const known of knownPaths(document)) {
    const key = prefix(known.path);
    if (key.includes('{')) anywhere.push(known);
    else byPrefix.set(key, [...(byPrefix.get(key) ?? []), known]);
  }
  return (req: Request, res: Response, next: NextFunction): void => {
    const path = req.path;
    const candidates = [...(byPrefix.get(prefix(path)) ?? []), ...anywhere].filter((p) => p.pattern.test(path));
    // As OpenAPI matches them: `/v1/users/me` is that path's, not `/v1/users/{id}`'s, whose methods are not its own.
    const fewest = Math.min(...candidates.map((p) => p.parameters));
    const matching = candidates.filter((p) => p.parameters === fewest);
    if (matching.length > 0 && !matching.some((p) => p.methods.has(req.method))) {
      const allow = [...new Set(matching.flatMap((p) => [...p.methods]))].sort().join(', ');
      res.status(405).setHeader('Allow', allow);
      res.json({ statusCode: 405, error: 'Method Not Allowed', message: `${req.method} is not allowed on ${path}; allowed: ${allow}` });
      return;
    }
    if (req.method === 'PATCH' && matching.length > 0 && isEmptyObject(req.body)) {
      res.status(400).json({ statusCode: 400, error: 'Bad Request', message: 'the body must name at least one field to change' });
      return;
    }
    next();
  };
}

function prefix(path: string): string {
  return path.split('/', 3).join('/');
}

function isEmptyObject(body: unknown): boolean {
  return body === undefined || body === null || (typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 0);
}
