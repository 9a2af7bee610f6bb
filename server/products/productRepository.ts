import type { Queryable } from '../store/store';
import type { Product, ProductKind, ProductSummary } from '../../shared/domain/products';

/** The products' SQL: products and their stills. */

interface ProductRow {
  readonly id: string;
  readonly number: string;
  readonly kind: ProductKind;
  readonly title: string;
  readonly case_number: string | null;
  readonly incident_id: string | null;
  readonly incident_number: string | null;
  readonly text: string;
  readonly author_id: string | null;
  readonly author_name: string;
  readonly created_at: Date | string;
  readonly approved_at: Date | string | null;
  readonly approved_by: string | null;
  readonly approved_by_name: string | null;
}

export interface ProductRecord extends Product {
  readonly incidentId: string | null;
  readonly authorId: string | null;
}

const COLUMNS = `id, number, kind, title, case_number, incident_id, incident_number, text,
  author_id, author_name, created_at, approved_at, approved_by, approved_by_name`;

const iso = (v: Date | string) => new Date(v).toISOString();

function summaryOf(r: ProductRow): ProductSummary {
  return {
    id: r.id,
    number: r.number,
    kind: r.kind,
    title: r.title,
    caseNumber: r.case_number,
    incidentNumber: r.incident_number,
    status: r.approved_at === null ? 'draft' : 'approved',
    authorName: r.author_name,
    createdAt: iso(r.created_at),
    approvedAt: r.approved_at === null ? null : iso(r.approved_at),
    approvedByName: r.approved_by_name,
  };
}

/** The next number of the kind in the year: one more than the highest given. */
export async function nextProductSeq(tx: Queryable, prefix: string): Promise<number> {
  const res = await tx.query<{ n: number | string | null }>(
    `select max(cast(substr(number, $2) as integer)) as n from products where number like $1`,
    [`${prefix}%`, prefix.length + 1],
  );
  return Number(res.rows[0]?.n ?? 0) + 1;
}

export async function insertProduct(
  tx: Queryable,
  p: {
    readonly id: string;
    readonly number: string;
    readonly kind: ProductKind;
    readonly title: string;
    readonly caseNumber: string | null;
    readonly incidentId: string | null;
    readonly incidentNumber: string | null;
    readonly text: string;
    readonly authorId: string | null;
    readonly authorName: string;
    readonly at: Date;
  },
): Promise<void> {
  await tx.query(
    `insert into products (id, number, kind, title, case_number, incident_id, incident_number,
       text, author_id, author_name, created_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      p.id,
      p.number,
      p.kind,
      p.title,
      p.caseNumber,
      p.incidentId,
      p.incidentNumber,
      p.text,
      p.authorId,
      p.authorName,
      p.at.toISOString(),
    ],
  );
}

export async function insertStill(
  tx: Queryable,
  s: {
    readonly id: string;
    readonly productId: string;
    readonly position: number;
    readonly caption: string;
    readonly contentType: 'image/png' | 'image/jpeg';
    readonly data: Buffer;
  },
): Promise<void> {
  await tx.query(
    `insert into product_stills (id, product_id, position, caption, content_type, data)
     values ($1, $2, $3, $4, $5, $6)`,
    [s.id, s.productId, s.position, s.caption, s.contentType, s.data],
  );
}

export async function findProduct(db: Queryable, id: string): Promise<ProductRecord | null> {
  const res = await db.query<ProductRow>(`select ${COLUMNS} from products where id = $1`, [id]);
  const row = res.rows[0];
  if (!row) return null;
  const stills = await db.query<{
    id: string;
    caption: string;
    content_type: 'image/png' | 'image/jpeg';
    bytes: number | string;
  }>(
    `select id, caption, content_type, octet_length(data) as bytes from product_stills
     where product_id = $1 order by position`,
    [id],
  );
  return {
    ...summaryOf(row),
    text: row.text,
    stills: stills.rows.map((s) => ({
      id: s.id,
      caption: s.caption,
      contentType: s.content_type,
      bytes: Number(s.bytes),
    })),
    incidentId: row.incident_id,
    authorId: row.author_id,
  };
}

/** The stills' bytes, in order, for printing. */
export async function stillImages(
  db: Queryable,
  productId: string,
): Promise<{ caption: string; data: Buffer }[]> {
  const res = await db.query<{ caption: string; data: Uint8Array }>(
    'select caption, data from product_stills where product_id = $1 order by position',
    [productId],
  );
  return res.rows.map((r) => ({ caption: r.caption, data: Buffer.from(r.data) }));
}

export async function listCaseProducts(
  db: Queryable,
  caseNumber: string,
): Promise<ProductSummary[]> {
  const res = await db.query<ProductRow>(
    `select ${COLUMNS} from products where upper(case_number) = upper($1)
     order by created_at, number`,
    [caseNumber],
  );
  return res.rows.map(summaryOf);
}

export async function markApproved(
  tx: Queryable,
  id: string,
  by: { readonly id: string | null; readonly name: string; readonly at: Date },
): Promise<boolean> {
  const res = await tx.query(
    `update products set approved_at = $2, approved_by = $3, approved_by_name = $4
     where id = $1 and approved_at is null`,
    [id, by.at.toISOString(), by.id, by.name],
  );
  return (res.rowCount ?? 0) > 0;
}

export interface FootageRecord {
  readonly at: string;
  readonly action: string;
  readonly actorName: string | null;
  readonly targetId: string | null;
}

/** Pulls fulfilled, footage fetched and exports naming the case or the incident: the sources. */
export async function footageRecords(
  db: Queryable,
  caseNumber: string | null,
  incident: { readonly id: string; readonly number: string } | null,
): Promise<FootageRecord[]> {
  const res = await db.query<{
    at: Date | string;
    action: string;
    actor_name: string | null;
    target_id: string | null;
  }>(
    `select at, action, actor_name, target_id from audit_log
     where action in ('pull.create', 'pull.fulfil', 'evidence.fetch', 'evidence.export')
       and outcome = 'success'
       and ((upper(details->>'caseNumber') = upper($1))
         or upper(details->>'incidentId') in (upper($2), upper($3)))
     order by id limit 200`,
    [caseNumber ?? '', incident?.id ?? '', incident?.number ?? ''],
  );
  return res.rows.map((r) => ({
    at: iso(r.at),
    action: r.action,
    actorName: r.actor_name,
    targetId: r.target_id,
  }));
}
