import { describe, expect, it } from 'vitest';
import { sendMessage, withoutNumber } from '../../../server/tips/twilioMessages';

const CFG = {
  apiUrl: 'https://api.example.test/',
  accountSid: 'AC' + 'f'.repeat(32),
  authToken: 't',
};

function answering(status: number, body: string) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchImpl = (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return Promise.resolve(new Response(body, { status }));
  };
  return { calls, fetchImpl };
}

describe('sendMessage', () => {
  it('posts the form with Basic auth to the account Messages.json', async () => {
    const { calls, fetchImpl } = answering(201, JSON.stringify({ sid: 'SM1', status: 'queued' }));
    const result = await sendMessage(
      CFG,
      { to: '+13365550142', from: '+13365550100', body: 'Hi & bye' },
      fetchImpl,
    );
    expect(result).toEqual({ ok: true, sid: 'SM1', status: 'queued' });
    expect(calls[0]!.url).toBe(
      `https://api.example.test/2010-04-01/Accounts/${CFG.accountSid}/Messages.json`,
    );
    const headers = calls[0]!.init.headers as Record<string, string>;
    expect(headers.authorization).toBe(
      `Basic ${Buffer.from(`${CFG.accountSid}:t`).toString('base64')}`,
    );
    expect(Object.fromEntries(new URLSearchParams(String(calls[0]!.init.body)))).toEqual({
      To: '+13365550142',
      From: '+13365550100',
      Body: 'Hi & bye',
    });
  });

  it('reads an error without a JSON body as a failure with the HTTP status', async () => {
    const { fetchImpl } = answering(502, '<html>Bad gateway</html>');
    expect(
      await sendMessage(CFG, { to: '+13365550142', from: '+13365550100', body: 'x' }, fetchImpl),
    ).toEqual({
      ok: false,
      status: 502,
      code: null,
      message: 'the SMS provider answered HTTP 502',
    });
  });

  it('treats a success without a sid as a failure', async () => {
    const { fetchImpl } = answering(200, '{}');
    expect(
      await sendMessage(CFG, { to: '+13365550142', from: '+13365550100', body: 'x' }, fetchImpl),
    ).toMatchObject({
      ok: false,
      status: 200,
    });
  });

  it('turns a thrown fetch into a failure naming the host', async () => {
    const result = await sendMessage(
      CFG,
      { to: '+13365550142', from: '+13365550100', body: 'x' },
      () => Promise.reject(new TypeError('fetch failed', { cause: { code: 'ENOTFOUND' } })),
    );
    expect(result).toEqual({
      ok: false,
      status: 0,
      code: null,
      message: 'could not reach the SMS provider at api.example.test: ENOTFOUND',
    });
  });
});

describe('withoutNumber', () => {
  it('removes the number however it is written', () => {
    for (const written of [
      '+13365550142',
      '13365550142',
      '3365550142',
      '(336) 555-0142',
      '+1 336-555-0142',
    ]) {
      expect(withoutNumber(`The 'To' number ${written} is not valid.`, '+13365550142')).toBe(
        "The 'To' number [recipient] is not valid.",
      );
    }
  });

  it('leaves other numbers alone', () => {
    expect(withoutNumber('Error 21610 for +13365550143', '+13365550142')).toBe(
      'Error 21610 for +13365550143',
    );
  });
});
