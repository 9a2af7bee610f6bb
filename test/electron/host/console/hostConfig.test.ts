import { describe, expect, it } from 'vitest';
import { readHostConfig } from '../../../../electron/host/console/hostConfig';

describe('console settings from the environment', () => {
  it.each([
    ['', true],
    ['1', true],
    ['on', true],
    ['ON', true],
    ['Yes', true],
    ['true', true],
    ['0', false],
    ['off', false],
    ['OFF', false],
    ['Off', false],
    [' no ', false],
    ['FALSE', false],
  ])('reads WF_CONSOLE_TLS=%j as %s', (raw, tls) => {
    expect(readHostConfig({ WF_CONSOLE_TLS: raw }).WF_CONSOLE_TLS).toBe(tls);
  });

  it('refuses a WF_CONSOLE_TLS it cannot read, naming the setting', () => {
    for (const raw of ['disabled', 'of', '2', 'tls']) {
      expect(() => readHostConfig({ WF_CONSOLE_TLS: raw }), raw).toThrow(/WF_CONSOLE_TLS/);
    }
  });

  it('reads WF_WALL_PLAYS_WHEN_LOCKED by the same rule', () => {
    expect(readHostConfig({}).WF_WALL_PLAYS_WHEN_LOCKED).toBe(false);
    expect(readHostConfig({ WF_WALL_PLAYS_WHEN_LOCKED: 'YES' }).WF_WALL_PLAYS_WHEN_LOCKED).toBe(
      true,
    );
  });

  it('refuses an idle lock above 30 minutes', () => {
    expect(readHostConfig({ WF_IDLE_LOCK_MINUTES: '15' }).WF_IDLE_LOCK_MINUTES).toBe(15);
    expect(() => readHostConfig({ WF_IDLE_LOCK_MINUTES: '31' })).toThrow(
      /WF_IDLE_LOCK_MINUTES is at most 30/,
    );
  });
});
