import { execFileSync } from 'node:child_process';
import path from 'node:path';

// pdf-parse (pdf.js) loads its worker with a dynamic import, which Jest's module VM refuses: it runs in a plain Node.
const PARSE = `
const { PDFParse } = require('pdf-parse');
const chunks = [];
process.stdin.on('data', (c) => chunks.push(c));
process.stdin.on('end', async () => {
  const parser = new PDFParse({ data: new Uint8Array(Buffer.concat(chunks)) });
  try { process.stdout.write((await parser.getText()).text); } finally { await parser.destroy(); }
});`;

/** The text of a PDF as a PDF parser library reads it; throws when the bytes are not a PDF it can read. */
export function pdfText(bytes: Buffer): string {
  if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') throw new Error(`not a PDF: starts with ${JSON.stringify(bytes.subarray(0, 8).toString('latin1'))}`);
  return execFileSync(process.execPath, ['-e', PARSE], { input: bytes, cwd: path.resolve(__dirname, '..', '..'), encoding: 'utf8', timeout: 30_000 });
}
