/**
 * A case number from the agency's format (CaseNumberFormatSchema): `{yyyy}` the year, `{yy}` its
 * last two digits, `{seq:N}` the year's counter padded to N digits; other characters as written.
 */
export function formatCaseNumber(format: string, year: number, seq: number): string {
  return format
    .replace(/\{yyyy\}/g, String(year).padStart(4, '0'))
    .replace(/\{yy\}/g, String(year % 100).padStart(2, '0'))
    .replace(/\{seq:([1-9])\}/g, (_m, n: string) => String(seq).padStart(Number(n), '0'));
}
