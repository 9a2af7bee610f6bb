import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runWf } from '../../support/wfCommand';
import { exportProblem } from '../../../server/auditReview/auditExport';
import { ExportSignatureSchema } from '../../../shared/api/auditReview';

/** `npm run wf -- audit export`, run as an operator runs it, on an embedded database. */
const dataDir = mkdtempSync(join(tmpdir(), 'wf-cli-export-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const wf = (args: string[], input = '') => runWf(dataDir, args, input);

describe('wf audit export', () => {
  it('writes the range as CSV with a signature that verifies and the chain position', () => {
    expect(wf(['migrate']).code).toBe(0);
    const from = new Date(Date.now() - 60_000).toISOString();
    expect(
      wf(['user', 'add', '--username', 'auditor1', '--role', 'auditor'], 'a fine long password\n')
        .code,
    ).toBe(0);
    const to = new Date(Date.now() + 60_000).toISOString();
    const file = join(dataDir, 'trail.csv');

    const made = wf(['audit', 'export', '--from', from, '--to', to, '--out', file]);
    expect(made.code, made.err).toBe(0);
    expect(made.out).toMatch(/^exported 1 audit entries to /);
    expect(made.out).toMatch(/chain verified up to row \d+, hash [0-9a-f]{64}/);
    const csv = readFileSync(file);
    expect(csv.toString('utf8')).toMatch(/,user\.create,success,user,/);
    const signature = ExportSignatureSchema.parse(
      JSON.parse(readFileSync(`${file}.sig.json`, 'utf8')),
    );
    expect(exportProblem(csv, signature)).toBeNull();
    // The trail the export was signed over still verifies, with the export itself in it.
    expect(wf(['audit', 'verify']).code).toBe(0);

    const missing = wf(['audit', 'export', '--from', from, '--out', file]);
    expect(missing).toMatchObject({ code: 2 });
    expect(missing.err).toMatch(/needs --from, --to and --out/);
    const backwards = wf(['audit', 'export', '--from', to, '--to', from, '--out', file]);
    expect(backwards.code).toBe(2);
    expect(backwards.err).toMatch(/the range starts after it ends/);
  }, 120_000);
});
