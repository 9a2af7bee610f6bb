import type { Queryable } from '../store/store';
import { getAgency } from '../agency/agencyRepository';
import { caseYearOf, formatCaseNumber } from '../../shared/domain/cases';
import { nextCaseSequence } from './caseRepository';

export interface IssuedCaseNumber {
  readonly number: string;
  /** The year it counts in, in the agency's time zone. */
  readonly year: number;
  readonly seq: number;
}

/**
 * Issues the next case number in the agency's format (agency configuration `cases.numberFormat`)
 * for a case opened at `at`. Call it inside the change that keeps the number (a new case, an
 * approved online report): the counter moves with that transaction, so numbers never collide and
 * a change that rolls back gives its number back.
 */
export async function issueCaseNumber(tx: Queryable, at: Date): Promise<IssuedCaseNumber> {
  const agency = await getAgency(tx);
  const year = caseYearOf(at.getTime(), agency.timeZone);
  const seq = await nextCaseSequence(tx, year);
  return { number: formatCaseNumber(agency.cases.numberFormat, year, seq), year, seq };
}
