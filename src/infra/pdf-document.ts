import PDFDocument from 'pdfkit';

/**
 * A pdfkit document whose standard fonts are read once per process. pdfkit parses a standard font's metrics (its AFM
 * file: widths and kerning pairs) anew for every document, which was most of an invoice PDF's cost (~3.5 of ~8 ms per
 * face; see bench/README.md). The metrics never change, so each document gets its own font objects (their PDF
 * references are the document's) sharing the metrics parsed by the first document.
 * This reaches into pdfkit's font table (`_fontFamilies`, `_fontCount`, `_font`): pinned to pdfkit 0.20 by
 * test/infra/pdf-document.test.ts, which fails when the bytes differ from a plain document's.
 */

/** The faces the invoice and statement PDFs use, in the order pdfkit would number them (Helvetica is its default). */
const FACES = ['Helvetica', 'Helvetica-Bold'] as const;

interface StandardFontLike {
  id: string;
  document: PDFKit.PDFDocument;
  dictionary?: unknown;
  embedded?: boolean;
}

interface FontTable {
  _fontFamilies: Record<string, StandardFontLike>;
  _fontCount: number;
  _font: StandardFontLike | null;
}

/** A font of a first document per face: its metrics are shared, its document-bound fields never are. */
const parsed = new Map<string, StandardFontLike>();

export function createPdfDocument(options: PDFKit.PDFDocumentOptions): PDFKit.PDFDocument {
  if (FACES.some((face) => !parsed.has(face))) {
    const doc = new PDFDocument(options);
    for (const face of FACES) {
      doc.font(face);
      parsed.set(face, (doc as unknown as FontTable)._font!);
    }
    return doc.font(FACES[0]);
  }
  const doc = new PDFDocument({ ...options, font: null as unknown as string });
  const table = doc as unknown as FontTable;
  for (const face of FACES) {
    const template = parsed.get(face)!;
    const font: StandardFontLike = Object.assign(Object.create(Object.getPrototypeOf(template) as object) as StandardFontLike, template, {
      id: `F${++table._fontCount}`, document: doc, dictionary: undefined, embedded: false,
    });
    table._fontFamilies[face] = font;
  }
  return doc.font(FACES[0]);
}
