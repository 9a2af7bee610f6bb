import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../../support/stores';
import type { TestUser } from '../../support/testApp';
import { randomUUID } from 'node:crypto';
import { twilioSid } from '../../../server/demo/twilioDouble';
import { tipLineOf } from '../../../server/tips/tipLine';
import { TIP_LINE_NUMBER, startTipLineApp, type TipLineApp } from './support/tipLineApp';
import type { Tip } from '../../../shared/domain/tips';
import { getAgency, setAgency } from '../../../server/agency/agencyRepository';

/** The tip line from the provider's webhook to an analyst's reply (docs/tip-line.md). */
describe.each(STORE_KINDS)('the tip line on %s', (kind) => {
  let t: TipLineApp;
  let analyst: TestUser;
  let analyst2: TestUser;
  let officer: TestUser;
  let admin: TestUser;
  let n = 0;
  /** A fresh tipster per test: conversations do not leak between tests. */
  const phone = () => `+1336555${String(1000 + ++n).slice(-4)}`;

  beforeAll(async () => {
    t = await startTipLineApp(kind);
    analyst = await t.user('analyst');
    analyst2 = await t.user('analyst');
    officer = await t.user('officer');
    admin = await t.user('admin');
  });
  afterAll(() => t.close());

  const tips = async (query = '') => {
    const res = await t.as(analyst, 'GET', `/v1/tips${query}`);
    expect(res.statusCode).toBe(200);
    return res.json().tips as Tip[];
  };
  const tipBySid = async (sid: string) => {
    const rows = await t.store.store.query<{ id: string }>(
      'select id from tips where message_sid = $1',
      [sid],
    );
    return rows.rows.map((r) => r.id);
  };
  const detail = async (id: string) => (await t.as(analyst, 'GET', `/v1/tips/${id}`)).json();

  it('files a signed message, answers with the acknowledgement and the alias, and shows no number', async () => {
    const from = phone();
    const sid = twilioSid('SM');
    const res = await t.text(
      from,
      'Blue Honda parked behind 400 N Main St every night, engine running',
      {
        messageSid: sid,
      },
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/xml/);
    const [id] = await tipBySid(sid);
    const d = await detail(id!);
    expect(res.body).toContain(`<Message>`);
    expect(res.body).toContain(`tipster ${d.tip.alias}`);
    expect(d.tip).toMatchObject({
      state: 'new',
      outsideHours: false,
      body: expect.stringContaining('Blue Honda'),
    });
    expect(d.thread.alias).toMatch(/^[0-9A-Z]{4}$/);
    // The conversation holds the tip and the automatic answer.
    expect(d.entries.map((e: { kind: string }) => e.kind)).toEqual(['tip', 'reply']);
    expect(d.entries[1].reply).toMatchObject({ sentBy: null, state: 'sent' });
    const digits = from.slice(2);
    for (const body of [JSON.stringify(d), JSON.stringify(await tips()), res.body]) {
      expect(body).not.toContain(digits);
    }
    // The event carries a preview and the alias, never the number.
    const ev = await t.store.store.query<{ payload: unknown }>(
      `select payload from events where type = 'tip.received' and payload->>'tipId' = $1`,
      [id],
    );
    expect(ev.rows).toHaveLength(1);
    expect(JSON.stringify(ev.rows[0]!.payload)).not.toContain(digits);
  });

  it('is idempotent on MessageSid: a retried webhook is one tip and gets the same answer', async () => {
    const from = phone();
    const sid = twilioSid('SM');
    const first = await t.text(from, 'Same tip twice', { messageSid: sid });
    const events = await t.store.store.query(`select count(*)::int as n from events`);
    const again = await t.text(from, 'Same tip twice', { messageSid: sid });
    expect(again.statusCode).toBe(200);
    expect(again.body).toBe(first.body);
    expect(await tipBySid(sid)).toHaveLength(1);
    const after = await t.store.store.query(`select count(*)::int as n from events`);
    expect(after.rows[0]).toEqual(events.rows[0]);
  });

  it('threads one number into one conversation and greets it only once', async () => {
    const from = phone();
    const a = twilioSid('SM');
    const b = twilioSid('SM');
    await t.text(from, 'First message', { messageSid: a });
    t.clock.advance(60_000);
    // Spaces and dashes do not make a new tipster.
    const second = await t.text(
      `${from.slice(0, 5)} ${from.slice(5, 8)}-${from.slice(8)}`.replace(/ /g, ''),
      'Second message',
      {
        messageSid: b,
      },
    );
    expect(second.body).toContain('<Response/>');
    const [ia] = await tipBySid(a);
    const [ib] = await tipBySid(b);
    const da = await detail(ia!);
    const db = await detail(ib!);
    expect(db.thread.id).toBe(da.thread.id);
    expect(db.entries.filter((e: { kind: string }) => e.kind === 'tip')).toHaveLength(2);
  });

  it('gives a new tipster a longer alias when another thread has the four-character one', async () => {
    const from = phone();
    const secrets = tipLineOf.get(t.app.ctx)!.secrets();
    const taken = secrets.alias(secrets.numberKey(from), 4);
    await t.store.store.query(
      `insert into tip_threads (id, alias, number_key, number_sealed, first_at, last_at)
       values ($1, $2, $3, $4, $5, $5)`,
      [
        randomUUID(),
        taken,
        'another-number-key',
        secrets.seal('+13365550000'),
        new Date().toISOString(),
      ],
    );
    const sid = twilioSid('SM');
    const res = await t.text(from, 'A tip from a number whose alias is taken', { messageSid: sid });
    expect(res.statusCode).toBe(200);
    const [id] = await tipBySid(sid);
    const d = await detail(id!);
    expect(d.thread.alias).toBe(secrets.alias(secrets.numberKey(from), 5));
    expect(d.thread.alias.startsWith(taken)).toBe(true);
    expect(res.body).toContain(`tipster ${d.thread.alias}`);
  });

  it('outside staffed hours answers the first message with the closed text (911 and Crimestoppers)', async () => {
    const agency = await getAgency(t.store.store);
    await setAgency(
      t.store.store,
      { ...agency, tipLine: { ...agency.tipLine, staffed: [] } },
      new Date(t.clock.now()),
    );
    try {
      const sid = twilioSid('SM');
      const res = await t.text(phone(), 'Someone is selling from the white van on 4th St', {
        messageSid: sid,
      });
      expect(res.body).toContain('not monitored right now');
      expect(res.body).toContain('911');
      expect(res.body).toContain('336-727-2800');
      const [id] = await tipBySid(sid);
      expect((await detail(id!)).tip.outsideHours).toBe(true);
    } finally {
      await setAgency(t.store.store, agency, new Date(t.clock.now()));
    }
  });

  it('honours STOP, HELP and START, and refuses an analyst reply to an opted-out thread', async () => {
    const from = phone();
    const tipSid = twilioSid('SM');
    await t.text(from, 'There is a fight outside the bar on Trade St', { messageSid: tipSid });
    const [tipId] = await tipBySid(tipSid);

    const stop = await t.text(from, ' stop ');
    expect(stop.body).toContain('<Response/>');
    expect((await detail(tipId!)).thread.optedOut).toBe(true);
    const refused = await t.as(analyst, 'POST', `/v1/tips/${tipId}/replies`, {
      body: 'Thanks, which bar?',
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toMatch(/STOP/);
    expect(t.double.sent().some((m) => m.to === from)).toBe(false);

    const help = await t.text(from, 'HELP');
    expect(help.body).toContain('911');
    const start = await t.text(from, 'Start');
    expect(start.body).toContain('receive replies');
    expect((await detail(tipId!)).thread.optedOut).toBe(false);
    // Keywords are in the thread but not in the triage list.
    expect((await tips('?q=stop')).length).toBe(0);
  });

  it('refuses unsigned, wrongly signed and foreign-account webhooks with 403 and stores nothing', async () => {
    const sid = twilioSid('SM');
    const fields = {
      MessageSid: sid,
      AccountSid: t.double.accountSid,
      From: phone(),
      To: TIP_LINE_NUMBER,
      Body: 'unsigned',
      NumMedia: '0',
    };
    expect((await t.post(fields, { signature: null })).statusCode).toBe(403);
    expect((await t.post(fields, { signature: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=' })).statusCode).toBe(
      403,
    );
    expect((await t.post({ ...fields, AccountSid: twilioSid('AC') })).statusCode).toBe(403);
    expect(await tipBySid(sid)).toHaveLength(0);
  });

  it('answers 400 naming the field for malformed messages, and ignores unknown fields', async () => {
    const base = {
      MessageSid: twilioSid('SM'),
      AccountSid: t.double.accountSid,
      From: phone(),
      To: TIP_LINE_NUMBER,
      Body: 'x',
      NumMedia: '0',
    };
    const cases: [Record<string, string>, RegExp][] = [
      [{ ...base, MessageSid: 'nope' }, /MessageSid/],
      [{ ...base, From: '' }, /From/],
      [
        { ...base, NumMedia: '2', MediaUrl0: `${t.double.url}/x`, MediaContentType0: 'image/jpeg' },
        /MediaUrl1/,
      ],
      [{ ...base, NumMedia: '0', MediaUrl0: `${t.double.url}/x` }, /NumMedia/],
      [{ ...base, NumMedia: 'many' }, /NumMedia/],
      [{ ...base, Body: 'a\u0000b' }, /NUL/],
    ];
    for (const [fields, message] of cases) {
      const res = await t.post(fields);
      expect(res.statusCode, JSON.stringify(fields)).toBe(400);
      expect(res.json().message).toMatch(message);
    }
    expect(await tipBySid(base.MessageSid)).toHaveLength(0);
    const extra = await t.post({
      ...base,
      SomethingNew: 'from a later API version',
      Body: '🚗 سيارة 車 e\u0301',
    });
    expect(extra.statusCode).toBe(200);
    const [id] = await tipBySid(base.MessageSid);
    expect((await detail(id!)).tip.body).toBe('🚗 سيارة 車 e\u0301');
  });

  it('refuses a body of 100 kB with 413', async () => {
    const res = await t.post({
      MessageSid: twilioSid('SM'),
      AccountSid: t.double.accountSid,
      From: phone(),
      Body: 'x'.repeat(100_000),
      NumMedia: '0',
    });
    expect(res.statusCode).toBe(413);
  });

  it('answers 503 naming the settings when the provider is not configured', async () => {
    const bare = await startTipLineApp(kind, {
      config: {
        smsProvider: null,
        smsProviderMissing:
          'The tip line is not configured: set WF_TWILIO_AUTH_TOKEN (docs/tip-line.md).',
      },
    });
    try {
      const res = await bare.text(phone(), 'hello');
      expect(res.statusCode).toBe(503);
      expect(res.json().message).toContain('WF_TWILIO_AUTH_TOKEN');
    } finally {
      await bare.close();
    }
  });

  it('triages: state with who and when, duplicates, assignment with a notice, links', async () => {
    const a = twilioSid('SM');
    const b = twilioSid('SM');
    await t.text(phone(), 'Guy in red hoodie breaking car windows on Cherry St', { messageSid: a });
    await t.text(phone(), 'Car windows being smashed on Cherry', { messageSid: b });
    const [ia] = await tipBySid(a);
    const [ib] = await tipBySid(b);

    const reviewing = await t.as(analyst, 'POST', `/v1/tips/${ia}/state`, { state: 'reviewing' });
    expect(reviewing.statusCode).toBe(200);
    expect(reviewing.json()).toMatchObject({
      state: 'reviewing',
      stateChangedBy: { id: analyst.id },
    });
    expect(
      (await t.as(analyst, 'POST', `/v1/tips/${ib}/state`, { state: 'duplicate' })).statusCode,
    ).toBe(400);
    const dup = await t.as(analyst, 'POST', `/v1/tips/${ib}/state`, {
      state: 'duplicate',
      duplicateOf: ia,
    });
    expect(dup.json()).toMatchObject({ state: 'duplicate', duplicateOf: ia });
    expect(
      (await t.as(analyst, 'POST', `/v1/tips/${ia}/state`, { state: 'duplicate', duplicateOf: ia }))
        .statusCode,
    ).toBe(409);

    const assigned = await t.as(analyst, 'POST', `/v1/tips/${ia}/assignee`, {
      userId: analyst2.id,
    });
    expect(assigned.json().assignedTo).toMatchObject({ id: analyst2.id });
    const notice = await t.store.store.query<{ payload: { assigneeId: string } }>(
      `select payload from events where type = 'tip.assigned' and payload->>'tipId' = $1`,
      [ia],
    );
    expect(notice.rows.map((r) => r.payload.assigneeId)).toEqual([analyst2.id]);
    expect(
      (await t.as(analyst, 'POST', `/v1/tips/${ia}/assignee`, { userId: officer.id })).statusCode,
    ).toBe(409);
    const mine = await t.as(analyst2, 'GET', '/v1/tips?assignedTo=me');
    expect(mine.json().tips.map((x: Tip) => x.id)).toEqual([ia]);

    const linked = await t.as(analyst, 'POST', `/v1/tips/${ia}/links`, {
      incidentNumber: 'WS-2026-118842',
    });
    expect(linked.json()).toMatchObject({ incidentNumber: 'WS-2026-118842', caseNumber: null });
    expect(
      (await t.as(analyst, 'POST', `/v1/tips/${ia}/links`, { incidentNumber: 'no spaces!' }))
        .statusCode,
    ).toBe(400);
    expect(
      (await t.as(analyst, 'POST', `/v1/tips/${ia}/links`, { caseNumber: '2026-004512' })).json(),
    ).toMatchObject({
      incidentNumber: 'WS-2026-118842',
      caseNumber: '2026-004512',
    });
    const audit = await t.store.store.query<{ action: string }>(
      `select action from audit_log where target_id = $1 order by id`,
      [ia],
    );
    expect(audit.rows.map((r) => r.action)).toEqual([
      'tip.receive',
      'tip.state',
      'tip.assign',
      'tip.link',
      'tip.link',
    ]);
    // An officer neither reads nor triages tips.
    expect((await t.as(officer, 'GET', '/v1/tips')).statusCode).toBe(403);
    expect(
      (await t.as(officer, 'POST', `/v1/tips/${ia}/state`, { state: 'actionable' })).statusCode,
    ).toBe(403);
  });

  it('filters by state, text, time and media, and pages newest first', async () => {
    t.clock.advance(60_000);
    const since = new Date(t.clock.now()).toISOString();
    const made: string[] = [];
    for (let i = 0; i < 5; i++) {
      t.clock.advance(1_000);
      const sid = twilioSid('SM');
      await t.text(phone(), `pager test ${i} zebra`, { messageSid: sid });
      made.push((await tipBySid(sid))[0]!);
    }
    const first = await t.as(analyst, 'GET', `/v1/tips?q=ZEBRA&since=${since}&limit=2`);
    expect(first.json().tips.map((x: Tip) => x.id)).toEqual([made[4], made[3]]);
    const second = await t.as(
      analyst,
      'GET',
      `/v1/tips?q=zebra&since=${since}&limit=2&before=${first.json().next}`,
    );
    expect(second.json().tips.map((x: Tip) => x.id)).toEqual([made[2], made[1]]);
    await t.as(analyst, 'POST', `/v1/tips/${made[0]}/state`, { state: 'no_action' });
    const open = await tips(`?state=open&q=zebra`);
    expect(open.map((x) => x.id)).not.toContain(made[0]);
    expect((await tips(`?state=no_action&q=zebra`)).map((x) => x.id)).toEqual([made[0]]);
    expect(await tips(`?hasMedia=true&q=zebra`)).toEqual([]);
  });

  it('sends an analyst reply to the right number and follows the provider answer', async () => {
    const from = phone();
    const sid = twilioSid('SM');
    await t.text(from, 'I saw the shooter get into a grey sedan', { messageSid: sid });
    const [id] = await tipBySid(sid);
    const before = t.double.sent().length;
    const res = await t.as(analyst, 'POST', `/v1/tips/${id}/replies`, {
      body: 'Thank you. Which way did it go?',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ state: 'sent', sentBy: { id: analyst.id }, failure: null });
    expect(JSON.stringify(res.json())).not.toContain(from.slice(2));
    const sent = t.double.sent().slice(before);
    expect(sent).toEqual([
      expect.objectContaining({
        to: from,
        from: TIP_LINE_NUMBER,
        body: 'Thank you. Which way did it go?',
      }),
    ]);

    t.double.failNext(30007, 'Message filtered by the carrier', 400);
    const failed = await t.as(analyst, 'POST', `/v1/tips/${id}/replies`, { body: 'Still there?' });
    expect(failed.json()).toMatchObject({
      state: 'failed',
      failure: expect.stringContaining('filtered'),
    });

    t.double.optOut(from);
    const optedOut = await t.as(analyst, 'POST', `/v1/tips/${id}/replies`, { body: 'Hello?' });
    expect(optedOut.json().state).toBe('failed');
    expect((await detail(id!)).thread.optedOut).toBe(true);
    const audit = await t.store.store.query<{ action: string }>(
      `select action from audit_log where target_id = $1 and action like 'tip.reply%' order by id`,
      [id],
    );
    expect(audit.rows.map((r) => r.action)).toEqual([
      'tip.reply',
      'tip.reply.settle',
      'tip.reply',
      'tip.reply.settle',
      'tip.reply',
      'tip.reply.settle',
    ]);
    expect((await t.as(officer, 'POST', `/v1/tips/${id}/replies`, { body: 'x' })).statusCode).toBe(
      403,
    );
  });

  it('lets an admin change the hours and texts, validated, and nobody else', async () => {
    const current = (await t.as(analyst, 'GET', '/v1/tip-line')).json();
    expect(current).toMatchObject({ configured: true, staffedNow: expect.any(Boolean) });
    expect(current.staffedNow).toBe(true);
    const next = {
      ...current.settings,
      staffed: [{ days: ['sun'], start: '00:00', end: '00:00' }],
    };
    expect((await t.as(analyst, 'PUT', '/v1/agency/tipLine', next)).statusCode).toBe(403);
    for (const staffed of [
      [{ days: ['someday'], start: '08:00', end: '17:00' }],
      [{ days: ['tue'], start: '25:00', end: '26:00' }],
      [{ days: [], start: '08:00', end: '17:00' }],
    ]) {
      const bad = await t.as(admin, 'PUT', '/v1/agency/tipLine', { ...next, staffed });
      expect(bad.statusCode, JSON.stringify(staffed)).toBe(400);
    }
    expect((await t.as(analyst, 'GET', '/v1/tip-line')).json().staffedNow).toBe(true);
    // Only Sundays now: this Tuesday afternoon is not staffed.
    expect((await t.as(admin, 'PUT', '/v1/agency/tipLine', next)).statusCode).toBe(200);
    expect((await t.as(analyst, 'GET', '/v1/tip-line')).json().staffedNow).toBe(false);
    const greeting = await t.text(phone(), 'Tuesday tip');
    expect(greeting.body).toContain('not monitored');
    const audit = await t.store.store.query<{ details: { after: { staffed: unknown } } }>(
      `select details from audit_log where action = 'agency.tipLine.update' order by id desc limit 1`,
    );
    expect(audit.rows[0]!.details.after.staffed).toEqual(next.staffed);
    await t.as(admin, 'PUT', '/v1/agency/tipLine', current.settings);
  });
});
