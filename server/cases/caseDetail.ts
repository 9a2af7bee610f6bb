import type { z } from 'zod';
import type { Queryable } from '../store/store';
import { cameraViewsNaming } from '../audit/cameraViews';
import { pullsForCase } from '../pulls/pullRepository';
import { listCaseProducts } from '../products/productRepository';
import type { CASE_SECTIONS, CaseDetail } from '../../shared/api/cases';
import {
  analystsOf,
  caseLinks,
  caseNotes,
  caseOf,
  findCase,
  type CaseRecord,
} from './caseRepository';

type SectionReaders = {
  readonly [K in keyof typeof CASE_SECTIONS]: (
    db: Queryable,
    c: CaseRecord,
  ) => Promise<z.input<(typeof CASE_SECTIONS)[K]>>;
};

/**
 * One reader per section of a case's page (shared/api/cases.ts, CASE_SECTIONS). A module that
 * keeps work by case number (pulls, exports, products) adds its section there and its reader
 * here; the compiler asks for both.
 */
const SECTION_READERS: SectionReaders = {
  notes: (db, c) => caseNotes(db, c.id),
  links: (db, c) => caseLinks(db, c),
  cameraViews: (db, c) => cameraViewsNaming(db, c.number),
  pulls: (db, c) => pullsForCase(db, c.number),
  products: (db, c) => listCaseProducts(db, c.number),
};

/** A case with every section of its page, or null when there is no such case. */
export async function caseDetail(db: Queryable, number: string): Promise<CaseDetail | null> {
  const found = await findCase(db, number);
  if (!found) return null;
  const names = Object.keys(SECTION_READERS) as (keyof SectionReaders)[];
  const [analysts, ...sections] = await Promise.all([
    analystsOf(db, [found.id]),
    ...names.map((name) => SECTION_READERS[name](db, found)),
  ]);
  return {
    ...caseOf(found, analysts.get(found.id) ?? []),
    ...(Object.fromEntries(names.map((name, i) => [name, sections[i]])) as Pick<
      CaseDetail,
      keyof SectionReaders
    >),
  };
}
