import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  AgencyConfigSchema,
  CaseNumberFormatSchema,
  LogoSchema,
  ShiftsSchema,
} from '../../../shared/domain/agency';

describe('agency settings for the center record', () => {
  it('takes case number formats with one counter and the known fields only', () => {
    expect(CaseNumberFormatSchema.safeParse('{yyyy}-{seq:6}').success).toBe(true);
    expect(CaseNumberFormatSchema.safeParse('RTCC-{yy}{seq:5}').success).toBe(true);
    const refused = ['{yyyy}-', '{yyyy}-{seq:0}', '{yyyy}-{seq:6}{mm}', 'case {seq:4}', '{seq}'];
    for (const format of refused) {
      expect(CaseNumberFormatSchema.safeParse(format).success, format).toBe(false);
    }
  });

  it('takes shifts with distinct names and start times', () => {
    expect(ShiftsSchema.safeParse([{ name: 'Day', start: '06:00' }]).success).toBe(true);
    const twice = ShiftsSchema.safeParse([
      { name: 'Day', start: '06:00' },
      { name: 'Night', start: '06:00' },
    ]);
    expect(twice.success).toBe(false);
    const sameName = ShiftsSchema.safeParse([
      { name: 'Day', start: '06:00' },
      { name: 'day', start: '18:00' },
    ]);
    expect(sameName.success).toBe(false);
    expect(ShiftsSchema.safeParse([]).success).toBe(false);
    expect(ShiftsSchema.safeParse([{ name: 'Day', start: '6:00' }]).success).toBe(false);
  });

  it('takes a logo only as a PNG or JPEG data URL', () => {
    expect(LogoSchema.safeParse('data:image/png;base64,iVBORw0KGgo=').success).toBe(true);
    expect(LogoSchema.safeParse('data:image/svg+xml;base64,PHN2Zz4=').success).toBe(false);
    expect(LogoSchema.safeParse('https://example.test/logo.png').success).toBe(false);
  });

  it('gives an agency configured before these settings the defaults', () => {
    const demo = JSON.parse(
      readFileSync(new URL('../../../assets/agency/winston-salem.json', import.meta.url), 'utf8'),
    ) as Record<string, unknown>;
    delete demo.shifts;
    delete demo.cases;
    delete demo.products;
    const parsed = AgencyConfigSchema.parse(demo);
    expect(parsed.shifts.map((s) => s.name)).toEqual(['Day', 'Night']);
    expect(parsed.cases.numberFormat).toBe('{yyyy}-{seq:6}');
    expect(parsed.products.classification).toBe('LAW ENFORCEMENT SENSITIVE');
  });
});
