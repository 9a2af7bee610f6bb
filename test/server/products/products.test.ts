import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestUser } from '../../support/testApp';
import { STORE_KINDS } from '../../support/stores';
import { cadIncident, configureCity, integrationKey, post } from '../incidents/incidentFixtures';
import { recordAt, viewFor } from '../shifts/recordFixtures';
import { TINY_PNG } from '../reports/images';
import type { Product } from '../../../shared/domain/products';

const STILL = { dataUrl: `data:image/png;base64,${TINY_PNG}`, caption: 'Grey sedan, 4th & Main' };

describe.each(STORE_KINDS)('standard products on %s', (kind) => {
  let t: TestApp;
  let analyst: TestUser;
  let lieutenant: TestUser;
  let other: TestUser;
  const dir = mkdtempSync(join(tmpdir(), 'wf-products-'));

  beforeAll(async () => {
    t = await startTestApp(kind);
    t.clock.set(Date.parse('2026-11-29T21:00:00Z'));
    await configureCity(t);
    analyst = await t.user('analyst', 'analyst-kim');
    lieutenant = await t.user('lieutenant', 'lt-ortiz');
    other = await t.user('lieutenant', 'lt-baker');
    const cad = await integrationKey(t, 'cad');
    const res = await post(t, 'POST', '/v1/ingest/cad/incidents', cad.key, cadIncident('WS-2001'));
    expect(res.statusCode, res.body).toBe(200);
    await recordAt(
      t,
      '2026-11-29T19:00:40Z',
      { id: analyst.id, name: 'analyst-kim' },
      viewFor('WS-2001', { docked: true, camera: 'cam-14' }),
    );
    await recordAt(
      t,
      '2026-11-29T21:10:00Z',
      { id: analyst.id, name: 'analyst-kim' },
      {
        action: 'pull.fulfil',
        targetType: 'pull',
        targetId: 'pull-77',
        details: {
          caseNumber: '2026-000123',
          incidentId: 'WS-2001',
          requestedAt: '2026-11-29T20:00:00Z',
        },
      },
    );
  }, 120_000);
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const count = async () =>
    Number(
      (await t.store.store.query<{ n: number }>('select count(*)::int as n from products')).rows[0]!
        .n,
    );

  it('makes drafts from a case or an incident, numbered per kind and year, with stills', async () => {
    const made = await t.as(analyst, 'POST', '/v1/products', {
      kind: 'assist_report',
      title: 'Shots fired, 100 N Main St',
      caseNumber: '2026-000123',
      incidentNumber: 'WS-2001',
      text: 'Docked four cameras within 40 s; camera 14 shows a grey sedan leaving north.',
      stills: [STILL],
    });
    expect(made.statusCode, made.body).toBe(201);
    const p = made.json() as Product;
    expect(p).toMatchObject({
      number: 'AR-2026-0001',
      status: 'draft',
      authorName: 'analyst-kim',
      incidentNumber: 'WS-2001',
    });
    expect(p.stills).toEqual([
      expect.objectContaining({ caption: 'Grey sedan, 4th & Main', contentType: 'image/png' }),
    ]);
    t.clock.advance(1000);
    const bulletin = await t.as(lieutenant, 'POST', '/v1/products', {
      kind: 'bulletin',
      title: 'Attempt to identify',
      caseNumber: '2026-000123',
      text: 'Male, about 30, grey hoodie, left in a grey sedan.',
    });
    expect(bulletin.json().number).toBe('BL-2026-0001');
    t.clock.advance(1000);
    const second = await t.as(analyst, 'POST', '/v1/products', {
      kind: 'assist_report',
      title: 'Follow-up',
      caseNumber: '2026-000123',
    });
    expect(second.json().number).toBe('AR-2026-0002');
    const list = await t.as(lieutenant, 'GET', '/v1/products?caseNumber=2026-000123');
    expect(list.json().products.map((x: Product) => x.number)).toEqual([
      'AR-2026-0001',
      'BL-2026-0001',
      'AR-2026-0002',
    ]);
  });

  it('refuses what it cannot make, naming the field, storing nothing', async () => {
    const before = await count();
    const none = await t.as(analyst, 'POST', '/v1/products', {
      kind: 'bulletin',
      title: 'No anchor',
    });
    expect(none.statusCode).toBe(400);
    expect(none.json().message).toMatch(/case number, an incident number/);
    const unknown = await t.as(analyst, 'POST', '/v1/products', {
      kind: 'assist_report',
      title: 'x',
      incidentNumber: 'WS-9999',
    });
    expect(unknown.statusCode).toBe(404);
    const fake = await t.as(analyst, 'POST', '/v1/products', {
      kind: 'bulletin',
      title: 'x',
      caseNumber: '2026-000123',
      stills: [
        {
          dataUrl: `data:image/png;base64,${Buffer.from('<svg onload=alert(1)>').toString('base64')}`,
        },
      ],
    });
    expect(fake.statusCode).toBe(400);
    expect(fake.json().issues[0].path).toBe('body.stills.0.dataUrl');
    expect(await count()).toBe(before);
  });

  it('is approved by a lieutenant who did not write it; analysts cannot approve', async () => {
    const list = (await t.as(lieutenant, 'GET', '/v1/products?caseNumber=2026-000123')).json()
      .products as Product[];
    const report = list.find((x) => x.number === 'AR-2026-0001')!;
    const bulletin = list.find((x) => x.number === 'BL-2026-0001')!;
    expect((await t.as(analyst, 'POST', `/v1/products/${report.id}/approve`)).statusCode).toBe(403);
    const own = await t.as(lieutenant, 'POST', `/v1/products/${bulletin.id}/approve`);
    expect(own.statusCode).toBe(409);
    expect(own.json().message).toMatch(/another lieutenant/);
    const ok = await t.as(lieutenant, 'POST', `/v1/products/${report.id}/approve`);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'approved', approvedByName: 'lt-ortiz' });
    expect((await t.as(other, 'POST', `/v1/products/${report.id}/approve`)).statusCode).toBe(409);
    expect((await t.as(other, 'POST', `/v1/products/${bulletin.id}/approve`)).statusCode).toBe(200);
    const audited = await t.store.store.query<{ action: string; n: number }>(
      "select action, count(*)::int as n from audit_log where action like 'product.%' group by action order by action",
    );
    expect(audited.rows).toEqual([
      { action: 'product.approve', n: 2 },
      { action: 'product.create', n: 3 },
    ]);
  });

  it('prints the assist report from the record: incident, timeline, cameras, stills, sources', async () => {
    const list = (await t.as(analyst, 'GET', '/v1/products?caseNumber=2026-000123')).json()
      .products as Product[];
    const report = list.find((x) => x.number === 'AR-2026-0001')!;
    const res = await t.as(analyst, 'GET', `/v1/products/${report.id}/pdf`);
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    const file = res.json() as { filename: string; data: string; pages: number };
    expect(file.filename).toBe('AR-2026-0001.pdf');
    const path = join(dir, file.filename);
    writeFileSync(path, Buffer.from(file.data, 'base64'));
    const text = execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
    for (const s of [
      'Test City Police',
      'Assist Report',
      'AR-2026-0001',
      'lt-ortiz',
      'analyst-kim',
      '2026-000123',
      'WS-2001',
      'Shots fired (SHOTS)',
      'RP heard 3 shots',
      'cam-14: first viewed 2026-11-29 14:00',
      'Still 1: Grey sedan, 4th & Main',
      'Camera pull fulfilled (record pull-77)',
      'Footage kept with the case',
      `Page 1 of ${file.pages}`,
    ]) {
      expect(text, `${s} in ${text}`).toContain(s);
    }
    expect(text.match(/LAW ENFORCEMENT SENSITIVE/g)).toHaveLength(2 * file.pages);
    const bulletin = list.find((x) => x.number === 'BL-2026-0001')!;
    const b = (await t.as(analyst, 'GET', `/v1/products/${bulletin.id}/pdf`)).json() as {
      data: string;
    };
    writeFileSync(join(dir, 'b.pdf'), Buffer.from(b.data, 'base64'));
    const btext = execFileSync('pdftotext', [join(dir, 'b.pdf'), '-'], { encoding: 'utf8' });
    expect(btext).toContain('Attempt to identify');
    expect(btext).toContain('grey hoodie');
    expect(btext).toContain('lt-baker');
  });
});
