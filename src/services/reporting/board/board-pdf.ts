import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';
import type { BoardDocument, DocBlock, DocChart, DocTable } from './board-document.ts';

/**
 * The board report as a PDF, drawn with pdfkit from the same document as the page (the same
 * tables, the same ECharts SVG through svg-to-pdfkit): title, scope, period, summary, KPI
 * table, charts, equity tables, benchmark, benefits, and the footnote on disclosure control
 * on every page. Pure JavaScript: no browser. Helvetica, one of the PDF standard fonts, so
 * nothing is embedded and the file stays small.
 */

const MARGIN = 50;
const A4 = { width: 595.28, height: 841.89 };
const CONTENT_WIDTH = A4.width - 2 * MARGIN;
/** Room kept at the foot of every page for the footnote and page number. */
const FOOT = 46;
const BOTTOM = A4.height - MARGIN - FOOT;
const TEXT = '#212b32';
const SECONDARY = '#4c6272';
const RULE = '#d8dde0';
const BLUE = '#005eb8';

type Doc = PDFKit.PDFDocument;

function ensureRoom(doc: Doc, height: number): void {
  if (doc.y + height > BOTTOM) doc.addPage();
}

function heading(doc: Doc, text: string, size: number): void {
  // Keep a heading with the start of what follows it, never alone at the foot of a page.
  ensureRoom(doc, size * 3 + 90);
  doc.moveDown(0.6).font('Helvetica-Bold').fontSize(size).fillColor(TEXT);
  doc.text(text, MARGIN, doc.y, { width: CONTENT_WIDTH });
  doc.moveDown(0.3);
}

function paragraph(doc: Doc, text: string): void {
  doc.font('Helvetica').fontSize(10.5).fillColor(TEXT);
  ensureRoom(doc, doc.heightOfString(text, { width: CONTENT_WIDTH }) + 4);
  doc.text(text, MARGIN, doc.y, { width: CONTENT_WIDTH });
  doc.moveDown(0.4);
}

/** Column widths: the first (labels) wide, the figures sharing the rest. */
function columnWidths(columns: number): number[] {
  if (columns === 1) return [CONTENT_WIDTH];
  const first = columns > 4 ? CONTENT_WIDTH * 0.25 : CONTENT_WIDTH * 0.46;
  const rest = (CONTENT_WIDTH - first) / (columns - 1);
  return [first, ...Array.from({ length: columns - 1 }, () => rest)];
}

function tableRow(
  doc: Doc,
  cells: string[],
  widths: number[],
  numeric: number[],
  bold: boolean,
  size: number,
) {
  doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(size);
  const padding = 4;
  const height =
    Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: (widths[i] as number) - 2 * padding }))) +
    2 * padding;
  return {
    height,
    draw: (y: number) => {
      let x = MARGIN;
      doc.fillColor(TEXT);
      cells.forEach((cell, i) => {
        const width = widths[i] as number;
        doc.text(cell, x + padding, y + padding, {
          width: width - 2 * padding,
          align: numeric.includes(i) ? 'right' : 'left',
        });
        x += width;
      });
      doc
        .moveTo(MARGIN, y + height)
        .lineTo(MARGIN + CONTENT_WIDTH, y + height)
        .lineWidth(bold ? 1 : 0.5)
        .strokeColor(bold ? SECONDARY : RULE)
        .stroke();
    },
  };
}

/** A table with its caption; the heading row is repeated at the top of each page it runs onto. */
function table(doc: Doc, t: DocTable): void {
  const widths = columnWidths(t.head.length);
  const size = t.head.length > 4 ? 8 : 9.5;
  doc.font('Helvetica-Bold').fontSize(10.5);
  const captionHeight = doc.heightOfString(t.caption, { width: CONTENT_WIDTH }) + 4;
  const head = tableRow(doc, t.head, widths, t.numeric, true, size);
  const first = t.rows[0] ? tableRow(doc, t.rows[0], widths, t.numeric, false, size) : null;
  ensureRoom(doc, captionHeight + head.height + (first?.height ?? 0));
  doc.font('Helvetica-Bold').fontSize(10.5).fillColor(TEXT);
  doc.text(t.caption, MARGIN, doc.y, { width: CONTENT_WIDTH });
  doc.moveDown(0.2);
  let y = doc.y;
  const drawHead = () => {
    const h = tableRow(doc, t.head, widths, t.numeric, true, size);
    h.draw(y);
    y += h.height;
  };
  drawHead();
  for (const cells of t.rows) {
    const row = tableRow(doc, cells, widths, t.numeric, false, size);
    if (y + row.height > BOTTOM) {
      doc.addPage();
      y = doc.y;
      drawHead();
    }
    row.draw(y);
    y += row.height;
  }
  doc.x = MARGIN;
  doc.y = y + 10;
}

/**
 * Points per unit of a narrow chart (charts.ts): its 16-unit text prints at about 11pt, as a
 * wide chart's 14-unit text does across the whole column.
 */
const NARROW_CHART_SCALE = 0.7;

function chart(doc: Doc, c: DocChart): void {
  // A narrow chart's larger text would print too big across the whole column: it keeps its scale.
  const width = c.image.narrow ? c.image.width * NARROW_CHART_SCALE : CONTENT_WIDTH;
  const scale = width / c.image.width;
  const height = c.image.height * scale;
  ensureRoom(doc, height + 30);
  doc.font('Helvetica-Bold').fontSize(10.5).fillColor(TEXT);
  doc.text(c.title, MARGIN, doc.y, { width: CONTENT_WIDTH });
  doc.moveDown(0.3);
  const top = doc.y;
  SVGtoPDF(doc, c.image.svg, MARGIN, top, {
    width,
    height,
    assumePt: true,
    fontCallback: (_family: string, bold: boolean) => (bold ? 'Helvetica-Bold' : 'Helvetica'),
  });
  doc.x = MARGIN;
  doc.y = top + height + 6;
  if (c.note) {
    doc.font('Helvetica-Oblique').fontSize(9).fillColor(SECONDARY);
    doc.text(c.note, MARGIN, doc.y, { width: CONTENT_WIDTH });
    doc.moveDown(0.4);
  }
  table(doc, c.table);
}

function block(doc: Doc, b: DocBlock): void {
  switch (b.kind) {
    case 'paragraph':
      paragraph(doc, b.text);
      break;
    case 'subheading':
      heading(doc, b.text, 12);
      break;
    case 'table':
      table(doc, b.table);
      break;
    case 'chart':
      chart(doc, b.chart);
      break;
  }
}

/** The footnote and "Page n of m" on every page, drawn once the page count is known. */
function footers(doc: Doc, footnote: string): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Drawing inside the bottom margin must not start a new page.
    const margin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font('Helvetica').fontSize(8.5).fillColor(SECONDARY);
    doc.text(footnote, MARGIN, A4.height - MARGIN - FOOT + 12, { width: CONTENT_WIDTH - 70 });
    doc.text(`Page ${i + 1} of ${range.count}`, MARGIN + CONTENT_WIDTH - 70, A4.height - MARGIN - FOOT + 12, {
      width: 70,
      align: 'right',
    });
    doc.page.margins.bottom = margin;
  }
}

/** The board report as a PDF file. */
export function boardPdf(document: BoardDocument): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    info: {
      Title: `${document.title}: ${document.scopeName}, ${document.periodText}`,
      Subject: 'Occupational health and wellbeing board report',
      Creator: 'OHWB',
    },
    lang: 'en-GB',
    displayTitle: true,
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  doc.font('Helvetica-Bold').fontSize(20).fillColor(BLUE);
  doc.text(document.title, MARGIN, MARGIN, { width: CONTENT_WIDTH });
  doc.moveDown(0.3).font('Helvetica-Bold').fontSize(14).fillColor(TEXT);
  doc.text(document.scopeName, { width: CONTENT_WIDTH });
  doc.font('Helvetica').fontSize(10.5);
  doc.text(`${document.periodText}, compared with ${document.previousPeriodText}`, { width: CONTENT_WIDTH });
  doc.fillColor(SECONDARY).text(document.generatedText, { width: CONTENT_WIDTH });

  heading(doc, 'What changed', 15);
  for (const sentence of document.summary) paragraph(doc, sentence);
  for (const section of document.sections) {
    heading(doc, section.heading, 15);
    for (const b of section.blocks) block(doc, b);
  }
  footers(doc, document.footnote);
  doc.end();
  return done;
}
