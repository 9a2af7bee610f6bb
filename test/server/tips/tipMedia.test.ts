import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../../support/stores';
import type { TestUser } from '../../support/testApp';
import { twilioSid } from '../../../server/demo/twilioDouble';
import { ensureTipMediaSamples, type TipMediaSamples } from '../../../server/demo/tipMediaSamples';
import { MAX_MEDIA_ATTEMPTS } from '../../../server/tips/tipMediaWorker';
import { startTipLineApp, type TipLineApp } from './support/tipLineApp';
import type { Tip } from '../../../shared/domain/tips';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const REASON = { code: 'investigation_follow_up', reference: 'WS-2026-118842' };

let samples: TipMediaSamples;
beforeAll(async () => {
  samples = await ensureTipMediaSamples(join(tmpdir(), 'wf-test-tip-media-samples'));
}, 120_000);

/** Tips' photos and videos: fetched after the answer, stored by hash, shown through a grant. */
describe.each(STORE_KINDS)('tip media on %s', (kind) => {
  let t: TipLineApp;
  let analyst: TestUser;
  let other: TestUser;
  let n = 0;
  const phone = () => `+1336555${String(2000 + ++n).slice(-4)}`;

  beforeAll(async () => {
    t = await startTipLineApp(kind);
    analyst = await t.user('analyst');
    other = await t.user('analyst');
  });
  afterAll(() => t.close());

  const tipOf = async (sid: string): Promise<Tip> => {
    const rows = await t.store.store.query<{ id: string }>(
      'select id from tips where message_sid = $1',
      [sid],
    );
    return (await t.as(analyst, 'GET', `/v1/tips/${rows.rows[0]!.id}`)).json().tip;
  };

  it('stores a photo and a phone video by SHA-256, with a playable MP4 and a poster, served through an audited grant', async () => {
    const photo = await readFile(samples.photo.path);
    const video = await readFile(samples.phoneVideo.path);
    const sid = twilioSid('MM');
    const m0 = t.double.addMedia(photo, 'image/jpeg', { messageSid: sid });
    const m1 = t.double.addMedia(video, 'video/3gpp', { messageSid: sid });
    const res = await t.text(phone(), 'Photo and video of the car', {
      messageSid: sid,
      media: [m0, m1],
    });
    expect(res.statusCode).toBe(200);
    // Acknowledged with both attachments on file; the worker starts on the ingest at once, so a
    // quick fetch may already have stored the first by the time the tip is read.
    const pending = await tipOf(sid);
    expect(pending.attachments).toHaveLength(2);
    for (const a of pending.attachments) expect(['pending', 'stored']).toContain(a.state);

    await t.fetchMedia();
    const tip = await tipOf(sid);
    expect(tip.attachments).toEqual([
      expect.objectContaining({
        n: 0,
        kind: 'image',
        state: 'stored',
        sha256: sha256(photo),
        size: photo.length,
        playable: false,
      }),
      expect.objectContaining({
        n: 1,
        kind: 'video',
        state: 'stored',
        sha256: sha256(video),
        preview: true,
        playable: true,
      }),
    ]);

    // No grant, no bytes.
    expect(
      (await t.as(analyst, 'GET', `/v1/tip-media/${'x'.repeat(43)}/0/original`)).statusCode,
    ).toBe(404);
    const grant = await t.as(analyst, 'POST', `/v1/tips/${tip.id}/media-grants`, {
      reason: REASON,
    });
    expect(grant.statusCode).toBe(201);
    const { token } = grant.json();
    const audit = await t.store.store.query<{ actor_id: string; details: Record<string, unknown> }>(
      `select actor_id, details from audit_log where action = 'tip.media.view' and target_id = $1`,
      [tip.id],
    );
    expect(audit.rows).toEqual([
      expect.objectContaining({
        actor_id: analyst.id,
        details: expect.objectContaining({
          reason: 'investigation_follow_up',
          reference: 'WS-2026-118842',
        }),
      }),
    ]);

    const original = await t.as(analyst, 'GET', `/v1/tip-media/${token}/0/original`);
    expect(original.statusCode).toBe(200);
    expect(original.headers['content-type']).toBe('image/jpeg');
    expect(original.headers['cache-control']).toBe('no-store');
    expect(sha256(original.rawPayload)).toBe(sha256(photo));

    const playable = await t.as(analyst, 'GET', `/v1/tip-media/${token}/1/playable`);
    expect(playable.headers['content-type']).toBe('video/mp4');
    expect(playable.rawPayload.subarray(4, 8).toString('latin1')).toBe('ftyp');
    const poster = await t.as(analyst, 'GET', `/v1/tip-media/${token}/1/preview`);
    expect(poster.headers['content-type']).toBe('image/jpeg');
    expect(poster.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));

    // A video is played by ranges.
    const range = await t.app.api.inject({
      method: 'GET',
      url: `/v1/tip-media/${token}/1/playable`,
      headers: { authorization: `Bearer ${analyst.token}`, range: 'bytes=0-99' },
    });
    expect(range.statusCode).toBe(206);
    expect(range.rawPayload.length).toBe(100);
    expect(range.headers['content-range']).toMatch(/^bytes 0-99\/\d+$/);

    // The grant is the user's own, and a photo has no playable form.
    expect((await t.as(other, 'GET', `/v1/tip-media/${token}/0/original`)).statusCode).toBe(404);
    expect((await t.as(analyst, 'GET', `/v1/tip-media/${token}/0/playable`)).statusCode).toBe(404);
    expect((await t.as(analyst, 'GET', `/v1/tip-media/${token}/0/../../x`)).statusCode).toBe(404);
    // Expired grants open nothing.
    await t.store.store.query(`update tip_media_grants set expires_at = $1 where tip_id = $2`, [
      new Date(t.clock.now()).toISOString(),
      tip.id,
    ]);
    expect((await t.as(analyst, 'GET', `/v1/tip-media/${token}/0/original`)).statusCode).toBe(404);
  });

  it('shows a phone’s HEIC photo as a JPEG preview and keeps the original as received', async () => {
    const heic = await readFile(
      join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/tip-media/synthetic.heic'),
    );
    const sid = twilioSid('MM');
    const m = t.double.addMedia(heic, 'image/heic', { messageSid: sid });
    await t.text(phone(), 'iPhone photo of the plate', { messageSid: sid, media: [m] });
    await t.fetchMedia();
    const tip = await tipOf(sid);
    expect(tip.attachments[0]).toMatchObject({
      state: 'stored',
      sha256: sha256(heic),
      preview: true,
    });
    const { token } = (
      await t.as(analyst, 'POST', `/v1/tips/${tip.id}/media-grants`, { reason: REASON })
    ).json();
    const preview = await t.as(analyst, 'GET', `/v1/tip-media/${token}/0/preview`);
    expect(preview.headers['content-type']).toBe('image/jpeg');
    expect(preview.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    const original = await t.as(analyst, 'GET', `/v1/tip-media/${token}/0/original`);
    expect(sha256(original.rawPayload)).toBe(sha256(heic));
  });

  it('retries a provider failure with backoff, showing the state, until the file comes', async () => {
    const photo = await readFile(samples.screenshot.path);
    const sid = twilioSid('MM');
    const m = t.double.addMedia(photo, 'image/png', { messageSid: sid, failWith: 500 });
    await t.text(phone(), 'Screenshot of the post', { messageSid: sid, media: [m] });
    await t.fetchMedia();
    let a = (await tipOf(sid)).attachments[0]!;
    expect(a).toMatchObject({
      state: 'pending',
      attempts: 1,
      failure: expect.stringMatching(/again/i),
    });
    // Not due yet: nothing is fetched.
    await t.fetchMedia();
    expect(t.double.mediaRequests(m.mediaSid)).toBe(1);
    t.double.setMediaBehaviour(m.mediaSid, {});
    t.clock.advance(6_000);
    await t.fetchMedia();
    a = (await tipOf(sid)).attachments[0]!;
    expect(a).toMatchObject({ state: 'stored', attempts: 2, sha256: sha256(photo) });
  });

  it('gives up on a file that is gone, or larger than the limit, or not what it says, and keeps the tip', async () => {
    const sid = twilioSid('MM');
    const gone = t.double.addMedia(Buffer.from('x'), 'image/jpeg', {
      messageSid: sid,
      failWith: 404,
    });
    const fake = t.double.addMedia(Buffer.from('<html>not a video</html>'), 'video/mp4', {
      messageSid: sid,
    });
    const elsewhere = {
      url: 'https://203.0.113.9/2010-04-01/Accounts/x/Messages/y/Media/z',
      contentType: 'image/jpeg',
    };
    const internal = { url: 'http://169.254.169.254/latest/meta-data', contentType: 'image/jpeg' };
    await t.text(phone(), 'Three bad files', {
      messageSid: sid,
      media: [gone, fake, elsewhere, internal],
    });
    for (
      let i = 0;
      i < MAX_MEDIA_ATTEMPTS && (await tipOf(sid)).attachments.some((x) => x.state === 'pending');
      i++
    ) {
      await t.fetchMedia();
      // The next try is due (the backoff itself is checked above).
      await t.store.store.query(
        `update tip_attachments set next_attempt_at = $1 where state = 'pending'`,
        [new Date(t.clock.now()).toISOString()],
      );
    }
    const tip = await tipOf(sid);
    expect(tip.body).toBe('Three bad files');
    expect(tip.attachments.map((x) => x.state)).toEqual(['failed', 'failed', 'failed', 'failed']);
    for (const x of tip.attachments) expect(x.failure).toMatch(/\w+ \w+/);
    expect(tip.attachments[0]!.failure).toMatch(/no longer has/);
    expect(JSON.stringify(tip)).not.toContain(t.double.authToken);
  });

  it('puts a shared location on the map: a maps link in the text, or a location card attachment', async () => {
    const linked = twilioSid('SM');
    await t.text(phone(), 'He is here https://maps.google.com/?q=36.0999,-80.2442 right now', {
      messageSid: linked,
    });
    expect((await tipOf(linked)).sharedLocation).toEqual({
      lat: 36.0999,
      lon: -80.2442,
      source: 'maps_link',
    });

    const carded = twilioSid('MM');
    const card = Buffer.from(
      'BEGIN:VCARD\r\nVERSION:3.0\r\nN:;Shared Location;;;\r\nitem1.URL;type=pref:http://maps.apple.com/?ll=36.0912\\,-80.2561&q=36.0912\\,-80.2561\r\nitem1.X-ABLabel:map url\r\nEND:VCARD\r\n',
    );
    const m = t.double.addMedia(card, 'text/x-vcard', { messageSid: carded });
    await t.text(phone(), '', { messageSid: carded, media: [m] });
    expect((await tipOf(carded)).sharedLocation).toBeNull();
    await t.fetchMedia();
    expect((await tipOf(carded)).sharedLocation).toEqual({
      lat: 36.0912,
      lon: -80.2561,
      source: 'vcard',
    });
  });
});
