import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { isStaffed } from '../../../server/tips/tipLineHours';
import {
  keywordOf,
  locationInText,
  locationInVCard,
  parseInbound,
  twiml,
} from '../../../server/tips/inboundMessage';
import { parseTipKey, tipSecrets } from '../../../server/tips/tipSecrets';
import { DEFAULT_TIP_LINE, TipLineSettingsSchema } from '../../../shared/domain/tips';

const NY = 'America/New_York';
const weekdays = { ...DEFAULT_TIP_LINE, holidays: ['2026-12-25'] };

describe('staffed hours', () => {
  it('reads the weekly windows in the agency zone, across daylight saving', () => {
    // 08:00 in New York is 13:00Z in winter and 12:00Z in summer.
    expect(isStaffed(weekdays, NY, new Date('2026-12-01T12:59:00Z'))).toBe(false);
    expect(isStaffed(weekdays, NY, new Date('2026-12-01T13:00:00Z'))).toBe(true);
    expect(isStaffed(weekdays, NY, new Date('2026-07-01T12:00:00Z'))).toBe(true);
    // The window's end is not inside it.
    expect(isStaffed(weekdays, NY, new Date('2026-12-01T22:00:00Z'))).toBe(false);
    expect(isStaffed(weekdays, NY, new Date('2026-12-01T21:59:00Z'))).toBe(true);
    // Saturday, and a holiday on a Friday.
    expect(isStaffed(weekdays, NY, new Date('2026-12-05T15:00:00Z'))).toBe(false);
    expect(isStaffed(weekdays, NY, new Date('2026-12-25T15:00:00Z'))).toBe(false);
  });

  it('takes the weekday and the holiday in the zone, not in UTC, and runs windows past midnight', () => {
    // Monday 01:00Z is still Sunday evening in New York.
    const sundayEvenings = {
      ...weekdays,
      staffed: [{ days: ['sun' as const], start: '18:00', end: '02:00' }],
      holidays: ['2026-11-30'],
    };
    expect(isStaffed(sundayEvenings, NY, new Date('2026-11-30T01:00:00Z'))).toBe(true);
    // 01:30 Monday in New York: still the Sunday window, but the Monday is a holiday.
    expect(isStaffed(sundayEvenings, NY, new Date('2026-11-30T06:30:00Z'))).toBe(false);
    expect(
      isStaffed({ ...sundayEvenings, holidays: [] }, NY, new Date('2026-11-30T06:30:00Z')),
    ).toBe(true);
    expect(isStaffed(sundayEvenings, NY, new Date('2026-11-30T08:00:00Z'))).toBe(false);
  });

  it('refuses days and times that are not days and times', () => {
    for (const staffed of [
      [{ days: ['monday'], start: '08:00', end: '09:00' }],
      [{ days: [], start: '08:00', end: '09:00' }],
      [{ days: ['mon'], start: '8:00', end: '09:00' }],
      [{ days: ['mon'], start: '08:00', end: '24:01' }],
    ]) {
      expect(TipLineSettingsSchema.safeParse({ ...weekdays, staffed }).success).toBe(false);
    }
    expect(TipLineSettingsSchema.safeParse({ ...weekdays, holidays: ['25/12/2026'] }).success).toBe(
      false,
    );
  });
});

describe('inbound messages', () => {
  const base = {
    MessageSid: `SM${'a'.repeat(32)}`,
    AccountSid: `AC${'b'.repeat(32)}`,
    From: '+13365551234',
    Body: 'hello',
  };

  it('reads the fields it needs, in order, and ignores the rest', () => {
    const m = parseInbound({
      ...base,
      NumMedia: '2',
      MediaUrl0: 'https://api.twilio.com/a',
      MediaContentType0: 'image/JPEG; charset=binary',
      MediaUrl1: 'https://api.twilio.com/b',
      MediaContentType1: 'video/3gpp',
      FromCity: 'WINSTON-SALEM',
      Whatever: 'x',
    });
    expect(m).toEqual({
      messageSid: base.MessageSid,
      accountSid: base.AccountSid,
      from: '+13365551234',
      body: 'hello',
      media: [
        { url: 'https://api.twilio.com/a', contentType: 'image/jpeg' },
        { url: 'https://api.twilio.com/b', contentType: 'video/3gpp' },
      ],
    });
  });

  it.each([
    [{ ...base, MessageSid: undefined }, /MessageSid/],
    [{ ...base, AccountSid: undefined }, /AccountSid/],
    [{ ...base, From: 'not a number!' }, /From/],
    [{ ...base, Body: 'x'.repeat(5_001) }, /Body/],
    [{ ...base, NumMedia: '11' }, /NumMedia/],
    [{ ...base, NumMedia: '-1' }, /NumMedia/],
    [
      { ...base, NumMedia: '1', MediaUrl0: 'file:///etc/passwd', MediaContentType0: 'image/jpeg' },
      /MediaUrl0/,
    ],
    [{ ...base, NumMedia: '1', MediaUrl0: 'https://x/y' }, /MediaContentType0/],
  ])('refuses a malformed field with its name (%#)', (fields, field) => {
    const clean = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
    expect(() => parseInbound(clean as Record<string, string>)).toThrow(field);
  });

  it('knows the carrier keywords and nothing that merely contains them', () => {
    expect(['STOP', ' stop ', 'Unsubscribe', 'quit.', 'STOPALL'].map(keywordOf)).toEqual(
      Array(5).fill('stop'),
    );
    expect(['START', 'unstop', 'Yes'].map(keywordOf)).toEqual(['start', 'start', 'start']);
    expect(keywordOf('help')).toBe('help');
    expect(keywordOf('please stop the dealers on 5th')).toBeNull();
    expect(keywordOf('')).toBeNull();
  });

  it('finds a place in maps links and location cards, and nothing in plain numbers', () => {
    expect(locationInText('at https://www.google.com/maps/@36.0951,-80.2442,17z')).toEqual({
      lat: 36.0951,
      lon: -80.2442,
    });
    expect(locationInText('https://maps.apple.com/?ll=36.1%2C-80.25&q=Dropped%20Pin')).toEqual({
      lat: 36.1,
      lon: -80.25,
    });
    expect(locationInText('geo:36.1,-80.2')).toEqual({ lat: 36.1, lon: -80.2 });
    expect(locationInText('he has 36,000 dollars and 80 bags')).toBeNull();
    expect(locationInText('geo:99.1,-80.2')).toBeNull();
    expect(locationInVCard('BEGIN:VCARD\nVERSION:4.0\nGEO:geo:36.09,-80.26\nEND:VCARD')).toEqual({
      lat: 36.09,
      lon: -80.26,
    });
    expect(locationInVCard('not a card geo:36.09,-80.26')).toBeNull();
  });

  it('answers TwiML with the text escaped', () => {
    expect(twiml(null)).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    expect(twiml('Call 911 & <stay> safe\u0001')).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Message>Call 911 &amp; &lt;stay&gt; safe</Message></Response>',
    );
  });
});

describe('tipster anonymity keys', () => {
  const key = randomBytes(32);
  const s = tipSecrets(key);

  it('seals a number so that only the key opens it, differently every time', () => {
    const a = s.seal('+13365551234');
    const b = s.seal('+13365551234');
    expect(a).not.toBe(b);
    expect(a).not.toContain('3365551234');
    expect(s.open(a)).toBe('+13365551234');
    expect(() => tipSecrets(randomBytes(32)).open(a)).toThrow();
    const [v, iv, ct, tag] = a.split('.');
    const flipped = Buffer.from(ct!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => s.open([v, iv, flipped.toString('base64url'), tag].join('.'))).toThrow();
  });

  it('keys a number the same way whatever its punctuation, and differently under another key', () => {
    expect(s.numberKey('+1 (336) 555-1234')).toBe(s.numberKey('+13365551234'));
    expect(s.numberKey('+13365551234')).not.toBe(s.numberKey('+13365551235'));
    expect(tipSecrets(randomBytes(32)).numberKey('+13365551234')).not.toBe(
      s.numberKey('+13365551234'),
    );
    expect(s.alias(s.numberKey('+13365551234'), 4)).toMatch(/^[34679ACDEFGHJKMNPQRTWXY]{4}$/);
  });

  it('takes WF_TIP_KEY as hex or base64 of 32 bytes only', () => {
    expect(parseTipKey(key.toString('hex'))).toEqual(key);
    expect(parseTipKey(key.toString('base64'))).toEqual(key);
    expect(() => parseTipKey('short')).toThrow(/32 bytes/);
  });
});
