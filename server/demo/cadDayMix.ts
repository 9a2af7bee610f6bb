/**
 * One day of a real city's 911 calls, reduced to what the demo replay needs: which calls come in
 * (call type and how many), when (calls per hour) and how long officers stay on scene.
 *
 * Source: the Seattle Police Department's "911 Incident Response" open data (data.seattle.gov),
 * the 706 CAD events cleared on 25 March 2016, kept with its provenance under
 * test/fixtures/seattle-911/. test/server/demo/cadDayMix.test.ts derives every number below from
 * that file again, so the table cannot drift from its source. Nothing reads the file at run time.
 *
 * - `count` and `onScene` per call type: rows by their initial type group (what the caller
 *   reported, as a CAD types a call when it comes in), and how many of them have an at-scene time.
 * - `CALLS_BY_HOUR`: rows by the hour of their clearance time, the only time every row has.
 * - `ON_SCENE_MINUTES`: from the at-scene time to the clearance time, over the 271 rows with both.
 *
 * The published data has no priority. `priorities` is this table's own assumption: the share of
 * each priority a CAD commonly gives the call type (1 is the most urgent), in percent.
 */

export interface CadCallType {
  /** The source's initial type group, as published. */
  readonly group: string;
  /** The demo CAD's call type code and text. */
  readonly code: string;
  readonly text: string;
  /** Calls of this type in the day. */
  readonly count: number;
  /** Of those, how many had an officer on scene. */
  readonly onScene: number;
  /** Priority -> percent of this type's calls (assumed; sums to 100). */
  readonly priorities: Readonly<Partial<Record<1 | 2 | 3 | 4, number>>>;
}

// prettier-ignore
export const CAD_CALL_TYPES: readonly CadCallType[] = [
  { group: 'SUSPICIOUS CIRCUMSTANCES', code: 'SUSP', text: 'Suspicious circumstances', count: 126, onScene: 28, priorities: { 2: 30, 3: 70 } },
  { group: 'TRAFFIC RELATED CALLS', code: 'TRAF', text: 'Traffic complaint', count: 112, onScene: 47, priorities: { 3: 50, 4: 50 } },
  { group: 'THEFT', code: 'THEFT', text: 'Theft', count: 72, onScene: 43, priorities: { 3: 60, 4: 40 } },
  { group: 'DISTURBANCES', code: 'DIST', text: 'Disturbance', count: 65, onScene: 20, priorities: { 2: 40, 3: 60 } },
  { group: 'PARKING VIOLATIONS', code: 'PARK', text: 'Parking violation', count: 55, onScene: 3, priorities: { 4: 100 } },
  { group: 'LIQUOR VIOLATIONS', code: 'LIQ', text: 'Liquor violation', count: 41, onScene: 0, priorities: { 3: 30, 4: 70 } },
  { group: 'TRESPASS', code: 'TRESP', text: 'Trespass', count: 30, onScene: 8, priorities: { 3: 100 } },
  { group: 'AUTO RECOVERIES', code: 'AUTOREC', text: 'Stolen vehicle recovered', count: 25, onScene: 22, priorities: { 4: 100 } },
  { group: 'NARCOTICS COMPLAINTS', code: 'NARC', text: 'Narcotics complaint', count: 24, onScene: 5, priorities: { 3: 70, 4: 30 } },
  { group: 'MISCELLANEOUS MISDEMEANORS', code: 'MISD', text: 'Misdemeanor', count: 23, onScene: 4, priorities: { 3: 50, 4: 50 } },
  { group: 'RESIDENTIAL BURGLARIES', code: 'BURGR', text: 'Residential burglary', count: 18, onScene: 18, priorities: { 1: 20, 2: 30, 3: 50 } },
  { group: 'ASSAULTS', code: 'ASSLT', text: 'Assault', count: 14, onScene: 10, priorities: { 1: 30, 2: 50, 3: 20 } },
  { group: 'CRISIS CALL', code: 'CRISIS', text: 'Person in crisis', count: 13, onScene: 7, priorities: { 1: 20, 2: 60, 3: 20 } },
  { group: 'THREATS, HARASSMENT', code: 'THREAT', text: 'Threats, harassment', count: 13, onScene: 8, priorities: { 2: 40, 3: 60 } },
  { group: 'HAZARDS', code: 'HAZ', text: 'Road hazard', count: 7, onScene: 3, priorities: { 2: 50, 3: 50 } },
  { group: 'FRAUD CALLS', code: 'FRAUD', text: 'Fraud', count: 7, onScene: 6, priorities: { 4: 100 } },
  { group: 'ROBBERY', code: 'ROBBERY', text: 'Robbery', count: 7, onScene: 6, priorities: { 1: 60, 2: 40 } },
  { group: 'PROPERTY DAMAGE', code: 'DAMAGE', text: 'Property damage', count: 7, onScene: 6, priorities: { 3: 50, 4: 50 } },
  { group: 'WEAPONS CALLS', code: 'ARMED', text: 'Person with a weapon', count: 7, onScene: 3, priorities: { 1: 70, 2: 30 } },
  { group: 'NOISE DISTURBANCE', code: 'NOISE', text: 'Noise complaint', count: 7, onScene: 1, priorities: { 4: 100 } },
  { group: 'PERSONS - LOST, FOUND, MISSING', code: 'MISSING', text: 'Missing person', count: 6, onScene: 6, priorities: { 2: 50, 3: 50 } },
  { group: 'PROPERTY - MISSING, FOUND', code: 'PROP', text: 'Lost or found property', count: 6, onScene: 5, priorities: { 4: 100 } },
  { group: 'VICE CALLS', code: 'VICE', text: 'Vice complaint', count: 4, onScene: 2, priorities: { 3: 50, 4: 50 } },
  { group: 'GUN CALLS', code: 'SHOTS', text: 'Shots fired', count: 3, onScene: 2, priorities: { 1: 100 } },
  { group: 'CASUALTIES', code: 'CASUALTY', text: 'Casualty', count: 3, onScene: 3, priorities: { 1: 100 } },
  { group: 'ANIMAL COMPLAINTS', code: 'ANIMAL', text: 'Animal complaint', count: 3, onScene: 2, priorities: { 4: 100 } },
  { group: 'COMMERCIAL BURGLARIES', code: 'BURGC', text: 'Commercial burglary', count: 3, onScene: 2, priorities: { 2: 50, 3: 50 } },
  { group: 'PARKS EXCLUSIONS', code: 'PARKEX', text: 'Park exclusion', count: 2, onScene: 0, priorities: { 4: 100 } },
  { group: 'PROWLER', code: 'PROWL', text: 'Prowler', count: 2, onScene: 0, priorities: { 2: 100 } },
  { group: 'PERSON DOWN/INJURY', code: 'PDOWN', text: 'Person down', count: 1, onScene: 1, priorities: { 1: 50, 2: 50 } },
];

/** Calls per hour of the day, midnight first (the source's local time). */
export const CALLS_BY_HOUR: readonly number[] = [
  24, 29, 25, 19, 12, 4, 12, 11, 26, 29, 25, 32, 31, 29, 40, 41, 24, 35, 42, 43, 57, 45, 36, 35,
];

/** Minutes from at-scene to clearance: the 10th, 25th, 50th, 75th and 90th percentiles. */
export const ON_SCENE_MINUTES = { p10: 46, p25: 64, p50: 101, p75: 180, p90: 270 } as const;

/** Calls in the day: the sum of the counts (and of CALLS_BY_HOUR). */
export const CALLS_PER_DAY = CAD_CALL_TYPES.reduce((s, t) => s + t.count, 0);
