/**
 * Routes whose path carries a secret: an emailed link's token, which is all it takes to act on it. The segment after
 * each of these prefixes never reaches a span, a log line, an error message or a metric label as it is: it is
 * replaced by `:token`. A route of that kind is added here, and everything that records paths redacts it.
 */
export const TOKEN_PATHS: readonly string[] = ['/approvals/', '/unsubscribe/', '/app/sign-in/', '/r/'];

export const REDACTED_TOKEN = ':token';

// Where a path segment ends in a path, a URL or a sentence that quotes one.
const SEGMENT_ENDS = new Set(['/', '?', '#', '"', "'", '`', '<', '>', ' ', '\t', '\r', '\n', ',', ')', ']']);

/** `text` (a path, a URL, a message) with the segment after each token path replaced by `:token`; one pass per path. */
export function redactTokenPaths(text: string): string {
  let out = text;
  for (const prefix of TOKEN_PATHS) {
    if (!out.includes(prefix)) continue;
    const parts: string[] = [];
    let from = 0;
    for (let at = out.indexOf(prefix); at !== -1; at = out.indexOf(prefix, from)) {
      const start = at + prefix.length;
      let end = start;
      while (end < out.length && !SEGMENT_ENDS.has(out[end])) end++;
      parts.push(out.slice(from, start), end > start ? REDACTED_TOKEN : '');
      from = end;
    }
    parts.push(out.slice(from));
    out = parts.join('');
  }
  return out;
}
