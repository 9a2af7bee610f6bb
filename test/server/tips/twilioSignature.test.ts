import { describe, expect, it } from 'vitest';
import { isValidTwilioSignature, twilioSignature } from '../../../server/tips/twilioSignature';

// The published example: Twilio's webhook security documentation and the request-validator tests
// of Twilio's helper libraries sign this URL and these parameters with the auth token `12345`.
const TOKEN = '12345';
const URL = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const PARAMS = {
  CallSid: 'CA1234567890ABCDE',
  Caller: '+14158675309',
  Digits: '1234',
  From: '+14158675309',
  To: '+18005551212',
} as const;
const EXPECTED = 'RSOYDt4T1cUTdK1PDd93/VVr8B8=';

describe('twilioSignature', () => {
  it("gives the published signature of the documentation's example", () => {
    expect(twilioSignature(TOKEN, URL, PARAMS)).toBe(EXPECTED);
  });

  it('gives the older documentation example (other caller number) its published value', () => {
    const params = { ...PARAMS, Caller: '+12349013030', From: '+12349013030' };
    expect(twilioSignature(TOKEN, URL, params)).toBe('0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
  });

  it('does not depend on the order the parameters arrive in', () => {
    const reversed = Object.fromEntries(Object.entries(PARAMS).reverse());
    expect(twilioSignature(TOKEN, URL, reversed)).toBe(EXPECTED);
  });

  it("signs a repeated name's values sorted, each after the name (published vector)", () => {
    const params = { Sid: 'CA123', SidAccount: 'AC123', Digits: ['5678', '1234'] };
    expect(twilioSignature(TOKEN, URL, params)).toBe('IK+Dwps556ElfBT0I3Rgjkr1wJU=');
  });

  it('signs the URL with a port as written (published vectors)', () => {
    expect(twilioSignature(TOKEN, URL.replace('.com', '.com:443'), PARAMS)).toBe(
      'kvajT1Ptam85bY51eRf/AJRuM3w=',
    );
    const http = URL.replace('https', 'http');
    expect(twilioSignature(TOKEN, http.replace('.com', '.com:80'), PARAMS)).toBe(
      '0ZXoZLH/DfblKGATFgpif+LLRf4=',
    );
  });
});

describe('isValidTwilioSignature', () => {
  it('accepts the published example', () => {
    expect(isValidTwilioSignature(TOKEN, URL, PARAMS, EXPECTED)).toBe(true);
  });

  it('accepts a signature over the URL with the default port written out, and the reverse', () => {
    expect(isValidTwilioSignature(TOKEN, URL, PARAMS, 'kvajT1Ptam85bY51eRf/AJRuM3w=')).toBe(true);
    expect(isValidTwilioSignature(TOKEN, URL.replace('.com', '.com:443'), PARAMS, EXPECTED)).toBe(
      true,
    );
    const http = URL.replace('https', 'http');
    expect(isValidTwilioSignature(TOKEN, http, PARAMS, '0ZXoZLH/DfblKGATFgpif+LLRf4=')).toBe(true);
  });

  it('refuses a port other than the default', () => {
    expect(isValidTwilioSignature(TOKEN, URL.replace('.com', '.com:8443'), PARAMS, EXPECTED)).toBe(
      false,
    );
  });

  it('refuses one changed parameter', () => {
    expect(isValidTwilioSignature(TOKEN, URL, { ...PARAMS, Digits: '1235' }, EXPECTED)).toBe(false);
  });

  it('refuses an added or a removed parameter', () => {
    expect(isValidTwilioSignature(TOKEN, URL, { ...PARAMS, Body: '' }, EXPECTED)).toBe(false);
    const { Digits: _dropped, ...fewer } = PARAMS;
    expect(isValidTwilioSignature(TOKEN, URL, fewer, EXPECTED)).toBe(false);
  });

  it("signs names and values as one string, as Twilio's scheme does", () => {
    // No separator between a name and its value: `Digits`+`1234` signs like `Digit`+`s1234`. What
    // keeps a forged field out is that the route reads only the names Twilio sends.
    const { Digits: _d, ...rest } = PARAMS;
    expect(isValidTwilioSignature(TOKEN, URL, { ...rest, Digit: 's1234' }, EXPECTED)).toBe(true);
    expect(isValidTwilioSignature(TOKEN, URL, { ...rest, Digits: '12345' }, EXPECTED)).toBe(false);
  });

  it('refuses a changed URL', () => {
    expect(isValidTwilioSignature(TOKEN, URL.replace('foo=1', 'foo=2'), PARAMS, EXPECTED)).toBe(
      false,
    );
    expect(isValidTwilioSignature(TOKEN, URL.replace('https', 'http'), PARAMS, EXPECTED)).toBe(
      false,
    );
  });

  it('refuses the wrong token, and an empty token', () => {
    expect(isValidTwilioSignature('54321', URL, PARAMS, EXPECTED)).toBe(false);
    expect(isValidTwilioSignature('', URL, PARAMS, twilioSignature('', URL, PARAMS))).toBe(false);
  });

  it('refuses a missing, empty or garbled header', () => {
    expect(isValidTwilioSignature(TOKEN, URL, PARAMS, undefined)).toBe(false);
    expect(isValidTwilioSignature(TOKEN, URL, PARAMS, '')).toBe(false);
    expect(isValidTwilioSignature(TOKEN, URL, PARAMS, 'not base64 at all \u0000')).toBe(false);
    expect(isValidTwilioSignature(TOKEN, URL, PARAMS, `${EXPECTED} `)).toBe(false);
    expect(isValidTwilioSignature(TOKEN, URL, PARAMS, EXPECTED.toLowerCase())).toBe(false);
    expect(isValidTwilioSignature(TOKEN, URL, PARAMS, 'é'.repeat(28))).toBe(false);
  });
});
