import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readServerConfig } from '../../../server/config';

/** The audit settings as a service manager passes them: environment strings. */
describe('audit settings from the environment', () => {
  it('defaults to a key and an anchor in the data dir and a checkpoint every 15 minutes', () => {
    const config = readServerConfig({ WF_DATA_DIR: '/srv/wf' });
    expect(config.auditSigningKey).toBe(join('/srv/wf', 'audit-signing-key.pem'));
    expect(config.auditAnchorFile).toBe(join('/srv/wf', 'audit-anchor.json'));
    expect(config.auditCheckpointMinutes).toBe(15);
  });

  it('takes a key path and an interval', () => {
    const config = readServerConfig({
      WF_AUDIT_SIGNING_KEY: 'keys/audit.pem',
      WF_AUDIT_CHECKPOINT_MINUTES: '5',
    });
    expect(config.auditSigningKey).toBe(resolve('keys/audit.pem'));
    expect(config.auditCheckpointMinutes).toBe(5);
    expect(readServerConfig({ WF_AUDIT_CHECKPOINT_MINUTES: '1440' }).auditCheckpointMinutes).toBe(
      1440,
    );
  });

  it.each(['0', '-5', '1.5', 'hourly', '1441'])('refuses an interval of "%s"', (raw) => {
    expect(() => readServerConfig({ WF_AUDIT_CHECKPOINT_MINUTES: raw })).toThrow(
      /WF_AUDIT_CHECKPOINT_MINUTES/,
    );
  });
});
