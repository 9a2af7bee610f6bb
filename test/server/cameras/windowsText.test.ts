import { describe, expect, it } from 'vitest';
import { formatWindowsText, parseWindowsText } from '../../../server/cameras/windowsText';

describe('schedule windows as a spreadsheet cell', () => {
  it('reads days, lists, ranges (wrapping past Sunday) and daily', () => {
    expect(parseWindowsText('mon-fri 08:00-18:00; Sat,Sun 10:00-14:00')).toEqual([
      { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '18:00' },
      { days: ['sat', 'sun'], start: '10:00', end: '14:00' },
    ]);
    expect(parseWindowsText('fri-mon 22:00-6:00')).toEqual([
      { days: ['fri', 'sat', 'sun', 'mon'], start: '22:00', end: '06:00' },
    ]);
    expect(parseWindowsText('daily 00:00-00:00;')).toEqual([
      { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '00:00', end: '00:00' },
    ]);
    expect(parseWindowsText('')).toEqual([]);
  });

  it('says what is wrong with a cell it cannot read', () => {
    expect(parseWindowsText('weekdays 08:00-18:00')).toMatch(/"weekdays" is not a day/);
    expect(parseWindowsText('mon 8-18')).toMatch(/is not "days HH:MM-HH:MM"/);
    expect(parseWindowsText('mon-tue-wed 08:00-09:00')).toMatch(/not a day or a range/);
  });

  it('writes what it reads', () => {
    const cells = [
      'mon-fri 08:00-18:00; sat,sun 10:00-14:00',
      'daily 00:00-00:00',
      'mon,wed 01:00-02:00',
    ];
    for (const cell of cells) {
      const windows = parseWindowsText(cell);
      if (typeof windows === 'string') throw new Error(windows);
      expect(formatWindowsText(windows)).toBe(cell);
    }
    const wrapped = parseWindowsText('fri-mon 22:00-06:00');
    if (typeof wrapped === 'string') throw new Error(wrapped);
    expect(formatWindowsText(wrapped)).toBe('mon,fri-sun 22:00-06:00');
  });
});
