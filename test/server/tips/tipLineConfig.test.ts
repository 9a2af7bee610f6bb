import { describe, expect, it } from 'vitest';
import { readServerConfig } from '../../../server/config';

const ACCOUNT = `AC${'0123456789abcdef'.repeat(2)}`;
const full = {
  WF_TWILIO_ACCOUNT_SID: ACCOUNT,
  WF_TWILIO_AUTH_TOKEN: 'token',
  WF_PUBLIC_URL: 'https://rtcc.example.gov/',
};

/** The tip line's settings, read from the environment as the server reads them. */
describe('tip line configuration', () => {
  it('is off, naming what is missing, until the account, token and public URL are set', () => {
    const none = readServerConfig({});
    expect(none.smsProvider).toBeNull();
    expect(none.smsProviderMissing).toContain(
      'WF_TWILIO_ACCOUNT_SID, WF_TWILIO_AUTH_TOKEN, WF_PUBLIC_URL',
    );
    const some = readServerConfig({ WF_TWILIO_ACCOUNT_SID: ACCOUNT, WF_TWILIO_AUTH_TOKEN: 't' });
    expect(some.smsProvider).toBeNull();
    expect(some.smsProviderMissing).toMatch(/set WF_PUBLIC_URL \(/);
  });

  it('reads a full configuration, with Twilio as the default API and no trailing slash', () => {
    const c = readServerConfig({ ...full, WF_TWILIO_FROM: '+13365550100' });
    expect(c.smsProvider).toEqual({
      accountSid: ACCOUNT,
      authToken: 'token',
      publicUrl: 'https://rtcc.example.gov',
      apiUrl: 'https://api.twilio.com',
      from: '+13365550100',
      messagingServiceSid: undefined,
    });
    expect(
      readServerConfig({ ...full, WF_TWILIO_API_URL: 'http://127.0.0.1:9000/' }).smsProvider
        ?.apiUrl,
    ).toBe('http://127.0.0.1:9000');
  });

  it.each([
    [{ ...full, WF_TWILIO_ACCOUNT_SID: 'AC123' }, /WF_TWILIO_ACCOUNT_SID/],
    [{ ...full, WF_PUBLIC_URL: 'rtcc.example.gov' }, /WF_PUBLIC_URL/],
    [{ ...full, WF_PUBLIC_URL: 'https://rtcc.example.gov/?a=1' }, /WF_PUBLIC_URL/],
    [{ ...full, WF_TWILIO_API_URL: 'ftp://x' }, /WF_TWILIO_API_URL/],
    [{ WF_TIP_MEDIA_MAX_MB: '0' }, /WF_TIP_MEDIA_MAX_MB/],
  ])('refuses a malformed setting (%#)', (env, name) => {
    expect(() => readServerConfig(env)).toThrow(name);
  });

  it('sizes the media limit in megabytes and keeps the key file in the data dir', () => {
    const c = readServerConfig({ WF_TIP_MEDIA_MAX_MB: '5', WF_DATA_DIR: '/srv/wf' });
    expect(c.tipMediaMaxBytes).toBe(5 * 1024 * 1024);
    expect(c.tipKeyFile).toBe('/srv/wf/tip-key');
    expect(c.mediaDir).toBe('/srv/wf/media');
  });
});
