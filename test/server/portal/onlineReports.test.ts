import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../../support/stores';
import { TEST_CITY } from '../../support/testCity';
import type { TestUser } from '../../support/testApp';
import { reportClock } from '../../../shared/domain/onlineReports';
import type { OnlineReport } from '../../../shared/api/onlineReports';
import { SYSTEM_ACTOR } from '../../../server/audit/actor';
import { importAddresses } from '../../../server/addresses/importAddresses';
import { RetentionPurger } from '../../../server/retention/retentionPurge';
import { startPortalApp, hiddenFields, type PortalApp } from './portalSupport';
import {
  ELIGIBLE,
  JPEG,
  fileReport,
  postMultipart,
  reportFields,
  statusLinkIn,
} from './reportSupport';

/**
 * A citizen files an online report through the portal (the eligibility questions, the form with
 * a photo), gets a temporary number on the page and by a real SMTP server's mail; reviewers work
 * the queue in the console: more information (the reporter answers by the emailed link),
 * forward, reject, approve with a case number in the agency's format.
 */
describe.each(STORE_KINDS)('online reports on %s', (kind) => {
  let t: PortalApp;
  let analyst: TestUser;
  let officer: TestUser;

  beforeAll(async () => {
    t = await startPortalApp(kind);
    analyst = await t.user('analyst');
    officer = await t.user('officer');
  }, 180_000);
  afterAll(async () => {
    await t.close();
  });

  const queue = async (state = 'open'): Promise<OnlineReport[]> => {
    const res = await t.as(analyst, 'GET', `/v1/online-reports?state=${state}`);
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { reports: OnlineReport[] }).reports;
  };
  const byTemp = async (temp: string) => (await queue('all')).find((r) => r.tempNumber === temp)!;
  const tempIn = (body: string) =>
    /<strong class="number">(T\d\d-[A-Z0-9]{6})<\/strong>/.exec(body)?.[1];
  const audits = async (action: string) => t.count('audit_log', `action = '${action}'`);

  async function filed(email: string, extra: Record<string, string> = {}) {
    const v = t.visitor();
    const { res } = await fileReport(t, v, reportFields(email, extra));
    expect(res.statusCode, res.body).toBe(200);
    const temp = tempIn(res.body)!;
    expect(temp).toBeDefined();
    const mail = await t.mail.next(email);
    return { v, temp, mail, link: statusLinkIn(mail) };
  }

  it('refuses at the questions, before the form: 911, the firearms number, officer help', async () => {
    const v = t.visitor();
    const emergency = await v.fill('/portal/reports', '/portal/reports/eligibility', {
      ...ELIGIBLE,
      elig_emergency: 'yes',
    });
    expect(emergency.body).toContain('Call 911 now');
    expect(emergency.body).not.toContain('action="/portal/reports/new"');
    const weapon = await v.fill('/portal/reports', '/portal/reports/eligibility', {
      ...ELIGIBLE,
      elig_weapons: 'yes',
    });
    expect(weapon.body).toContain('This cannot be reported online');
    expect(weapon.body).toContain('contact the police department');
    const unanswered = await v.fill('/portal/reports', '/portal/reports/eligibility', {
      elig_emergency: 'no',
    });
    expect(unanswered.statusCode).toBe(400);
    expect(unanswered.body).toContain('Answer yes or no');
    expect(await t.count('online_reports')).toBe(0);
  });

  it('names the agency firearms number from its settings', async () => {
    const admin = await t.user('admin');
    const agency = (await t.as(admin, 'GET', '/v1/agency')).json() as {
      onlineReports: Record<string, unknown>;
    };
    const saved = await t.as(admin, 'PUT', '/v1/agency/onlineReports', {
      ...agency.onlineReports,
      firearmsPhone: '(336) 555-0100',
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const res = await t.visitor().fill('/portal/reports', '/portal/reports/eligibility', {
      ...ELIGIBLE,
      elig_firearm: 'yes',
    });
    expect(res.body).toContain('Please call (336) 555-0100.');
  });

  it('asks the questions again on the server: a forged answer in the form stores nothing', async () => {
    const v = t.visitor();
    const { res } = await fileReport(t, v, {
      ...reportFields('forged@example.org'),
      elig_injuries: 'yes',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('injured or a weapon');
    expect(await t.count('online_reports')).toBe(0);
  });

  it('sends the form back with a message per field, and stores nothing', async () => {
    const v = t.visitor();
    const { res } = await fileReport(t, v, {
      ...reportFields('bad@example.org'),
      category: 'supplemental',
      caseNumber: '',
      lat: '36.5',
      lng: '-80.25',
      narrative: 'short',
      dob: '2015-01-01',
      email: 'not-an-email',
      acknowledged: '',
    });
    expect(res.statusCode).toBe(400);
    for (const id of ['caseNumber', 'narrative', 'email', 'acknowledged']) {
      expect(res.body, id).toContain(`id="${id}-error"`);
    }
    // The location and the age are checked once the schema passes.
    const again = await fileReport(t, v, {
      ...reportFields('bad@example.org'),
      lat: '36.5',
      dob: '2015-01-01',
    });
    expect(again.res.statusCode).toBe(400);
    expect(again.res.body).toContain('outside');
    expect(again.res.body).toContain('id="dob-error"');
    const fake = await fileReport(t, v, reportFields('bad@example.org'), [
      { name: 'evil.jpg', type: 'image/jpeg', bytes: new TextEncoder().encode('<script>') },
    ]);
    expect(fake.res.statusCode).toBe(400);
    expect(fake.res.body).toContain('is not a JPEG or PNG photo or a PDF document');
    expect(await t.count('online_reports')).toBe(0);
  });

  it('files a report with a photo: the temporary number on the page and by email, once for a double post', async () => {
    const email = 'sam.one@example.org';
    const v = t.visitor();
    const { res, posted } = await fileReport(t, v, reportFields(email), [JPEG]);
    expect(res.statusCode, res.body).toBe(200);
    const temp = tempIn(res.body)!;
    expect(res.body).toContain('not the official copy');
    const mail = await t.mail.next(email);
    expect(mail.subject).toBe(`Your online report ${temp} to Test City Police`);
    expect(mail.text).toContain('THIS IS NOT THE OFFICIAL COPY');
    expect(mail.text).toContain('My bicycle was taken');
    expect(mail.text).toContain('Attached: bike.jpg');
    const link = statusLinkIn(mail);
    const token = new URL(link, 'https://x').searchParams.get('token')!;
    expect(await t.count('online_report_links', `token_hash = '${token}'`)).toBe(0);

    // The same form posted again (a double click): the same number, nothing more.
    const twice = await postMultipart(t, v, '/portal/reports/new', posted, [JPEG]);
    expect(twice.statusCode).toBe(200);
    expect(tempIn(twice.body)).toBe(temp);
    expect(await t.count('online_reports', `reporter_email = '${email}'`)).toBe(1);
    expect(await t.count('mail_outbox', `to_address = '${email}'`)).toBe(1);

    const r = await byTemp(temp);
    expect(r).toMatchObject({ state: 'submitted', outcome: null, category: 'theft_of_property' });
    expect(r.files).toEqual([{ n: 1, fileName: 'bike.jpg', contentType: 'image/jpeg', size: 14 }]);
    expect(Date.parse(r.dueAt) - Date.parse(r.submittedAt)).toBe(72 * 3_600_000);

    const status = await v.get(link);
    expect(status.statusCode).toBe(200);
    expect(status.body).toContain('Received: waiting for review.');
  });

  it('counts the 72-hour clock from submission, and overdue reports stand out', async () => {
    const { temp } = await filed('clock@example.org');
    const r = await byTemp(temp);
    const submitted = Date.parse(r.submittedAt);
    expect(reportClock(r, submitted + 71 * 3_600_000)).toMatchObject({
      overdue: false,
      remainingMs: 3_600_000,
    });
    expect(reportClock(r, submitted + 73 * 3_600_000)).toMatchObject({ overdue: true });
    expect(reportClock({ ...r, state: 'needs_info' }, submitted + 73 * 3_600_000)).toMatchObject({
      overdue: false,
      waitingOnReporter: true,
    });
    expect(reportClock({ ...r, state: 'approved' }, submitted + 99 * 3_600_000)).toMatchObject({
      overdue: false,
      remainingMs: null,
    });
    // The queue lists open reports, the earliest due first.
    const open = await queue();
    const dues = open.map((x) => Date.parse(x.dueAt));
    expect(dues).toEqual([...dues].sort((a, b) => a - b));
  });

  it('asks for more information; the reporter adds it by the link; then it is approved with a case number', async () => {
    const email = 'more.info@example.org';
    const { v, temp, link } = await filed(email);
    const r = await byTemp(temp);
    const since = (await t.mail.next(email)).n;

    const asked = await t.as(analyst, 'POST', `/v1/online-reports/${r.id}/request-info`, {
      message: 'What colour is the bicycle lock?',
    });
    expect(asked.statusCode, asked.body).toBe(200);
    expect(asked.json()).toMatchObject({
      state: 'needs_info',
      infoRequest: 'What colour is the bicycle lock?',
    });
    expect(reportClock(asked.json() as OnlineReport, t.clock.now()).waitingOnReporter).toBe(true);
    const request = await t.mail.next(email, since);
    expect(request.subject).toBe(`More information is needed for your report ${temp}`);
    expect(request.text).toContain('What colour is the bicycle lock?');

    const page = await v.get(statusLinkIn(request));
    expect(page.body).toContain('What colour is the bicycle lock?');
    const hidden = hiddenFields(page.body, '/portal/reports/add-info');
    t.clock.advance(4000);
    const added = await v.post('/portal/reports/add-info', { ...hidden, text: 'A yellow U-lock.' });
    expect(added.statusCode, added.body).toBe(200);
    expect(added.body).toContain('your information is added');
    const back = await byTemp(temp);
    expect(back).toMatchObject({ state: 'submitted', infoRequest: null });
    expect(back.additions.map((a) => a.text)).toEqual(['A yellow U-lock.']);
    // The earlier link still opens the report; adding twice is refused.
    const again = await v.post('/portal/reports/add-info', { ...hidden, text: 'More.' });
    expect(again.statusCode).toBe(409);
    expect((await v.get(link)).statusCode).toBe(200);

    const approved = await t.as(analyst, 'POST', `/v1/online-reports/${r.id}/approve`, {});
    expect(approved.statusCode, approved.body).toBe(200);
    const done = approved.json() as OnlineReport;
    expect(done).toMatchObject({ state: 'approved', outcome: 'approved' });
    // The agency's format, {yyyy}-{seq:6}, from the cases module's own counter.
    expect(done.caseNumber).toMatch(/^\d{4}-\d{6}$/);
    expect(await t.count('cases', `number = '${done.caseNumber}'`)).toBe(1);
    expect(
      await t.count(
        'case_notes n join cases c on c.id = n.case_id',
        `c.number = '${done.caseNumber}'`,
      ),
    ).toBe(1);
    const mail = await t.mail.next(email, request.n);
    expect(mail.subject).toBe(`Your report ${temp} is approved: case number ${done.caseNumber}`);
    expect((await v.get(link)).body).toContain(done.caseNumber!);
    expect(await audits('onlineReport.approve')).toBeGreaterThan(0);
    expect(await audits('onlineReport.requestInfo')).toBeGreaterThan(0);
    expect(await audits('onlineReport.addInformation')).toBeGreaterThan(0);

    // Decided is decided.
    const twice = await t.as(analyst, 'POST', `/v1/online-reports/${r.id}/reject`, { reason: 'x' });
    expect(twice.statusCode).toBe(409);
  });

  it('joins an existing case on approval, and refuses a case that does not exist', async () => {
    const { temp } = await filed('joins@example.org');
    const r = await byTemp(temp);
    const lieutenant = await t.user('lieutenant');
    const made = await t.as(lieutenant, 'POST', '/v1/cases', {
      title: 'Bicycle thefts downtown',
      type: 'theft',
      priority: 'normal',
    });
    expect(made.statusCode, made.body).toBe(201);
    const number = (made.json() as { number: string }).number;
    const missing = await t.as(analyst, 'POST', `/v1/online-reports/${r.id}/approve`, {
      caseNumber: '1999-000001',
    });
    expect(missing.statusCode).toBe(400);
    expect((await byTemp(temp)).state).toBe('submitted');
    const joined = await t.as(analyst, 'POST', `/v1/online-reports/${r.id}/approve`, {
      caseNumber: number,
    });
    expect(joined.statusCode, joined.body).toBe(200);
    expect(joined.json()).toMatchObject({ caseNumber: number, state: 'approved' });
  });

  it('forwards to an investigator, then rejects as ineligible with the email to contact the department', async () => {
    const email = 'rejected@example.org';
    const { temp, mail: first } = await filed(email);
    const r = await byTemp(temp);
    const investigator = await t.user('analyst', 'investigator.one');
    const badUser = await t.as(analyst, 'POST', `/v1/online-reports/${r.id}/forward`, {
      userId: officer.id,
    });
    expect(badUser.statusCode).toBe(400);
    const forwarded = await t.as(analyst, 'POST', `/v1/online-reports/${r.id}/forward`, {
      userId: investigator.id,
    });
    expect(forwarded.statusCode, forwarded.body).toBe(200);
    expect(forwarded.json()).toMatchObject({
      state: 'forwarded',
      assignedTo: { id: investigator.id },
    });
    const rejected = await t.as(analyst, 'POST', `/v1/online-reports/${r.id}/reject`, {
      reason: 'A weapon was shown during the theft.',
    });
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect(rejected.json()).toMatchObject({ state: 'rejected', outcome: 'rejected' });
    const mail = await t.mail.next(email, first.n);
    expect(mail.subject).toBe(`Your report ${temp} cannot be taken online`);
    expect(mail.text).toContain('A weapon was shown during the theft.');
    expect(mail.text).toContain(
      'contact the police department to make your report with an officer',
    );
    expect(await audits('onlineReport.forward')).toBeGreaterThan(0);
    expect(await audits('onlineReport.reject')).toBeGreaterThan(0);
    const decided = await queue('decided');
    const row = decided.find((x) => x.tempNumber === temp)!;
    expect(row.decidedAt).not.toBeNull();
  });

  it('lets only holders of onlineReports.review see or decide reports', async () => {
    const { temp } = await filed('perm@example.org');
    const r = await byTemp(temp);
    for (const role of ['officer', 'admin', 'auditor'] as const) {
      const u = role === 'officer' ? officer : await t.user(role);
      expect((await t.as(u, 'GET', '/v1/online-reports')).statusCode, role).toBe(403);
      const approve = await t.as(u, 'POST', `/v1/online-reports/${r.id}/approve`, {});
      expect(approve.statusCode, role).toBe(403);
    }
    for (const role of ['analyst', 'lieutenant', 'supervisor'] as const) {
      const u = await t.user(role);
      expect((await t.as(u, 'GET', '/v1/online-reports')).statusCode, role).toBe(200);
    }
    expect((await byTemp(temp)).state).toBe('submitted');
  });

  it('a link that opens nothing says so', async () => {
    const res = await t.visitor().get(`/portal/reports/status?token=${'A'.repeat(43)}`);
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('This link no longer works');
  });

  it('places an address given alone: unverified without address points; by the point it names once there are some', async () => {
    const addressOnly = (address: string) => ({ address, lat: '', lng: '' });
    // No address points at all: taken as it is, and the reviewer is told it is unverified.
    expect(await t.count('address_points')).toBe(0);
    const first = await filed('unverified@example.org', addressOnly('200 W 4th St'));
    expect(await byTemp(first.temp)).toMatchObject({
      address: '200 W 4th St',
      lat: null,
      lng: null,
      locationCheck: 'unverified',
    });

    const imported = await importAddresses(
      t.app.ctx,
      {
        format: 'csv',
        content: [
          'address,place,kind,lat,lng',
          '100 block N Main St,,,36.1001,-80.2441',
          '660 W 5th St,Central Library,place,36.0998,-80.2502',
          // Past the city line (the test city ends at 36.15 N).
          '9000 block Far Rd,,,36.3,-80.25',
        ].join('\n'),
      },
      SYSTEM_ACTOR,
    );
    expect(imported.created).toBe(3);

    // An address point's own words, case, spacing and punctuation aside: kept at its position.
    const inside = await filed('inside@example.org', addressOnly('100 Block  N. Main St'));
    expect(await byTemp(inside.temp)).toMatchObject({
      address: '100 Block  N. Main St',
      lat: 36.1001,
      lng: -80.2441,
      locationCheck: 'address_point',
    });
    // The reporter's copy says what they wrote, not a position they never gave.
    expect(inside.mail.text).toContain('Where: 100 Block  N. Main St\n');
    // A place as the portal's search writes it, with its address.
    const place = await filed('place@example.org', addressOnly('Central Library, 660 W 5th St'));
    expect(await byTemp(place.temp)).toMatchObject({
      lat: 36.0998,
      locationCheck: 'address_point',
    });

    const before = await t.count('online_reports');
    const outside = await fileReport(
      t,
      t.visitor(),
      reportFields('outside@example.org', addressOnly('9000 block Far Rd')),
    );
    expect(outside.res.statusCode).toBe(400);
    expect(outside.res.body).toContain('id="address-error"');
    expect(outside.res.body).toContain(
      `This address is outside ${TEST_CITY.shortName}&#39;s city limits. What happened outside the city cannot be reported here.`,
    );
    // The same refusal as a latitude and longitude outside the city.
    const numbers = await fileReport(
      t,
      t.visitor(),
      reportFields('outside@example.org', { address: '', lat: '36.3', lng: '-80.25' }),
    );
    expect(numbers.res.statusCode).toBe(400);
    expect(numbers.res.body).toContain('id="lat-error"');
    expect(numbers.res.body).toContain('What happened outside the city cannot be reported here.');

    // Address points, but none of them named: the reporter is asked to pick the place.
    const unknown = await fileReport(
      t,
      t.visitor(),
      reportFields('unknown@example.org', addressOnly('12 Nowhere Ln')),
    );
    expect(unknown.res.statusCode).toBe(400);
    expect(unknown.res.body).toContain('id="address-error"');
    expect(unknown.res.body).toContain(`We could not find this address in ${TEST_CITY.shortName}.`);
    expect(unknown.res.body).toContain('mark the spot on the map');
    // A part of an address is not an address.
    const part = await fileReport(
      t,
      t.visitor(),
      reportFields('unknown@example.org', addressOnly('N Main St')),
    );
    expect(part.res.statusCode).toBe(400);
    expect(await t.count('online_reports')).toBe(before);
    expect(
      await t.count('mail_outbox', "to_address in ('outside@example.org', 'unknown@example.org')"),
    ).toBe(0);
  });

  it('is purged with its links and files once older than its period, unless its case is held', async () => {
    const { temp } = await filed('held@example.org');
    const held = await byTemp(temp);
    const approved = await t.as(analyst, 'POST', `/v1/online-reports/${held.id}/approve`, {});
    const caseNumber = (approved.json() as OnlineReport).caseNumber!;
    const lieutenant = await t.user('lieutenant', 'hold.lt');
    const hold = await t.as(lieutenant, 'PUT', `/v1/cases/${caseNumber}/legal-hold`, {
      held: true,
      reason: 'Civil suit pending',
    });
    expect(hold.statusCode, hold.body).toBe(200);
    const before = await t.count('online_reports');
    expect(before).toBeGreaterThan(1);
    expect(await t.count('online_report_files')).toBe(1);
    t.clock.advance(366 * 86_400_000);
    const run = await new RetentionPurger(t.app.ctx).run('admin', SYSTEM_ACTOR);
    expect(run.outcome).toBe('completed');
    expect(await t.count('online_reports')).toBe(1);
    expect(await t.count('online_reports', `id = '${held.id}'`)).toBe(1);
    expect(await t.count('online_report_files')).toBe(0);
    expect(await t.count('online_report_links', `report_id <> '${held.id}'`)).toBe(0);
  });
});
