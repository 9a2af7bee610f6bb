import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MailCatcher } from '../../../server/mail/mailCatcher';

/** The demo's mail catcher when its page's usual port is already taken on the machine. */
describe("the demo's mail catcher", () => {
  const stops: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
  });

  it('serves its inbox on another free port when the usual one is taken, and says which', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    stops.push(() => new Promise((resolve) => taken.close(resolve)));
    const port = (taken.address() as AddressInfo).port;
    const dir = await mkdtemp(join(tmpdir(), 'wf-mail-catcher-'));
    stops.push(() => rm(dir, { recursive: true, force: true }));

    const catcher = await MailCatcher.start({ dir, pagePort: port });
    stops.push(() => catcher.stop());
    const url = catcher.pageUrl!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(url).not.toContain(`:${port}/`);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
  });
});
