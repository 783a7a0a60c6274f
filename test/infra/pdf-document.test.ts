import PDFDocument from 'pdfkit';
import { createPdfDocument } from '../../src/infra/pdf-document';

const options: PDFKit.PDFDocumentOptions = { size: 'LETTER', margin: 56, info: { Title: 'T', CreationDate: new Date('2026-12-01T00:00:00Z') }, lang: 'fr-CA' };

function write(doc: PDFKit.PDFDocument): Promise<Buffer> {
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.font('Helvetica-Bold').fontSize(20).text('Boulangerie Saint-Roch');
  doc.font('Helvetica').fontSize(11).text('Café Élan · 1 250,00 $ · AVAWAY kerning');
  doc.addPage().font('Helvetica-Bold').text('Page 2').font('Helvetica').text('Total');
  doc.end();
  return done;
}

describe(createPdfDocument.name, () => {
  it("makes the very bytes a plain pdfkit document makes, for the first document and for those sharing its fonts' metrics", async () => {
    const plain = await write(new PDFDocument(options));
    expect((await write(createPdfDocument(options))).equals(plain)).toBe(true);
    expect((await write(createPdfDocument(options))).equals(plain)).toBe(true);
    expect((await write(createPdfDocument(options))).equals(plain)).toBe(true);
  });

  it('shares the parsed metrics between documents, never a document-bound font object', () => {
    const table = (doc: PDFKit.PDFDocument) => (doc as unknown as { _fontFamilies: Record<string, { font: unknown; document: unknown }> })._fontFamilies;
    const [a, b] = [createPdfDocument(options), createPdfDocument(options)];
    expect(table(a).Helvetica.font).toBe(table(b).Helvetica.font);
    expect(table(a)['Helvetica-Bold'].font).toBe(table(b)['Helvetica-Bold'].font);
    expect(table(a).Helvetica).not.toBe(table(b).Helvetica);
    expect(table(b).Helvetica.document).toBe(b);
  });
});
