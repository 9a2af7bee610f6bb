import { afterEach, describe, expect, it } from 'vitest';
import type { Case } from '../../../shared/domain/cases';
import type { CaseDetail, Workload } from '../../../shared/api/cases';
import { STORE_KINDS } from '../../support/stores';
import { startTestApp, type TestApp, type TestUser } from '../../support/testApp';
import { cadIncident, integrationKey, post } from '../incidents/incidentFixtures';
import { auditOf, configureCases, openCase } from './caseFixtures';
import { logPull, radioPull, WEDNESDAY_10AM } from '../pulls/pullFixtures';

let t: TestApp | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

const NO_SUCH_ID = '7f0c2a8e-58c4-4c3e-9d7e-0d7b1c6f2a11';

describe.each(STORE_KINDS)('cases on %s', (kind) => {
  it('lieutenants open, assign and close; the analysts assigned work; supervisors read; officers see nothing', async () => {
    t = await startTestApp(kind);
    await configureCases(t);
    const lt = await t.user('lieutenant');
    const mine = await t.user('analyst');
    const other = await t.user('analyst');
    const supervisor = await t.user('supervisor');
    const officer = await t.user('officer');
    const c = await openCase(t, lt, {
      analystIds: [mine.id],
      leadInvestigator: 'Det. R. Ruiz #4411',
      dueDate: '2026-12-15',
      priority: 'high',
    });
    const url = `/v1/cases/${c.number}`;
    const refusal = async (
      u: TestUser,
      method: 'POST' | 'PUT' | 'PATCH',
      path: string,
      body: object,
    ) => {
      const res = await t!.as(u, method, path, body);
      return `${res.statusCode} ${res.json().message}`;
    };

    // An analyst neither opens nor assigns, and does not change what a lieutenant decides.
    expect(await refusal(mine, 'POST', '/v1/cases', { title: 'x', type: 'other' })).toMatch(/^403/);
    expect(await refusal(mine, 'PUT', `${url}/analysts`, { analystIds: [mine.id] })).toMatch(
      /^403/,
    );
    expect(await refusal(mine, 'PATCH', url, { priority: 'low' })).toMatch(/^403/);
    expect(await refusal(mine, 'POST', `${url}/reassign`, { from: mine.id, to: other.id })).toMatch(
      /^403/,
    );

    // An analyst not assigned reads it but does not work it.
    const notYours = `403 Case ${c.number} is not assigned to you: ask a lieutenant to assign it.`;
    expect(await refusal(other, 'POST', `${url}/notes`, { text: 'Seen on cam 4' })).toBe(notYours);
    expect(await refusal(other, 'POST', `${url}/status`, { status: 'active' })).toBe(notYours);
    expect(await refusal(other, 'POST', `${url}/links`, { kind: 'tip', ref: NO_SUCH_ID })).toBe(
      notYours,
    );
    expect((await t.as(other, 'GET', url)).statusCode).toBe(200);

    // The analyst assigned works it, but closing is a lieutenant's.
    const note = await t.as(mine, 'POST', `${url}/notes`, {
      text: 'Grey sedan on cam 14 at 02:10',
    });
    expect(note.statusCode, note.body).toBe(201);
    expect(note.json()).toMatchObject({
      authorName: mine.username,
      text: 'Grey sedan on cam 14 at 02:10',
    });
    const active = await t.as(mine, 'POST', `${url}/status`, { status: 'active' });
    expect(active.json().status).toBe('active');
    expect(await refusal(mine, 'POST', `${url}/status`, { status: 'closed' })).toBe(
      '403 Only a lieutenant closes a case.',
    );

    // The supervisor reads only.
    expect((await t.as(supervisor, 'GET', '/v1/cases?scope=all')).json().cases).toHaveLength(1);
    expect((await t.as(supervisor, 'GET', url)).statusCode).toBe(200);
    expect(await refusal(supervisor, 'POST', `${url}/notes`, { text: 'x' })).toMatch(/^403/);
    expect(await refusal(supervisor, 'POST', `${url}/status`, { status: 'active' })).toMatch(
      /^403/,
    );

    // The officer sees nothing of it.
    expect((await t.as(officer, 'GET', '/v1/cases?scope=all')).statusCode).toBe(403);
    expect((await t.as(officer, 'GET', url)).statusCode).toBe(403);

    // A lieutenant works any case, and closes it.
    expect((await t.as(lt, 'POST', `${url}/notes`, { text: 'Briefed Det. Ruiz' })).statusCode).toBe(
      201,
    );
    const closed = await t.as(lt, 'PATCH', url, { status: 'closed' });
    expect(closed.json()).toMatchObject({ status: 'closed', closedAt: expect.any(String) });
    expect(await refusal(mine, 'POST', `${url}/status`, { status: 'active' })).toBe(
      '403 Only a lieutenant opens a closed case again.',
    );

    const detail = (await t.as(supervisor, 'GET', url)).json() as CaseDetail;
    expect(detail).toMatchObject({
      number: c.number,
      leadInvestigator: 'Det. R. Ruiz #4411',
      dueDate: '2026-12-15',
      priority: 'high',
      analysts: [{ id: mine.id, name: mine.displayName }],
    });
    expect(detail.notes.map((n) => [n.authorName, n.text])).toEqual([
      [mine.username, 'Grey sedan on cam 14 at 02:10'],
      [lt.username, 'Briefed Det. Ruiz'],
    ]);
  });

  it("lists the asker's own cases by default, and all with the asker's own first", async () => {
    t = await startTestApp(kind);
    await configureCases(t);
    const lt = await t.user('lieutenant');
    const a = await t.user('analyst');
    const b = await t.user('analyst');
    const first = await openCase(t, lt, {
      title: 'Not mine',
      priority: 'high',
      analystIds: [b.id],
    });
    const second = await openCase(t, lt, { title: 'Mine', priority: 'low', analystIds: [a.id] });
    const third = await openCase(t, lt, { title: 'Closed', analystIds: [a.id] });
    await t.as(lt, 'PATCH', `/v1/cases/${third.number}`, { status: 'closed' });
    const list = async (query: string) =>
      ((await t!.as(a, 'GET', `/v1/cases${query}`)).json().cases as Case[]).map((c) => c.number);
    expect(await list('')).toEqual([second.number]);
    expect(await list('?scope=all')).toEqual([second.number, first.number]);
    expect(await list('?scope=all&status=closed')).toEqual([third.number]);
    expect(await list('?status=closed')).toEqual([third.number]);
    expect((await t.as(a, 'GET', '/v1/cases?status=done')).statusCode).toBe(400);
  });

  it('audits every change with what was before and after', async () => {
    t = await startTestApp(kind);
    await configureCases(t);
    const lt = await t.user('lieutenant');
    const a = await t.user('analyst');
    const b = await t.user('analyst');
    const c = await openCase(t, lt, { analystIds: [a.id], dueDate: '2026-12-01' });
    const url = `/v1/cases/${c.number}`;
    await t.as(lt, 'PATCH', url, {
      dueDate: '2026-12-20',
      priority: 'high',
      title: 'Burglary series',
    });
    await t.as(lt, 'PATCH', url, { priority: 'high' });
    await t.as(lt, 'PUT', `${url}/analysts`, { analystIds: [a.id, b.id] });
    await t.as(lt, 'POST', `${url}/reassign`, { from: a.id, to: b.id });
    const note = (await t.as(b, 'POST', `${url}/notes`, { text: 'Canvass done' })).json();

    const [created] = await auditOf(t, 'case.create');
    expect(created).toMatchObject({
      actor_name: lt.username,
      target_id: c.number,
      details: { after: { dueDate: '2026-12-01', analysts: [a.id], status: 'open' } },
    });
    const updates = await auditOf(t, 'case.update');
    expect(updates.map((u) => u.details)).toEqual([
      {
        before: { title: 'Burglary series, Ardmore', priority: 'normal', dueDate: '2026-12-01' },
        after: { title: 'Burglary series', priority: 'high', dueDate: '2026-12-20' },
      },
      // Nothing changed: the request is on record, with nothing before or after.
      { before: {}, after: {} },
    ]);
    const assigns = await auditOf(t, 'case.assign');
    expect(assigns.map((u) => u.details)).toEqual([
      { before: [a.id], after: [a.id, b.id], added: [b.id], removed: [] },
      { before: [a.id, b.id], after: [b.id], added: [], removed: [a.id] },
    ]);
    expect(await auditOf(t, 'case.note')).toMatchObject([
      { actor_name: b.username, target_id: c.number, details: { noteId: note.id } },
    ]);
    const detail = (await t.as(b, 'GET', url)).json() as CaseDetail;
    expect(detail.analysts.map((p) => p.id)).toEqual([b.id]);
  });

  it('links incidents (by id) that exist, once, and refuses an id nothing has', async () => {
    t = await startTestApp(kind);
    await configureCases(t);
    const cad = await integrationKey(t, 'cad');
    const acked = await post(
      t,
      'POST',
      '/v1/ingest/cad/incidents',
      cad.key,
      cadIncident('26-0042'),
    );
    const incidentId: string = acked.json().incidents[0].id;
    const lt = await t.user('lieutenant');
    const a = await t.user('analyst');
    const c = await openCase(t, lt, { analystIds: [a.id] });
    const url = `/v1/cases/${c.number}/links`;

    const linked = await t.as(a, 'POST', url, { kind: 'incident', ref: incidentId });
    expect(linked.statusCode, linked.body).toBe(200);
    expect(linked.json()).toMatchObject({
      kind: 'incident',
      ref: incidentId,
      label: '26-0042 · Shots fired',
      linkedBy: a.username,
    });
    expect((await t.as(a, 'POST', url, { kind: 'incident', ref: incidentId })).statusCode).toBe(
      200,
    );
    const missing = await t.as(a, 'POST', url, { kind: 'tip', ref: NO_SUCH_ID });
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({
      message: 'Invalid body: ref: there is no tip with this id',
      issues: [{ path: 'body.ref', message: 'there is no tip with this id' }],
    });
    const asIncident = await t.as(a, 'POST', url, { kind: 'alert', ref: incidentId });
    expect(asIncident.statusCode).toBe(400);

    // An incident that names the case from its own page is listed too, once.
    const second = await post(
      t,
      'POST',
      '/v1/ingest/cad/incidents',
      cad.key,
      cadIncident('26-0043'),
    );
    const secondId: string = second.json().incidents[0].id;
    for (const id of [secondId, incidentId]) {
      const named = await t.as(a, 'POST', `/v1/incidents/${id}/links`, {
        kind: 'case',
        ref: c.number.toLowerCase(),
      });
      expect(named.statusCode, named.body).toBe(200);
    }

    const detail = (await t.as(a, 'GET', `/v1/cases/${c.number}`)).json() as CaseDetail;
    expect(detail.links.map((l) => [l.kind, l.ref, l.linkedBy])).toEqual([
      ['incident', incidentId, a.username],
      ['incident', secondId, 'from the incident'],
    ]);
    expect((await auditOf(t, 'case.link')).map((r) => r.details)).toEqual([
      { kind: 'incident', ref: incidentId, created: true },
      { kind: 'incident', ref: incidentId, created: false },
    ]);
    // A case number typed in another case is found all the same.
    expect((await t.as(a, 'GET', `/v1/cases/${c.number.toLowerCase()}`)).statusCode).toBe(200);
    expect((await t.as(a, 'GET', '/v1/cases/1999-000001')).statusCode).toBe(404);
  });

  it('tells the analysts newly assigned, and only them; everyone who reads cases hears of the case', async () => {
    t = await startTestApp(kind);
    await configureCases(t);
    const lt = await t.user('lieutenant');
    const a = await t.user('analyst');
    const b = await t.user('analyst');
    const supervisor = await t.user('supervisor');
    const officer = await t.user('officer');
    const c = await openCase(t, lt, { analystIds: [a.id] });
    await t.as(lt, 'POST', `/v1/cases/${c.number}/reassign`, { from: a.id, to: b.id });
    const seen = async (u: TestUser) =>
      (
        (await t!.as(u, 'GET', '/v1/events?after=0')).json().events as {
          type: string;
          payload: { userIds?: string[] };
        }[]
      )
        .filter((e) => e.type.startsWith('case.'))
        .map((e) =>
          e.type === 'case.assigned' ? `assigned:${e.payload.userIds!.join()}` : e.type,
        );
    expect(await seen(a)).toEqual(['case.opened', `assigned:${a.id}`, 'case.updated']);
    expect(await seen(b)).toEqual(['case.opened', 'case.updated', `assigned:${b.id}`]);
    expect(await seen(supervisor)).toEqual(['case.opened', 'case.updated']);
    expect(await seen(officer)).toEqual([]);
  });

  it('shows lieutenants each analyst’s open cases, the overdue ones, and what nobody has', async () => {
    t = await startTestApp(kind);
    await configureCases(t);
    // 20:00 on 10 December in New York is already the 11th in UTC: the agency's day counts.
    t.clock.set(Date.parse('2026-12-10T20:00:00-05:00'));
    const lt = await t.user('lieutenant');
    const a = await t.user('analyst', 'avery');
    const b = await t.user('analyst', 'blake');
    const late = await openCase(t, lt, {
      title: 'Late',
      analystIds: [a.id],
      dueDate: '2026-12-09',
    });
    const today = await openCase(t, lt, {
      title: 'Due today',
      analystIds: [a.id],
      dueDate: '2026-12-10',
    });
    const closed = await openCase(t, lt, {
      title: 'Done',
      analystIds: [a.id],
      dueDate: '2026-12-01',
    });
    await t.as(lt, 'PATCH', `/v1/cases/${closed.number}`, { status: 'closed' });
    const nobody = await openCase(t, lt, { title: 'Nobody' });

    const read = async () => (await t!.as(lt, 'GET', '/v1/cases/workload')).json() as Workload;
    const row = (w: Workload, id: string) => w.rows.find((r) => r.user.id === id)!;
    let w = await read();
    expect(row(w, a.id)).toMatchObject({ openCases: 2, overdueCases: 1 });
    expect(row(w, a.id).items.map((i) => [i.kind, i.number, i.overdue])).toEqual([
      ['case', late.number, true],
      ['case', today.number, false],
    ]);
    expect(row(w, b.id)).toMatchObject({ openCases: 0, overdueCases: 0, items: [] });
    expect(row(w, lt.id).user.role).toBe('lieutenant');
    expect(w.unassigned.map((i) => i.number)).toEqual([nobody.number]);

    const moved = await t.as(lt, 'POST', `/v1/cases/${late.number}/reassign`, {
      from: a.id,
      to: b.id,
    });
    expect(moved.statusCode, moved.body).toBe(200);
    w = await read();
    expect(row(w, a.id)).toMatchObject({ openCases: 1, overdueCases: 0 });
    expect(row(w, b.id)).toMatchObject({ openCases: 1, overdueCases: 1 });

    const stale = await t.as(lt, 'POST', `/v1/cases/${late.number}/reassign`, {
      from: a.id,
      to: b.id,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().message).toBe(
      `Case ${late.number} is not assigned to that analyst any more.`,
    );
    expect((await t.as(a, 'GET', '/v1/cases/workload')).statusCode).toBe(403);
  });

  it("counts each analyst's open pulls in the workload, and lists a case's pulls on its page", async () => {
    t = await startTestApp(kind);
    await configureCases(t);
    t.clock.set(WEDNESDAY_10AM);
    const lt = await t.user('lieutenant');
    const a = await t.user('analyst', 'avery');
    const b = await t.user('analyst', 'blake');
    const opened = await openCase(t, lt, { title: 'Robbery', analystIds: [a.id] });
    await logPull(t, a, radioPull({ caseNumber: opened.number, urgency: 'urgent' }));
    await logPull(t, a, radioPull({ caseNumber: opened.number.toLowerCase() }));
    const elsewhere = await logPull(t, b, radioPull({ caseNumber: '2026-999999' }));
    const fulfilled = await t.as(b, 'POST', `/v1/pulls/${elsewhere.pull.id}/fulfil`, {
      note: 'Footage from the doorbell',
    });
    expect(fulfilled.statusCode, fulfilled.body).toBe(200);

    const w = (await t.as(lt, 'GET', '/v1/cases/workload')).json() as Workload;
    const row = (id: string) => w.rows.find((r) => r.user.id === id)!;
    expect(row(a.id)).toMatchObject({ openCases: 1, openPulls: 2, urgentPulls: 1 });
    // A fulfilled pull is no longer open work.
    expect(row(b.id)).toMatchObject({ openCases: 0, openPulls: 0, urgentPulls: 0 });

    const page = (await t.as(a, 'GET', `/v1/cases/${opened.number}`)).json() as CaseDetail;
    expect(page.pulls.map((p) => p.urgency).sort()).toEqual(['priority', 'urgent']);
    expect(page.pulls.every((p) => p.caseNumber?.toUpperCase() === opened.number)).toBe(true);
    expect(page.products).toEqual([]);
  });
});
