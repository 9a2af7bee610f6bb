import { describe, expect, it } from 'vitest';
import { readServerConfig } from '../../server/config';

/** Settings as an administrator writes them: environment strings. */
describe('server settings from the environment', () => {
  it('ends idle sessions after 30 minutes unless told fewer', () => {
    expect(readServerConfig({}).sessionIdleMinutes).toBe(30);
    expect(readServerConfig({ WF_SESSION_IDLE_MINUTES: '' }).sessionIdleMinutes).toBe(30);
    expect(readServerConfig({ WF_SESSION_IDLE_MINUTES: '30' }).sessionIdleMinutes).toBe(30);
    expect(readServerConfig({ WF_SESSION_IDLE_MINUTES: '10' }).sessionIdleMinutes).toBe(10);
    expect(readServerConfig({ WF_SESSION_IDLE_MINUTES: '1' }).sessionIdleMinutes).toBe(1);
  });

  it('refuses an idle limit above 30 minutes (CJIS 5.5.5) instead of lowering it in silence', () => {
    for (const raw of ['31', '45', '600']) {
      expect(() => readServerConfig({ WF_SESSION_IDLE_MINUTES: raw }), raw).toThrow(
        `WF_SESSION_IDLE_MINUTES is at most 30 (CJIS 5.5.5), got ${raw}`,
      );
    }
  });

  it('refuses an idle limit that is not a positive whole number of minutes', () => {
    for (const raw of ['0', '-5', '2.5', 'thirty', '1e1x']) {
      expect(() => readServerConfig({ WF_SESSION_IDLE_MINUTES: raw }), raw).toThrow(
        `WF_SESSION_IDLE_MINUTES must be a positive integer, got "${raw}"`,
      );
    }
  });

  it('reads the port, refusing one no socket can have', () => {
    expect(readServerConfig({ WF_SERVER_PORT: '7500' }).port).toBe(7500);
    expect(() => readServerConfig({ WF_SERVER_PORT: '70000' })).toThrow(/at most 65535/);
    expect(() => readServerConfig({ WF_SERVER_PORT: 'http' })).toThrow(/positive integer/);
  });
});
