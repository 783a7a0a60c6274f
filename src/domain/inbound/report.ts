/** A part of a multipart/report (RFC 6522): its media type and its body, transfer encoding undone. */
export interface ReportPart {
  contentType: string;
  body: string;
}

const MAX_PARTS = 16;

function unfold(lines: string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    if (/^[ \t]/.test(line) && out.length > 0) out[out.length - 1] += ` ${line.trim()}`;
    else out.push(line);
  }
  return out;
}

function decodeQuotedPrintable(text: string): string {
  const bytes: number[] = [];
  const soft = text.replace(/=\r?\n/g, '');
  for (let i = 0; i < soft.length; i++) {
    const hex = soft[i] === '=' ? soft.slice(i + 1, i + 3) : '';
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(soft[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * The parts of a multipart/report message (RFC 6522), split at its boundary: the human-readable part, the report
 * (message/delivery-status, message/feedback-report) and the returned message or its headers. Only the top level is
 * read: that is where RFC 6522 puts them.
 */
export function reportParts(raw: Buffer, boundary: string): ReportPart[] {
  const text = raw.toString('utf8');
  const delimiter = `--${boundary}`;
  const parts: ReportPart[] = [];
  let current: string[] | null = null;
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith(delimiter) && /^(--)?[ \t]*$/.test(line.slice(delimiter.length))) {
      if (current) parts.push(part(current));
      if (line.slice(delimiter.length).startsWith('--') || parts.length >= MAX_PARTS) return parts;
      current = [];
    } else if (current) {
      current.push(line);
    }
  }
  if (current) parts.push(part(current));
  return parts;
}

function part(lines: string[]): ReportPart {
  const blank = lines.findIndex((l) => l.trim() === '');
  const head = unfold(blank < 0 ? lines : lines.slice(0, blank));
  const body = blank < 0 ? '' : lines.slice(blank + 1).join('\n');
  const field = (name: string) => head.find((l) => l.toLowerCase().startsWith(`${name}:`))?.slice(name.length + 1).trim() ?? '';
  // RFC 2045 §5.2: a part without Content-Type is text/plain.
  const contentType = (field('content-type').split(';')[0].trim() || 'text/plain').toLowerCase();
  const encoding = field('content-transfer-encoding').toLowerCase();
  if (encoding === 'base64') return { contentType, body: Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8') };
  if (encoding === 'quoted-printable') return { contentType, body: decodeQuotedPrintable(body) };
  return { contentType, body };
}

/**
 * The field groups of a report body: RFC 3464 §2.1 (a per-message group, then one per recipient) and RFC 5965 §3.1
 * alike, each field `Name: value`, folded lines unfolded, names lowercased; the first of a repeated field is kept.
 */
export function fieldGroups(body: string): Map<string, string>[] {
  const groups: Map<string, string>[] = [];
  let lines: string[] = [];
  const flush = () => {
    if (lines.length === 0) return;
    const group = new Map<string, string>();
    for (const line of unfold(lines)) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      if (!group.has(name)) group.set(name, line.slice(colon + 1).trim());
    }
    if (group.size > 0) groups.push(group);
    lines = [];
  };
  for (const line of body.split(/\r?\n/)) {
    if (line.trim() === '') flush();
    else lines.push(line);
  }
  flush();
  return groups;
}
