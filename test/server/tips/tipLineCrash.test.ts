import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../../support/stores';
import { burstThenKill, crashSite, type CrashSite } from '../../support/crashServer';
import { startTwilioDouble, twilioSid, type TwilioDouble } from '../../../server/demo/twilioDouble';

/**
 * The real server, killed with SIGKILL in the middle of a burst of webhooks: every message it
 * acknowledged is there once after a restart, and no sender's number is anywhere in its files or
 * its log (docs/tip-line.md).
 */

const BURST = 240;
const IN_FLIGHT = 16;
const KILL_AFTER = 60;
/** Every tipster of the burst: 3365557000 to 3365557239. */
const number = (i: number) => `+1336555${7000 + i}`;

describe.each(STORE_KINDS)('the tip line across a crash on %s', (kind) => {
  let double: TwilioDouble;
  let site: CrashSite;
  const logs: string[] = [];

  beforeAll(async () => {
    double = await startTwilioDouble({
      accountSid: twilioSid('AC'),
      authToken: randomBytes(16).toString('hex'),
    });
    site = await crashSite(kind, 'tips');
  });
  afterAll(async () => {
    await site.dispose();
    await double.close();
  });

  const start = () =>
    site.start({
      WF_LOG_LEVEL: 'debug',
      WF_TWILIO_ACCOUNT_SID: double.accountSid,
      WF_TWILIO_AUTH_TOKEN: double.authToken,
      WF_TWILIO_API_URL: double.url,
      WF_TWILIO_FROM: '+13365550100',
      WF_TIP_KEY: '',
    });

  const post = (url: string, i: number, sid: string) => {
    const fields = {
      MessageSid: sid,
      SmsMessageSid: sid,
      AccountSid: double.accountSid,
      From: number(i),
      To: '+13365550100',
      Body: `Burst tip ${i}: a silver pickup keeps circling the school`,
      NumMedia: '0',
      FromCity: 'WINSTON-SALEM',
      FromZip: '27101',
    };
    const signed = double.signedForm(`${url}/v1/ingest/twilio/sms`, fields);
    return fetch(`${url}/v1/ingest/twilio/sms`, {
      method: 'POST',
      headers: signed.headers,
      body: signed.body,
    }).then(
      (r) => r.status,
      () => 0,
    );
  };

  it('keeps every acknowledged tip once, and no number anywhere', async () => {
    const first = await start();
    const sids = Array.from({ length: BURST }, () => twilioSid('SM'));
    const { acknowledged, statuses, killed } = await burstThenKill(
      first,
      (i) => post(first.url, i, sids[i]!),
      { total: BURST, inFlight: IN_FLIGHT, killAfter: KILL_AFTER },
    );
    expect(killed).toBe(true);
    // Before the kill everything was acknowledged; after it, nothing answered (never a 5xx).
    expect(statuses.filter((s) => s !== 200 && s !== 0)).toEqual([]);
    expect(acknowledged.size).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(acknowledged.size).toBeLessThan(BURST);

    // The provider retries what was not acknowledged, and may retry what was.
    const second = await start();
    for (let i = 0; i < BURST; i++) {
      expect(await post(second.url, i, sids[i]!)).toBe(200);
    }
    second.child.kill('SIGTERM');
    await second.exited;
    logs.push(first.log(), second.log());

    const store = await site.openStore();
    try {
      const rows = await store.query<{ message_sid: string; n: number }>(
        'select message_sid, count(*)::int as n from tips group by message_sid',
      );
      const counts = new Map(rows.rows.map((r) => [r.message_sid, r.n]));
      for (const sid of sids) expect(counts.get(sid), sid).toBe(1);
      const events = await store.query<{ n: number }>(
        `select count(*)::int as n from events where type = 'tip.received'`,
      );
      expect(events.rows[0]!.n).toBe(BURST);
      const threads = await store.query<{ n: number }>(
        'select count(*)::int as n from tip_threads',
      );
      expect(threads.rows[0]!.n).toBe(BURST);
    } finally {
      await store.close();
    }

    // No number, in any form a phone writes it, in the log or (embedded store) the data files.
    const needles = ['3365557', '336-555-7', '(336) 555-7'];
    const log = logs.join('\n');
    expect(log.length).toBeGreaterThan(0);
    for (const needle of needles) expect(log).not.toContain(needle);
    let scanned = 0;
    let sawText = false;
    const scan = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) scan(path);
        else {
          const bytes = readFileSync(path);
          scanned += bytes.length;
          sawText ||= bytes.includes(Buffer.from('silver pickup keeps circling'));
          for (const needle of needles) {
            expect(bytes.includes(Buffer.from(needle)), `${needle} in ${path}`).toBe(false);
            expect(bytes.includes(Buffer.from(needle, 'utf16le')), `${needle} in ${path}`).toBe(
              false,
            );
          }
        }
      }
    };
    scan(site.dataDir);
    // The scan reads what the database wrote: the tips' text is there, their numbers are not.
    if (kind === 'pglite') {
      expect({ scanned: scanned > 1_000_000, sawText }).toEqual({ scanned: true, sawText: true });
    }
  }, 240_000);
});
