import { BadRequestException } from '@nestjs/common';
import { simpleParser } from 'mailparser';
import type { InboundMessage } from '../../domain/inbound/classify';
import { reportParts } from '../../domain/inbound/report';

// A header field's name: printable US-ASCII but the colon (RFC 5322 §2.2).
const FIELD = /^[!-9;-~]+:/;
// HTML larger than this is not turned into text (mailparser's own limit): a reply that big is a quoted PDF's worth of markup.
const MAX_HTML_TO_TEXT = 1_000_000;

function headerSection(raw: Buffer): Buffer {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  const end = [crlf, lf].filter((i) => i >= 0).sort((a, b) => a - b)[0];
  return end === undefined ? raw : raw.subarray(0, end);
}

/**
 * A raw message (RFC 5322) parsed with mailparser into what the classifiers read, or a 400 for what is not a message:
 * an empty body, bytes that do not start with a header field, a NUL in the header section, no From (RFC 5322 §3.6.2).
 */
export async function parseInboundMessage(raw: Buffer): Promise<InboundMessage> {
  if (raw.length === 0) throw new BadRequestException('the body is empty: send the raw message (RFC 5322)');
  const head = headerSection(raw);
  if (!FIELD.test(head.subarray(0, 1000).toString('latin1')) || head.includes(0)) {
    throw new BadRequestException('the body is not an RFC 5322 message: it must start with its header fields');
  }
  let parsed;
  try {
    parsed = await simpleParser(raw, { skipTextToHtml: true, skipImageLinks: true, maxHtmlLengthToParse: MAX_HTML_TO_TEXT });
  } catch {
    throw new BadRequestException('the body is not an RFC 5322 message');
  }
  const from = parsed.from?.value.find((a) => a.address)?.address ?? '';
  if (!from) throw new BadRequestException('the message has no From address (RFC 5322 §3.6.2)');
  const lines = new Map<string, string[]>();
  for (const { key, line } of parsed.headerLines) {
    const value = line.slice(line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
    lines.set(key, [...(lines.get(key) ?? []), value]);
  }
  const contentType = parsed.headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  const boundary = contentType?.params?.boundary;
  const report = contentType?.value === 'multipart/report' && boundary
    ? { type: (contentType.params?.['report-type'] ?? '').toLowerCase(), parts: reportParts(raw, boundary) }
    : undefined;
  return {
    headers: (name) => lines.get(name.toLowerCase()) ?? [],
    from,
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    ...(report && { report }),
  };
}

/** Where a message names the address it came to: the envelope recipient an MTA recorded, the visible ones, and a report's returned headers. */
export function addressTexts(message: InboundMessage): string[] {
  const headers = ['delivered-to', 'x-original-to', 'envelope-to', 'to', 'cc'].flatMap((name) => message.headers(name));
  return [...headers, ...(message.report?.parts.filter((p) => p.contentType !== 'text/plain').map((p) => p.body) ?? [])];
}
