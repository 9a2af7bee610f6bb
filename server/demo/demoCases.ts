import type { ServerContext } from '../context';
import type { Principal } from '../auth/principal';
import { addCaseNote, createCase } from '../cases/caseChanges';
import type { CasePriority, CaseType } from '../../shared/domain/cases';
import { formatIsoDate, zonedDateTime } from '../../shared/time/zonedTime';
import { getAgency } from '../agency/agencyRepository';

/**
 * A few open cases for the demo site, so that the Cases panel, the workload view and the working
 * case have something to show on a fresh start. Synthetic, and their titles say so; opened by the
 * demo lieutenant and assigned to the demo analyst, through the same changes a lieutenant makes.
 */
interface DemoCase {
  readonly title: string;
  readonly type: CaseType;
  readonly priority: CasePriority;
  readonly lead: string;
  /** Days from today (agency zone) to the due date; negative is overdue. */
  readonly dueInDays: number;
  readonly note: string;
}

const DEMO_CASES: readonly DemoCase[] = [
  {
    title: '[SYNTHETIC DEMO] Armed robbery, convenience store, Cherry St',
    type: 'robbery',
    priority: 'high',
    lead: 'Det. M. Alvarez',
    dueInDays: 2,
    note: 'Suspect left northbound on foot. Pull footage from the block and the bus stop.',
  },
  {
    title: '[SYNTHETIC DEMO] Vehicle break-ins, parking deck, 4th St',
    type: 'theft',
    priority: 'normal',
    lead: 'Det. K. Osei',
    dueInDays: 7,
    note: 'Six vehicles over three nights, between 01:00 and 04:00.',
  },
  {
    title: '[SYNTHETIC DEMO] Missing person, last seen near the transit center',
    type: 'missing_person',
    priority: 'high',
    lead: 'Sgt. L. Brooks',
    dueInDays: -1,
    note: 'Last seen 18:40 wearing a yellow rain jacket.',
  },
];

/** The agency's date some days from now, as YYYY-MM-DD. */
const agencyDate = (now: number, timeZone: string, days: number): string =>
  formatIsoDate(zonedDateTime(now + days * 86_400_000, timeZone));

export async function seedDemoCases(
  ctx: ServerContext,
  lieutenant: Principal,
  analystId: string,
): Promise<number> {
  const { timeZone } = await getAgency(ctx.store);
  const now = ctx.clock.now();
  for (const c of DEMO_CASES) {
    const made = await createCase(
      ctx,
      {
        title: c.title,
        type: c.type,
        priority: c.priority,
        leadInvestigator: c.lead,
        analystIds: [analystId],
        dueDate: agencyDate(now, timeZone, c.dueInDays),
      },
      lieutenant,
    );
    await addCaseNote(ctx, made.number, `${c.note} [SYNTHETIC DEMO]`, lieutenant);
  }
  return DEMO_CASES.length;
}
