import { readFile } from 'node:fs/promises';
import { systemClock, type Clock } from '../../shared/time/clock';
import type { TipMediaSamples } from './tipMediaSamples';
import type { AddedMedia, InboundSms, WebhookAnswer } from './twilioDouble';

/**
 * The demo site's tipsters: a few synthetic phones that text the tip line through the SMS provider
 * double, so that tips arrive in the console as they would from a city (docs/tip-line.md). A real
 * city line gets a few tips an hour; the demo compresses that to one every 20 to 60 seconds. A
 * tipster often writes again in the same conversation, sometimes with a photo, a short video or a
 * maps link inside the demo city. Every text says it is synthetic.
 *
 * No timer decides anything: `tick()` posts when the next tip is due by the clock, and
 * `startDemoTipster` calls it every second unless told not to (tests drive it with a ManualClock).
 */

/** What the tipster needs of the provider double. */
export interface TipsterProvider {
  addMedia(bytes: Buffer, contentType: string): Pick<AddedMedia, 'url' | 'contentType'>;
  sendInbound(msg: InboundSms): Promise<WebhookAnswer>;
}

export type TipsterMediaKind = 'photo' | 'screenshot' | 'phoneVideo' | 'video';

export interface TipsterMedium {
  readonly bytes: Buffer;
  readonly contentType: string;
}

export type TipsterMedia = Readonly<Partial<Record<TipsterMediaKind, TipsterMedium>>>;

export interface DemoTipsterOptions {
  readonly double: TipsterProvider;
  readonly webhookUrl: string;
  /** The URL the signature covers, when the server's public URL differs from `webhookUrl`. */
  readonly signUrl?: string;
  /** The tip line's number. */
  readonly to: string;
  readonly clock?: Clock;
  /** Tips per hour on average; 90 by default (one every 20 to 60 s). */
  readonly ratePerHour?: number;
  /** A number in [0, 1); Math.random by default. */
  readonly random?: () => number;
  /** Attachments to send now and then; without them the tips are text only. */
  readonly media?: TipsterMedia;
  /** Call tick() every second (true by default); tests pass false and tick themselves. */
  readonly autoTick?: boolean;
  /** Where the tipster says what goes wrong (once per kind of answer). */
  readonly log?: (line: string) => void;
}

export interface TipsterPost {
  readonly from: string;
  readonly body: string;
  readonly media: readonly TipsterMediaKind[];
  /** The webhook's HTTP status, or null when it could not be reached. */
  readonly status: number | null;
}

export interface DemoTipster {
  /** Posts the next tip if it is due; resolves with what was posted, or null. */
  tick(): Promise<TipsterPost | null>;
  stop(): void;
}

/** Places inside the demo city (assets/agency/winston-salem.json) that tips mention. */
export const TIP_PLACES: readonly {
  readonly name: string;
  readonly lat: number;
  readonly lng: number;
}[] = [
  { name: 'W 4th St and N Trade St', lat: 36.0987, lng: -80.2459 },
  { name: 'the Hanes Mall Blvd parking deck', lat: 36.0672, lng: -80.3089 },
  { name: 'Waughtown St near Sprague St', lat: 36.0735, lng: -80.2168 },
  { name: 'Peters Creek Pkwy by the car wash', lat: 36.0655, lng: -80.2605 },
  { name: 'Stratford Rd and Knollwood St', lat: 36.0905, lng: -80.2935 },
  { name: 'University Pkwy by the bus stop', lat: 36.1505, lng: -80.2505 },
  { name: 'the Old Salem visitor lot', lat: 36.0855, lng: -80.241 },
  { name: 'Reynolda Rd near the shopping center', lat: 36.1285, lng: -80.2845 },
  { name: 'Patterson Ave and 25th St', lat: 36.1205, lng: -80.2385 },
  { name: 'Silas Creek Pkwy by the park entrance', lat: 36.1001, lng: -80.2957 },
];

/** The demo tipsters' phones: fictional 555-01xx numbers in the city's area code. */
export const TIPSTER_NUMBERS: readonly string[] = Array.from(
  { length: 16 },
  (_, i) => `+1336555${String(101 + i * 5).padStart(4, '0')}`,
);

const MARK = '[SYNTHETIC DEMO]';

interface Step {
  readonly text: (place: string, link: string) => string;
  readonly media?: TipsterMediaKind;
}

/** Conversations a tip line sees: a first text, then what the tipster adds later. */
const SCRIPTS: readonly (readonly Step[])[] = [
  [
    {
      text: (p) =>
        `Cars pull up at the house on ${p}, somebody walks out, 2 min later they leave. All day. Pretty sure they are selling.`,
    },
    { text: () => 'Same thing again tonight, a silver SUV just left.' },
    { text: () => 'Took a picture from my window', media: 'photo' },
  ],
  [
    {
      text: (p) =>
        `Dark blue Honda Accord with no front plate and the back window taped up, doing donuts at ${p}.`,
      media: 'photo',
    },
    { text: () => 'It has a dent on the driver door. Went north.' },
  ],
  [
    {
      text: (p) =>
        `I think the man on the wanted poster is at the gas station on ${p} right now. Red hoodie, white shoes.`,
    },
    { text: (_p, link) => `This is where he is ${link}` },
    { text: () => 'He got in a gray pickup and left' },
  ],
  [{ text: (p) => `New graffiti on the wall at ${p}, looks like gang tags.`, media: 'screenshot' }],
  [
    {
      text: (p) => `Got this video of the break-in at ${p} last night`,
      media: 'phoneVideo',
    },
    { text: () => 'Two of them, they ran toward the creek. I dont want to give my name' },
  ],
  [{ text: (p) => `Street racing on ${p} again, video attached`, media: 'video' }],
  [
    { text: (_p, link) => `Car with the windows smashed has been sitting here for 3 days ${link}` },
    { text: () => 'Nobody has come for it. The plate is from out of state' },
  ],
  [
    { text: (p) => `Kids are selling vapes out of a backpack behind the store on ${p}.` },
    { text: () => 'They come every day after school around 3:30' },
  ],
  [{ text: (p) => `Somebody keeps breaking into the mailboxes at ${p}, it happened again.` }],
];

function mapsLink(place: { lat: number; lng: number }, random: () => number): string {
  // Within about 200 m of the place: the phone's fix, not the landmark itself.
  const lat = place.lat + (random() - 0.5) * 0.004;
  const lng = place.lng + (random() - 0.5) * 0.004;
  return `https://maps.google.com/?q=${lat.toFixed(5)},${lng.toFixed(5)}`;
}

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.min(items.length - 1, Math.floor(random() * items.length))]!;
}

interface Thread {
  readonly from: string;
  readonly script: readonly Step[];
  readonly place: (typeof TIP_PLACES)[number];
  next: number;
}

/** Chance that the next tip continues an open conversation rather than starting one. */
const FOLLOW_UP_CHANCE = 0.4;

export function startDemoTipster(options: DemoTipsterOptions): DemoTipster {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const log = options.log ?? (() => undefined);
  const meanMs = 3_600_000 / (options.ratePerHour ?? 90);
  const gap = () => Math.round(meanMs * (0.5 + random()));
  const open: Thread[] = [];
  const reported = new Set<string>();
  let nextAt = clock.now() + gap();
  let inFlight: Promise<TipsterPost | null> | null = null;
  let stopped = false;

  function reportOnce(kind: string, line: string): void {
    if (reported.has(kind)) return;
    reported.add(kind);
    log(line);
  }

  function nextMessage(): { thread: Thread; step: Step } {
    const continuing = open.length > 0 && random() < FOLLOW_UP_CHANCE;
    let thread: Thread;
    if (continuing) {
      thread = pick(open, random);
    } else {
      const busy = new Set(open.map((t) => t.from));
      const free = TIPSTER_NUMBERS.filter((n) => !busy.has(n));
      thread = {
        from: pick(free.length > 0 ? free : TIPSTER_NUMBERS, random),
        script: pick(SCRIPTS, random),
        place: pick(TIP_PLACES, random),
        next: 0,
      };
      open.push(thread);
    }
    const step = thread.script[thread.next]!;
    thread.next += 1;
    if (thread.next >= thread.script.length) open.splice(open.indexOf(thread), 1);
    return { thread, step };
  }

  async function post(): Promise<TipsterPost> {
    const { thread, step } = nextMessage();
    const body = `${MARK} ${step.text(thread.place.name, mapsLink(thread.place, random))}`;
    const medium = step.media ? options.media?.[step.media] : undefined;
    const media = medium ? [options.double.addMedia(medium.bytes, medium.contentType)] : [];
    const sent: Omit<TipsterPost, 'status'> = {
      from: thread.from,
      body,
      media: medium && step.media ? [step.media] : [],
    };
    try {
      const answer = await options.double.sendInbound({
        webhookUrl: options.webhookUrl,
        signUrl: options.signUrl,
        from: thread.from,
        to: options.to,
        body,
        media: media.map((m) => ({ url: m.url, contentType: m.contentType })),
      });
      if (answer.status < 200 || answer.status >= 300) {
        reportOnce(
          `status ${answer.status}`,
          `the tip line webhook ${options.webhookUrl} answered ${answer.status}; the demo tipster keeps texting`,
        );
      }
      return { ...sent, status: answer.status };
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      reportOnce(
        'unreachable',
        `could not reach the tip line webhook ${options.webhookUrl} (${why}); the demo tipster keeps texting`,
      );
      return { ...sent, status: null };
    }
  }

  function tick(): Promise<TipsterPost | null> {
    if (inFlight) return inFlight;
    const now = clock.now();
    if (stopped || now < nextAt) return Promise.resolve(null);
    // Counted from now, not from when it was due: after a pause the tips do not come in a burst.
    nextAt = now + gap();
    inFlight = post().finally(() => {
      inFlight = null;
    });
    return inFlight;
  }

  const timer = options.autoTick === false ? null : setInterval(() => void tick(), 1_000);
  timer?.unref();
  return {
    tick,
    stop() {
      stopped = true;
      if (timer) clearInterval(timer);
    },
  };
}

/** The samples' bytes, read once for the tipster to attach. */
export async function loadTipsterMedia(samples: TipMediaSamples): Promise<TipsterMedia> {
  const entries = await Promise.all(
    (Object.keys(samples) as TipsterMediaKind[]).map(
      async (kind) =>
        [
          kind,
          { bytes: await readFile(samples[kind].path), contentType: samples[kind].contentType },
        ] as const,
    ),
  );
  return Object.fromEntries(entries);
}
