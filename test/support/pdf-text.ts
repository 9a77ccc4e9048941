import { createRequire } from 'node:module';
import path from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

const require = createRequire(import.meta.url);
/** pdf.js reads the metrics of the PDF standard fonts (Helvetica, …) from its own folder. */
const standardFontDataUrl = `${path.join(path.dirname(require.resolve('pdfjs-dist/package.json')), 'standard_fonts')}/`;

/**
 * The text of a PDF as pdf.js reads it: per page, the strings in drawing order (each one a
 * run of text the PDF draws in one go: a table cell, a line of a paragraph, a chart label).
 */
export async function pdfText(
  data: Uint8Array | Buffer,
): Promise<{ pages: string[][]; title: string | null }> {
  const pdf = await getDocument({
    data: new Uint8Array(data),
    standardFontDataUrl,
    isEvalSupported: false,
    useSystemFonts: false,
  }).promise;
  try {
    const pages: string[][] = [];
    for (let i = 1; i <= pdf.numPages; i++) {
      const page = await pdf.getPage(i);
      const content = await page.getTextContent();
      pages.push(
        content.items.map((item) => ('str' in item ? item.str.trim() : '')).filter((text) => text.length > 0),
      );
    }
    const { info } = (await pdf.getMetadata()) as { info: { Title?: string } };
    return { pages, title: info.Title ?? null };
  } finally {
    await pdf.destroy();
  }
}
