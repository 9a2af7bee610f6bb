import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../../support/stores';
import { startTestApp, type TestApp, type TestUser } from '../../support/testApp';
import type { Camera } from '../../../shared/domain/cameras';
import type { PullCandidate, PullDetail } from '../../../shared/domain/pulls';
import { openPullsPerAnalyst } from '../../../server/pulls/pullRepository';
import {
  auditRows,
  countRows,
  eventsOfType,
  OWNER,
  useNewYorkTime,
} from '../cameras/cameraFixtures';
import { logPull, radioPull, sceneCameras, WEDNESDAY_10AM } from './pullFixtures';

const byName = (d: PullDetail) => new Map(d.candidates.map((c) => [c.name, c]));

describe.each(STORE_KINDS)('camera pulls on %s', (kind) => {
  let t: TestApp;
  let admin: TestUser;
  let analyst: TestUser;
  let analyst2: TestUser;
  let lieutenant: TestUser;
  let supervisor: TestUser;
  let officer: TestUser;
  let officer2: TestUser;
  let cams: Record<string, Camera>;

  beforeAll(async () => {
    t = await startTestApp(kind);
    t.clock.set(WEDNESDAY_10AM);
    await useNewYorkTime(t);
    admin = await t.user('admin');
    analyst = await t.user('analyst');
    analyst2 = await t.user('analyst');
    lieutenant = await t.user('lieutenant');
    supervisor = await t.user('supervisor');
    officer = await t.user('officer');
    officer2 = await t.user('officer');
    cams = await sceneCameras(t, admin);
  }, 120_000);
  afterAll(() => t.close());

  it('lists the cameras within the radius, judged for the window, by what can be done then distance', async () => {
    const detail = await logPull(t, analyst, radioPull());
    expect(detail.pull).toMatchObject({
      status: 'open',
      urgency: 'priority',
      radiusM: 300,
      caseNumber: '2026-004512',
      assignedTo: { id: analyst.id },
      loggedBy: { id: analyst.id },
      requestedAt: new Date(WEDNESDAY_10AM).toISOString(),
    });
    expect(detail.pull.number).toMatch(/^PULL-\d{6}$/);
    expect(detail.candidates.map((c) => [c.name, c.action, c.rank])).toEqual([
      ['Shared lot', 'fetch_now', 1],
      ['Weekday mornings', 'fetch_now', 2],
      ['Traffic cam', 'agency', 3],
      ['Live only', 'contact_owner', 4],
      ['Doorbell', 'contact_owner', 5],
      ['Edge inside', 'contact_owner', 6],
    ]);
    const c = byName(detail);
    expect(c.get('Shared lot')!.distanceM).toBeCloseTo(100, 0);
    expect(c.get('Edge inside')!.distanceM).toBeLessThanOrEqual(300);
    expect(c.get('Live only')!.actionNote).toContain('Owner does not share recordings');
    expect(c.get('Doorbell')!.actionNote).toBe('Owner keeps recordings 14 days.');
    expect(detail.candidates.every((x) => x.outcome === 'not_contacted' && x.inRadius)).toBe(true);
    expect(detail.pull.counts).toMatchObject({ total: 6, fetchNow: 2, agency: 1, contactOwner: 3 });

    const [audit] = await auditRows(t, 'pull.create');
    expect(audit).toMatchObject({
      actor_id: analyst.id,
      target_id: detail.pull.id,
      details: {
        caseNumber: '2026-004512',
        incidentId: null,
        requestedAt: detail.pull.requestedAt,
        candidates: 6,
      },
    });
    expect((await eventsOfType(t, 'pull.logged')).length).toBe(1);
  });

  it('an integrated camera whose recordings are not shared for the window is not fetchable now', async () => {
    // 06:00 to 06:30 local: before the owner's 08:00-12:00 weekday window.
    const early = await logPull(
      t,
      analyst,
      radioPull({
        windowStart: new Date(WEDNESDAY_10AM - 4 * 3_600_000).toISOString(),
        windowEnd: new Date(WEDNESDAY_10AM - 3.5 * 3_600_000).toISOString(),
      }),
    );
    const mornings = byName(early).get('Weekday mornings')!;
    expect(mornings.action).toBe('contact_owner');
    expect(mornings.actionNote).toContain('not shared');
    // 07:30 to 08:30: half the window is shared; footage of that half can be fetched.
    const straddling = await logPull(
      t,
      analyst,
      radioPull({
        windowStart: new Date(WEDNESDAY_10AM - 2.5 * 3_600_000).toISOString(),
        windowEnd: new Date(WEDNESDAY_10AM - 1.5 * 3_600_000).toISOString(),
      }),
    );
    const part = byName(straddling).get('Weekday mornings')!;
    expect(part.action).toBe('fetch_now');
    expect(part.actionNote).toContain('08:00–08:30');
  });

  it('keeps each outcome with who and when, and the first one puts the pull in progress', async () => {
    const { pull, candidates } = await logPull(t, analyst, radioPull());
    const doorbell = candidates.find((c) => c.name === 'Doorbell')!;
    const url = `/v1/pulls/${pull.id}/candidates/${doorbell.cameraId}/outcome`;
    const first = await t.as(analyst, 'POST', url, {
      outcome: 'contacted',
      note: 'Left a voicemail',
    });
    expect(first.statusCode, first.body).toBe(200);
    t.clock.advance(2 * 60_000);
    const second = await t.as(lieutenant, 'POST', url, { outcome: 'footage_obtained' });
    expect(second.statusCode, second.body).toBe(200);
    const candidate = second.json() as PullCandidate;
    expect(candidate.outcome).toBe('footage_obtained');
    expect(candidate.outcomeBy).toBe(lieutenant.username);
    expect(candidate.history.map((h) => [h.outcome, h.byId, h.note])).toEqual([
      ['contacted', analyst.id, 'Left a voicemail'],
      ['footage_obtained', lieutenant.id, null],
    ]);
    expect(Date.parse(candidate.history[1]!.at) - Date.parse(candidate.history[0]!.at)).toBe(
      2 * 60_000,
    );
    const read = (await t.as(supervisor, 'GET', `/v1/pulls/${pull.id}`)).json() as PullDetail;
    expect(read.pull.status).toBe('in_progress');
    expect(read.pull.counts.footageObtained).toBe(1);
    const audits = (await auditRows(t, 'pull.candidate.outcome')).filter(
      (a) => a.target_id === pull.id,
    );
    expect(audits.map((a) => [a.details.from, a.details.to])).toEqual([
      ['not_contacted', 'contacted'],
      ['contacted', 'footage_obtained'],
    ]);
    expect(audits[0]!.details).toMatchObject({
      caseNumber: pull.caseNumber,
      incidentId: null,
      requestedAt: pull.requestedAt,
    });
    const stranger = await t.as(
      analyst,
      'POST',
      `/v1/pulls/${pull.id}/candidates/${cams.edgeOut!.id}/outcome`,
      {
        outcome: 'contacted',
      },
    );
    expect(stranger.statusCode).toBe(404);
  });

  it('a wider radius adds cameras; narrowing it again drops the untouched, keeps the worked', async () => {
    const { pull, candidates } = await logPull(t, analyst, radioPull());
    const edge = candidates.find((c) => c.name === 'Edge inside')!;
    await t.as(analyst, 'POST', `/v1/pulls/${pull.id}/candidates/${edge.cameraId}/outcome`, {
      outcome: 'declined',
    });
    const wider = await t.as(analyst, 'PATCH', `/v1/pulls/${pull.id}`, { radiusM: 400 });
    expect(wider.statusCode, wider.body).toBe(200);
    expect(byName(wider.json()).has('Edge outside')).toBe(true);
    const narrower = await t.as(analyst, 'PATCH', `/v1/pulls/${pull.id}`, { radiusM: 280 });
    expect(narrower.statusCode, narrower.body).toBe(200);
    const after = byName(narrower.json());
    expect(after.has('Edge outside')).toBe(false);
    expect(after.get('Edge inside')).toMatchObject({ inRadius: false, outcome: 'declined' });
    expect(after.get('Edge inside')!.history).toHaveLength(1);
    const audits = (await auditRows(t, 'pull.update')).filter((a) => a.target_id === pull.id);
    expect(audits.map((a) => a.details.changed)).toEqual([
      ['radiusM', 'candidates'],
      ['radiusM', 'candidates'],
    ]);
  });

  it('fulfils and closes once, audited by name, and opens again on request', async () => {
    const a = (await logPull(t, analyst, radioPull())).pull;
    const b = (await logPull(t, analyst, radioPull())).pull;
    const done = await t.as(analyst, 'POST', `/v1/pulls/${a.id}/fulfil`, { note: 'Two clips' });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ status: 'fulfilled', closingNote: 'Two clips' });
    expect((await t.as(analyst, 'POST', `/v1/pulls/${a.id}/fulfil`, {})).statusCode).toBe(409);
    expect(
      (await t.as(analyst, 'PATCH', `/v1/pulls/${a.id}`, { urgency: 'urgent' })).statusCode,
    ).toBe(409);
    const noReason = await t.as(analyst, 'POST', `/v1/pulls/${b.id}/close`, { note: '' });
    expect(noReason.statusCode).toBe(400);
    const closed = await t.as(analyst, 'POST', `/v1/pulls/${b.id}/close`, {
      note: 'Officer cancelled the request',
    });
    expect(closed.json()).toMatchObject({ status: 'closed_unfulfilled' });
    const reopened = await t.as(analyst, 'PATCH', `/v1/pulls/${b.id}`, { status: 'open' });
    expect(reopened.json().pull).toMatchObject({
      status: 'open',
      closedAt: null,
      closingNote: null,
    });
    expect((await auditRows(t, 'pull.fulfil')).map((r) => r.target_id)).toEqual([a.id]);
    const [close] = await auditRows(t, 'pull.close');
    expect(close).toMatchObject({
      target_id: b.id,
      details: { caseNumber: b.caseNumber, incidentId: null, requestedAt: b.requestedAt },
    });
  });

  it('officers read only the pulls they asked for; supervisors read; analysts work', async () => {
    const mine = await logPull(
      t,
      analyst,
      radioPull({ requester: { userId: officer.id, unit: '2B12' }, assignedTo: analyst2.id }),
    );
    expect(mine.pull.requester).toMatchObject({ userId: officer.id, name: null });
    expect(mine.pull.assignedTo.id).toBe(analyst2.id);

    const own = await t.as(officer, 'GET', '/v1/pulls/mine');
    expect(own.statusCode).toBe(200);
    expect(own.json().pulls.map((p: { id: string }) => p.id)).toEqual([mine.pull.id]);
    expect((await t.as(officer, 'GET', `/v1/pulls/mine/${mine.pull.id}`)).statusCode).toBe(200);
    expect((await t.as(officer2, 'GET', '/v1/pulls/mine')).json().pulls).toEqual([]);
    expect((await t.as(officer2, 'GET', `/v1/pulls/mine/${mine.pull.id}`)).statusCode).toBe(404);
    expect((await t.as(officer, 'GET', '/v1/pulls')).statusCode).toBe(403);
    expect((await t.as(officer, 'GET', `/v1/pulls/${mine.pull.id}`)).statusCode).toBe(403);
    expect(
      (await t.as(officer, 'PATCH', `/v1/pulls/${mine.pull.id}`, { urgency: 'urgent' })).statusCode,
    ).toBe(403);

    expect((await t.as(supervisor, 'GET', '/v1/pulls')).statusCode).toBe(200);
    expect((await t.as(supervisor, 'GET', `/v1/pulls/${mine.pull.id}`)).statusCode).toBe(200);
    expect((await t.as(supervisor, 'POST', '/v1/pulls', radioPull())).statusCode).toBe(403);
    expect(
      (await t.as(supervisor, 'POST', `/v1/pulls/${mine.pull.id}/fulfil`, {})).statusCode,
    ).toBe(403);
    expect((await t.as(admin, 'GET', '/v1/pulls')).statusCode).toBe(403);
    expect(
      (await t.as(lieutenant, 'PATCH', `/v1/pulls/${mine.pull.id}`, { urgency: 'urgent' }))
        .statusCode,
    ).toBe(200);

    // The officer's events reach them; another officer's session hears nothing of it.
    const logged = (await eventsOfType(t, 'pull.logged')).filter(
      (e) => (e.payload as { pull: { id: string } }).pull.id === mine.pull.id,
    );
    expect(logged).toHaveLength(1);
  });

  it("reveals a candidate owner's contact with the pull as the audited reason", async () => {
    const { pull, candidates } = await logPull(t, analyst, radioPull());
    const doorbell = candidates.find((c) => c.name === 'Doorbell')!;
    const res = await t.as(
      analyst,
      'POST',
      `/v1/pulls/${pull.id}/candidates/${doorbell.cameraId}/owner-contact`,
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ cameraId: doorbell.cameraId, owner: OWNER });
    const reveals = await auditRows(t, 'camera.owner_contact.reveal');
    expect(reveals.at(-1)).toMatchObject({
      actor_id: analyst.id,
      target_id: doorbell.cameraId,
      details: {
        reason: {
          code: 'camera_pull',
          reference: '2026-004512',
          note: `Camera pull ${pull.number}`,
        },
      },
    });
    const notCandidate = await t.as(
      analyst,
      'POST',
      `/v1/pulls/${pull.id}/candidates/${cams.edgeOut!.id}/owner-contact`,
    );
    expect(notCandidate.statusCode).toBe(404);
    expect(
      (
        await t.as(
          officer,
          'POST',
          `/v1/pulls/${pull.id}/candidates/${doorbell.cameraId}/owner-contact`,
        )
      ).statusCode,
    ).toBe(403);
  });

  it('refuses a bad request naming the field, and stores nothing', async () => {
    const pulls = await countRows(t, 'pulls');
    const events = (await eventsOfType(t, 'pull.logged')).length;
    const bad: [Record<string, unknown>, string][] = [
      [{ windowEnd: new Date(WEDNESDAY_10AM + 3_600_000).toISOString() }, 'windowEnd'],
      [{ windowStart: new Date(WEDNESDAY_10AM - 30 * 3_600_000).toISOString() }, 'windowEnd'],
      [{ windowStart: new Date(WEDNESDAY_10AM - 50 * 60_000).toISOString() }, 'windowEnd'],
      [{ caseNumber: undefined }, 'caseNumber'],
      [{ caseNumber: '2026 004512' }, 'caseNumber'],
      [{ requester: {} }, 'requester'],
      [{ requester: { userId: analyst.id } }, 'requester.userId'],
      [{ assignedTo: officer.id }, 'assignedTo'],
      [{ incidentId: '7b0d3f38-3a5b-4a7d-9a8e-0c8a4a0e5f11' }, 'incidentId'],
      [{ radiusM: 5000 }, 'radiusM'],
      [{ requestedAt: new Date(WEDNESDAY_10AM + 3_600_000).toISOString() }, 'requestedAt'],
      [{ urgency: 'whenever' }, 'urgency'],
      [{ windowStart: '0000-01-01T00:00:00Z', windowEnd: '0000-01-01T01:00:00Z' }, 'windowStart'],
    ];
    for (const [over, field] of bad) {
      const res = await t.as(analyst, 'POST', '/v1/pulls', radioPull(over));
      expect(res.statusCode, `${field}: ${res.body}`).toBe(400);
      expect(res.body).toContain(field);
    }
    expect(await countRows(t, 'pulls')).toBe(pulls);
    expect((await eventsOfType(t, 'pull.logged')).length).toBe(events);
  });

  it('answers open pulls per assigned analyst for the workload view', async () => {
    const load = await openPullsPerAnalyst(t.store.store);
    const a1 = load.find((l) => l.userId === analyst.id)!;
    const a2 = load.find((l) => l.userId === analyst2.id)!;
    expect(a2).toMatchObject({ open: 1, inProgress: 0, name: analyst2.displayName });
    expect(a1.open + a1.inProgress).toBeGreaterThan(2);
    const res = await t.as(lieutenant, 'GET', '/v1/pulls/workload');
    expect(res.json().analysts).toEqual(load);
    const list = (await t.as(analyst, 'GET', '/v1/pulls?state=open')).json().pulls as {
      status: string;
    }[];
    expect(list.every((p) => p.status === 'open' || p.status === 'in_progress')).toBe(true);
  });
});
