import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runWf } from '../../support/wfCommand';

/** `npm run wf -- report shift`, run as a supervisor runs it, on an embedded database. */
const dir = mkdtempSync(join(tmpdir(), 'wf-report-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const wf = (args: string[]) => runWf(join(dir, 'data'), args);

const text = (pdf: string) =>
  execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });

describe('npm run wf -- report shift', () => {
  it('writes one shift, or every shift of the day, as a PDF; refuses what it cannot do', () => {
    const one = join(dir, 'day.pdf');
    const made = wf(['report', 'shift', '--date', '2026-11-29', '--shift', 'day', '--out', one]);
    expect(made.err).toBe('');
    expect(made).toMatchObject({ code: 0 });
    expect(made.out).toBe(`wrote ${one} (1 page)\n`);
    const page = text(one);
    expect(page).toContain('Shift Report');
    expect(page).toContain('SR-20261129-DAY');
    expect(page).toContain('Not signed off: a draft');

    const all = join(dir, 'all.pdf');
    expect(wf(['report', 'shift', '--date', '2026-11-29', '--out', all]).code).toBe(0);
    const both = text(all);
    expect(both).toContain('SR-20261129');
    expect(both).toContain('Day shift, 2026-11-29');
    expect(both).toContain('Night shift, 2026-11-29');

    const unknown = wf([
      'report',
      'shift',
      '--date',
      '2026-11-29',
      '--shift',
      'Swing',
      '--out',
      join(dir, 'x.pdf'),
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/no shift "Swing" \(its shifts: Day, Night\)/);
    const badDate = wf(['report', 'shift', '--date', '2026-13-01', '--out', join(dir, 'y.pdf')]);
    expect(badDate.code).toBe(2);
    expect(badDate.err).toMatch(/date/);
    expect(wf(['report', 'shift', '--date', '2026-11-29']).code).toBe(2);
    expect(existsSync(join(dir, 'x.pdf')) || existsSync(join(dir, 'y.pdf'))).toBe(false);
  });
});
