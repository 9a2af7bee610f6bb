import PDFDocument from 'pdfkit';

/**
 * The one page layout of the center's products (shift reports, assist reports, bulletins):
 * the agency's name and logo, the handling line at the top and bottom of every page, the
 * product's number, author, approver and date, and "Page n of N". Products differ only in the
 * blocks they pass in.
 */

export type ProductBlock =
  /** `keepWith`: the room (points) the heading needs below it on its page (default 60). */
  | { readonly kind: 'heading'; readonly text: string; readonly keepWith?: number }
  | { readonly kind: 'paragraph'; readonly text: string }
  /** Label and value pairs, one a line. */
  | { readonly kind: 'fields'; readonly rows: readonly (readonly [string, string])[] }
  | { readonly kind: 'list'; readonly items: readonly string[]; readonly empty?: string }
  /** A PNG or JPEG. */
  | { readonly kind: 'image'; readonly data: Buffer; readonly caption?: string };

export interface ProductDocument {
  readonly agency: {
    readonly name: string;
    /** A PNG or JPEG data URL. */
    readonly logo?: string | undefined;
    readonly classification: string;
  };
  readonly title: string;
  readonly number: string;
  readonly author: string;
  /** Null: not approved (a shift report is signed off instead, and says so in its blocks). */
  readonly approver: string | null;
  /** As printed, in the agency's zone. */
  readonly date: string;
  readonly blocks: readonly ProductBlock[];
}

export interface RenderedProduct {
  readonly pdf: Buffer;
  readonly pages: number;
}

const MARGIN = 54;
const BAND = 40;
const INK = '#111111';
const MUTED = '#555555';

/**
 * The standard PDF fonts speak Windows-1252. Anything else (emoji, other scripts, control
 * characters) is shown as "?" rather than as garbage, so that what is printed is what was meant
 * or visibly not.
 */
export function printable(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[^\n\x20-\x7e\xa0-\xff\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026]/gu, '?');
}

function logoImage(logo: string | undefined): Buffer | null {
  if (!logo) return null;
  const m = /^data:image\/(png|jpeg);base64,(.+)$/.exec(logo);
  return m ? Buffer.from(m[2]!, 'base64') : null;
}

/** Renders a product to PDF. */
export function renderProduct(p: ProductDocument): Promise<RenderedProduct> {
  const doc = new PDFDocument({
    size: 'LETTER',
    margins: { top: MARGIN + BAND / 2, bottom: MARGIN + BAND / 2, left: MARGIN, right: MARGIN },
    bufferPages: true,
    info: {
      Title: printable(`${p.title} ${p.number}`),
      Author: printable(p.author),
      Creator: 'Watchfloor',
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  titleBlock(doc, p);
  for (const block of p.blocks) drawBlock(doc, block);
  const pages = frameEveryPage(doc, p);
  doc.end();
  return done.then((pdf) => ({ pdf, pages }));
}

const width = (doc: PDFKit.PDFDocument) => doc.page.width - MARGIN * 2;

function titleBlock(doc: PDFKit.PDFDocument, p: ProductDocument): void {
  const top = doc.y;
  let textX = MARGIN;
  const logo = logoImage(p.agency.logo);
  if (logo) {
    try {
      doc.image(logo, MARGIN, top, { fit: [64, 64] });
      textX = MARGIN + 76;
    } catch {
      // A logo the PDF library cannot read is left out rather than failing the product.
    }
  }
  doc
    .font('Helvetica-Bold')
    .fontSize(13)
    .fillColor(INK)
    .text(printable(p.agency.name), textX, top, { width: width(doc) - (textX - MARGIN) });
  doc
    .font('Helvetica-Bold')
    .fontSize(18)
    .text(printable(p.title), textX, doc.y + 4, { width: width(doc) - (textX - MARGIN) });
  doc.y = Math.max(doc.y, top + (logo ? 70 : 0)) + 8;
  const rows: [string, string][] = [
    ['Product number', p.number],
    ['Author', p.author],
    ['Approved by', p.approver ?? 'Not approved'],
    ['Date', p.date],
  ];
  drawFields(doc, rows);
  const y = doc.y + 6;
  doc
    .moveTo(MARGIN, y)
    .lineTo(MARGIN + width(doc), y)
    .strokeColor(MUTED)
    .lineWidth(0.5)
    .stroke();
  doc.x = MARGIN;
  doc.y = y + 10;
}

function drawFields(doc: PDFKit.PDFDocument, rows: readonly (readonly [string, string])[]): void {
  const labelWidth = 130;
  for (const [label, value] of rows) {
    const y = doc.y;
    doc
      .font('Helvetica-Bold')
      .fontSize(10)
      .fillColor(MUTED)
      .text(printable(label), MARGIN, y, { width: labelWidth - 8 });
    const afterLabel = doc.y;
    doc
      .font('Helvetica')
      .fillColor(INK)
      .text(printable(value), MARGIN + labelWidth, y, { width: width(doc) - labelWidth });
    doc.y = Math.max(doc.y, afterLabel) + 2;
  }
  doc.x = MARGIN;
}

function drawBlock(doc: PDFKit.PDFDocument, block: ProductBlock): void {
  doc.x = MARGIN;
  switch (block.kind) {
    case 'heading':
      // Keep a heading with at least a few lines of what follows it.
      if (doc.y > doc.page.height - doc.page.margins.bottom - (block.keepWith ?? 60)) doc.addPage();
      doc.moveDown(0.6);
      doc
        .font('Helvetica-Bold')
        .fontSize(12)
        .fillColor(INK)
        .text(printable(block.text), { width: width(doc) });
      doc.moveDown(0.2);
      return;
    case 'paragraph':
      doc
        .font('Helvetica')
        .fontSize(10)
        .fillColor(INK)
        .text(printable(block.text), { width: width(doc) });
      doc.moveDown(0.4);
      return;
    case 'fields':
      drawFields(doc, block.rows);
      doc.moveDown(0.3);
      return;
    case 'list':
      doc.font('Helvetica').fontSize(10).fillColor(INK);
      if (block.items.length === 0) {
        doc.fillColor(MUTED).text(printable(block.empty ?? 'None.'), { width: width(doc) });
      } else {
        doc.list(block.items.map(printable), { width: width(doc), bulletRadius: 1.5 });
      }
      doc.moveDown(0.4);
      return;
    case 'image': {
      const maxHeight = 260;
      if (doc.y + maxHeight > doc.page.height - doc.page.margins.bottom) doc.addPage();
      try {
        doc.image(block.data, MARGIN, doc.y, { fit: [width(doc), maxHeight] });
        doc.y += maxHeight + 4;
      } catch {
        doc
          .font('Helvetica-Oblique')
          .fontSize(10)
          .fillColor(MUTED)
          .text('(An image that could not be read.)');
      }
      if (block.caption) {
        doc
          .font('Helvetica-Oblique')
          .fontSize(9)
          .fillColor(MUTED)
          .text(printable(block.caption), MARGIN, doc.y, { width: width(doc) });
      }
      doc.moveDown(0.4);
      return;
    }
  }
}

/** The handling line top and bottom, and the number and page on every page. */
function frameEveryPage(doc: PDFKit.PDFDocument, p: ProductDocument): number {
  const range = doc.bufferedPageRange();
  const classification = printable(p.agency.classification);
  for (let i = range.start; i < range.start + range.count; i += 1) {
    doc.switchToPage(i);
    // Writing in the margins must not start a new page.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const w = width(doc);
    doc.font('Helvetica-Bold').fontSize(9).fillColor(INK);
    doc.text(classification, MARGIN, MARGIN / 2, { width: w, align: 'center' });
    const footY = doc.page.height - MARGIN / 2 - 10;
    doc.text(classification, MARGIN, footY, { width: w, align: 'center' });
    doc.font('Helvetica').fontSize(8).fillColor(MUTED);
    doc.text(printable(p.number), MARGIN, footY - 12, { width: w / 2, align: 'left' });
    doc.text(`Page ${i - range.start + 1} of ${range.count}`, MARGIN + w / 2, footY - 12, {
      width: w / 2,
      align: 'right',
    });
    doc.page.margins.bottom = bottom;
  }
  return range.count;
}
