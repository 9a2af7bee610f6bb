import { describe, expect, it } from 'vitest';
import {
  startDemoTipster,
  TIP_PLACES,
  TIPSTER_NUMBERS,
  type DemoTipsterOptions,
  type TipsterPost,
  type TipsterProvider,
} from '../../../server/demo/demoTipster';
import { loadDemoAgency } from '../../../server/demo/seedDemo';
import type { InboundSms, WebhookAnswer } from '../../../server/demo/twilioDouble';
import { pointInPolygon } from '../../../shared/geo';
import { ManualClock } from '../../../shared/time/clock';

const LINE = '+13365550100';
const WEBHOOK = 'http://127.0.0.1:1/v1/ingest/twilio/sms';

/** mulberry32: the same "random" tipsters on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A provider that records what it is asked and answers as told. */
class FakeProvider implements TipsterProvider {
  readonly inbound: InboundSms[] = [];
  readonly media: { bytes: Buffer; contentType: string }[] = [];
  answer: () => Promise<WebhookAnswer> = () =>
    Promise.resolve({ status: 200, contentType: 'text/xml', body: '<Response/>' });

  addMedia(bytes: Buffer, contentType: string) {
    this.media.push({ bytes, contentType });
    return { url: `http://127.0.0.1:1/media/${this.media.length}`, contentType };
  }

  sendInbound(msg: InboundSms): Promise<WebhookAnswer> {
    this.inbound.push(msg);
    return this.answer();
  }
}

const MEDIA = {
  photo: { bytes: Buffer.from('jpeg'), contentType: 'image/jpeg' },
  screenshot: { bytes: Buffer.from('png'), contentType: 'image/png' },
  phoneVideo: { bytes: Buffer.from('3gp'), contentType: 'video/3gpp' },
  video: { bytes: Buffer.from('mp4'), contentType: 'video/mp4' },
};

function setUp(extra: Partial<DemoTipsterOptions> = {}) {
  const clock = new ManualClock();
  const provider = new FakeProvider();
  const lines: string[] = [];
  const tipster = startDemoTipster({
    double: provider,
    webhookUrl: WEBHOOK,
    to: LINE,
    clock,
    random: seeded(7),
    media: MEDIA,
    autoTick: false,
    log: (l) => lines.push(l),
    ...extra,
  });
  return { clock, provider, lines, tipster };
}

/** Runs the tipster for `ms` of demo time, ticking each second as the app does. */
async function runFor(
  clock: ManualClock,
  tipster: { tick(): Promise<TipsterPost | null> },
  ms: number,
): Promise<{ at: number; post: TipsterPost }[]> {
  const posts: { at: number; post: TipsterPost }[] = [];
  const end = clock.now() + ms;
  while (clock.now() < end) {
    clock.advance(1_000);
    const post = await tipster.tick();
    if (post) posts.push({ at: clock.now(), post });
  }
  return posts;
}

describe('the demo tipster', () => {
  it('waits at least 20 s before the first tip, then texts every 20 to 60 s', async () => {
    const { clock, tipster } = setUp();
    const start = clock.now();
    const posts = await runFor(clock, tipster, 3_600_000);
    expect(posts[0]!.at - start).toBeGreaterThanOrEqual(20_000);
    for (let i = 1; i < posts.length; i++) {
      const gap = posts[i]!.at - posts[i - 1]!.at;
      expect(gap).toBeGreaterThanOrEqual(20_000);
      expect(gap).toBeLessThanOrEqual(61_000);
    }
    expect(posts.length).toBeGreaterThanOrEqual(59);
    expect(posts.length).toBeLessThanOrEqual(180);
  });

  it('follows a slower rate when given one', async () => {
    const { clock, tipster } = setUp({ ratePerHour: 6 });
    const posts = await runFor(clock, tipster, 3_600_000);
    // A mean gap of 10 minutes, each between 5 and 15.
    expect(posts.length).toBeGreaterThanOrEqual(4);
    expect(posts.length).toBeLessThanOrEqual(12);
  });

  it('texts the tip line from the fictional 555-01xx numbers, often in the same thread', async () => {
    const { clock, tipster, provider } = setUp();
    await runFor(clock, tipster, 3_600_000);
    const senders = provider.inbound.map((m) => m.from);
    for (const from of senders) {
      expect(from).toMatch(/^\+133655501\d\d$/);
      expect(TIPSTER_NUMBERS).toContain(from);
    }
    for (const m of provider.inbound) {
      expect(m.to).toBe(LINE);
      expect(m.webhookUrl).toBe(WEBHOOK);
    }
    // Conversations: some phone texts more than once, and a follow-up text is among them.
    expect(new Set(senders).size).toBeLessThan(senders.length);
    expect(provider.inbound.some((m) => m.body.includes('Same thing again tonight'))).toBe(true);
  });

  it('marks every text as synthetic', async () => {
    const { clock, tipster, provider } = setUp();
    await runFor(clock, tipster, 3_600_000);
    expect(provider.inbound.length).toBeGreaterThan(0);
    for (const m of provider.inbound) expect(m.body).toMatch(/^\[SYNTHETIC DEMO\] \S/);
  });

  it('attaches photos and videos now and then, through the provider media', async () => {
    const { clock, tipster, provider } = setUp();
    await runFor(clock, tipster, 3_600_000);
    const withMedia = provider.inbound.filter((m) => (m.media ?? []).length > 0);
    expect(withMedia.length).toBeGreaterThan(0);
    expect(withMedia.length).toBeLessThan(provider.inbound.length / 2);
    const types = new Set(provider.media.map((m) => m.contentType));
    expect(types).toContain('image/jpeg');
    expect(types).toContain('video/3gpp');
    for (const m of withMedia) {
      expect(m.media![0]!.url).toMatch(/^http:\/\/127\.0\.0\.1:1\/media\/\d+$/);
    }
  });

  it('sends text only when it has no media', async () => {
    const { clock, tipster, provider } = setUp({ media: undefined });
    await runFor(clock, tipster, 3_600_000);
    expect(provider.media).toHaveLength(0);
    expect(provider.inbound.every((m) => (m.media ?? []).length === 0)).toBe(true);
  });

  it('shares map links only inside the demo city', async () => {
    const agency = loadDemoAgency();
    for (const place of TIP_PLACES) {
      expect(pointInPolygon(place, agency.jurisdiction), place.name).toBe(true);
    }
    const { clock, tipster, provider } = setUp();
    await runFor(clock, tipster, 4 * 3_600_000);
    const links = provider.inbound
      .map((m) => /maps\.google\.com\/\?q=(-?[\d.]+),(-?[\d.]+)/.exec(m.body))
      .filter((m): m is RegExpExecArray => m !== null);
    expect(links.length).toBeGreaterThan(0);
    for (const [, lat, lng] of links) {
      expect(pointInPolygon({ lat: Number(lat), lng: Number(lng) }, agency.jurisdiction)).toBe(
        true,
      );
    }
  });

  it('keeps texting when the webhook answers 404 or 503, and says so once', async () => {
    const { clock, tipster, provider, lines } = setUp();
    let status = 404;
    provider.answer = () =>
      Promise.resolve({ status, contentType: 'application/json', body: '{}' });
    const first = await runFor(clock, tipster, 600_000);
    status = 503;
    const second = await runFor(clock, tipster, 600_000);
    expect(first.length).toBeGreaterThan(3);
    expect(second.length).toBeGreaterThan(3);
    expect(first.every((p) => p.post.status === 404)).toBe(true);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/answered 404/);
    expect(lines[1]).toMatch(/answered 503/);
  });

  it('keeps texting when the server cannot be reached, and says so once', async () => {
    const { clock, tipster, provider, lines } = setUp();
    provider.answer = () => Promise.reject(new TypeError('fetch failed'));
    const posts = await runFor(clock, tipster, 600_000);
    expect(posts.length).toBeGreaterThan(3);
    expect(posts.every((p) => p.post.status === null)).toBe(true);
    expect(lines).toEqual([expect.stringMatching(/could not reach the tip line webhook/)]);
  });

  it('does not post twice while a post is under way', async () => {
    const { clock, tipster, provider } = setUp();
    let release: (a: WebhookAnswer) => void = () => undefined;
    provider.answer = () => new Promise((r) => (release = r));
    clock.advance(61_000);
    const a = tipster.tick();
    clock.advance(61_000);
    const b = tipster.tick();
    expect(provider.inbound).toHaveLength(1);
    release({ status: 200, contentType: 'text/xml', body: '<Response/>' });
    expect(await a).toEqual(await b);
  });

  it('posts nothing once stopped', async () => {
    const { clock, tipster, provider } = setUp();
    tipster.stop();
    await runFor(clock, tipster, 600_000);
    expect(provider.inbound).toHaveLength(0);
  });
});
