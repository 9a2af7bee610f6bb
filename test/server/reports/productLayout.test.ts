import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  printable,
  renderProduct,
  type ProductDocument,
} from '../../../server/reports/productLayout';
import { TINY_PNG } from './images';

const dir = mkdtempSync(join(tmpdir(), 'wf-product-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function textOf(doc: ProductDocument, name: string) {
  const { pdf, pages } = await renderProduct(doc);
  const path = join(dir, `${name}.pdf`);
  writeFileSync(path, pdf);
  const info = execFileSync('pdfinfo', [path], { encoding: 'utf8' });
  const pageTexts = Array.from({ length: pages }, (_, i) =>
    execFileSync('pdftotext', ['-f', String(i + 1), '-l', String(i + 1), '-layout', path, '-'], {
      encoding: 'utf8',
    }),
  );
  return { pages, info, pageTexts, path };
}

const BASE: ProductDocument = {
  agency: {
    name: 'Winston-Salem Police Department',
    logo: `data:image/png;base64,${TINY_PNG}`,
    classification: 'LAW ENFORCEMENT SENSITIVE // FOR OFFICIAL USE',
  },
  title: 'Assist Report',
  number: 'AR-2026-0007',
  author: 'analyst-kim',
  approver: 'lt-ortiz',
  date: '2026-11-29 21:04',
  blocks: [],
};

describe('the product layout', () => {
  it('puts the agency, the handling line top and bottom, number, author, approver, date and page numbers on every page', async () => {
    const blocks = [
      { kind: 'heading' as const, text: 'Timeline' },
      {
        kind: 'list' as const,
        items: Array.from(
          { length: 120 },
          (_, i) => `21:${String(i % 60).padStart(2, '0')} line ${i + 1}`,
        ),
      },
      { kind: 'image' as const, data: Buffer.from(TINY_PNG, 'base64'), caption: 'Still 1' },
    ];
    const { pages, info, pageTexts, path } = await textOf({ ...BASE, blocks }, 'long');
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(info).toMatch(new RegExp(`Pages:\\s+${pages}\\b`));
    pageTexts.forEach((text, i) => {
      expect(
        text.match(/LAW ENFORCEMENT SENSITIVE \/\/ FOR OFFICIAL USE/g),
        `page ${i + 1}`,
      ).toHaveLength(2);
      expect(text).toContain(`Page ${i + 1} of ${pages}`);
      expect(text).toContain('AR-2026-0007');
    });
    const first = pageTexts[0]!;
    for (const s of [
      'Winston-Salem Police Department',
      'Assist Report',
      'analyst-kim',
      'lt-ortiz',
      '2026-11-29 21:04',
    ]) {
      expect(first).toContain(s);
    }
    expect(pageTexts.join('')).toContain('line 120');
    expect(pageTexts.at(-1)).toContain('Still 1');
    execFileSync('pdftoppm', ['-png', '-r', '30', '-f', '1', '-l', '1', path, join(dir, 'long')]);
    expect(readdirSync(dir).some((f) => f.startsWith('long') && f.endsWith('.png'))).toBe(true);
  });

  it('prints what the standard fonts cannot show as "?", and survives a logo it cannot read', async () => {
    expect(printable('café 🦄 \u0000ok – “q”')).toBe('café ? ?ok – “q”');
    const { pageTexts } = await textOf(
      {
        ...BASE,
        agency: { ...BASE.agency, logo: 'data:image/png;base64,AAAA' },
        approver: null,
        blocks: [{ kind: 'paragraph', text: 'Suspect wore a 🦄 shirt' }],
      },
      'odd',
    );
    expect(pageTexts[0]).toContain('Suspect wore a ? shirt');
    expect(pageTexts[0]).toContain('Not approved');
  });
});
