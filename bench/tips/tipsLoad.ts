import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { twilioSid } from '../../server/demo/twilioDouble';
import { twilioSignature } from '../../server/tips/twilioSignature';

/**
 * The provider's side of the tips benchmark, in a process of its own (as the provider is another
 * machine): posts signed webhooks open-loop at a rate and prints, as one JSON line, each
 * message's id, status and times (ms since the epoch, sub-millisecond).
 */
export interface LoadJob {
  readonly base: string;
  readonly accountSid: string;
  readonly authToken: string;
  /** Webhooks per second. */
  readonly rate: number;
  readonly count: number;
  /** Numbers are unique across jobs: each webhook is a new tipster. */
  readonly firstIndex: number;
}

export interface LoadResult {
  readonly sid: string;
  readonly status: number;
  readonly sentAt: number;
  readonly answeredAt: number;
}

const now = () => performance.timeOrigin + performance.now();
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

function prepare(job: LoadJob, i: number) {
  const sid = twilioSid('SM');
  const fields = {
    MessageSid: sid,
    AccountSid: job.accountSid,
    From: `+1336${String(2_000_000 + i).padStart(7, '0')}`,
    To: '+13365550100',
    Body: `Synthetic bench tip ${i}: a grey sedan with no plates parked by the school gate`,
    NumMedia: '0',
    SmsStatus: 'received',
    ApiVersion: '2010-04-01',
  };
  return {
    sid,
    body: new URLSearchParams(fields).toString(),
    signature: twilioSignature(job.authToken, `${job.base}/v1/ingest/twilio/sms`, fields),
  };
}

function post(base: string, w: ReturnType<typeof prepare>): Promise<LoadResult> {
  const sentAt = now();
  return new Promise((resolve) => {
    const req = request(
      `${base}/v1/ingest/twilio/sms`,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(w.body),
          'x-twilio-signature': w.signature,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({ sid: w.sid, status: res.statusCode ?? 0, sentAt, answeredAt: now() }),
        );
      },
    );
    req.on('error', () => resolve({ sid: w.sid, status: 0, sentAt, answeredAt: now() }));
    req.end(w.body);
  });
}

async function run(job: LoadJob): Promise<LoadResult[]> {
  // Signing is the provider's work: done before the clock starts.
  const prepared = Array.from({ length: job.count }, (_, i) => prepare(job, job.firstIndex + i));
  const interval = 1000 / job.rate;
  const start = performance.now();
  const inFlight: Promise<LoadResult>[] = [];
  for (let i = 0; i < job.count; i++) {
    const wait = start + i * interval - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(post(job.base, prepared[i]!));
  }
  return Promise.all(inFlight);
}

const job = JSON.parse(process.argv[2]!) as LoadJob;
run(job).then(
  (results) => {
    process.stdout.write(`${JSON.stringify(results)}\n`);
    agent.destroy();
  },
  (err: unknown) => {
    process.stderr.write(String(err));
    process.exit(1);
  },
);
