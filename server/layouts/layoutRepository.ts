import type { Queryable } from '../store/store';
import { WallLayoutSchema, type SavedLayout, type WallLayout } from '../../shared/domain/layouts';

/** The only code that reads or writes wall_layouts and center_layouts. */

interface LayoutRow {
  name: string;
  layout: unknown;
  updated_at: Date | string;
}

const fromRow = (r: LayoutRow): SavedLayout => ({
  name: r.name,
  layout: WallLayoutSchema.parse(typeof r.layout === 'string' ? JSON.parse(r.layout) : r.layout),
  updatedAt: new Date(r.updated_at).toISOString(),
});

export async function listLayouts(db: Queryable, userId: string): Promise<SavedLayout[]> {
  const res = await db.query<LayoutRow>(
    'select name, layout, updated_at from wall_layouts where user_id = $1 order by name',
    [userId],
  );
  return res.rows.map(fromRow);
}

/** How many layouts the user keeps under other names than `name`. */
export async function countOtherLayouts(
  db: Queryable,
  userId: string,
  name: string,
): Promise<number> {
  const res = await db.query<{ n: number }>(
    'select count(*)::int as n from wall_layouts where user_id = $1 and name <> $2',
    [userId, name],
  );
  return Number(res.rows[0]!.n);
}

export async function upsertLayout(
  db: Queryable,
  userId: string,
  name: string,
  layout: WallLayout,
  at: Date,
): Promise<SavedLayout> {
  const res = await db.query<LayoutRow>(
    `insert into wall_layouts (user_id, name, layout, updated_at) values ($1, $2, $3, $4)
     on conflict (user_id, name) do update set layout = excluded.layout, updated_at = excluded.updated_at
     returning name, layout, updated_at`,
    [userId, name, JSON.stringify(layout), at.toISOString()],
  );
  return fromRow(res.rows[0]!);
}

/** Whether there was a layout to delete. */
export async function deleteLayout(db: Queryable, userId: string, name: string): Promise<boolean> {
  const res = await db.query('delete from wall_layouts where user_id = $1 and name = $2', [
    userId,
    name,
  ]);
  return (res.rowCount ?? 0) > 0;
}

export async function listCenterLayouts(db: Queryable): Promise<SavedLayout[]> {
  const res = await db.query<LayoutRow>(
    'select name, layout, updated_at from center_layouts order by name',
  );
  return res.rows.map(fromRow);
}

export async function countOtherCenterLayouts(db: Queryable, name: string): Promise<number> {
  const res = await db.query<{ n: number }>(
    'select count(*)::int as n from center_layouts where name <> $1',
    [name],
  );
  return Number(res.rows[0]!.n);
}

export async function upsertCenterLayout(
  db: Queryable,
  userId: string,
  name: string,
  layout: WallLayout,
  at: Date,
): Promise<SavedLayout> {
  const res = await db.query<LayoutRow>(
    `insert into center_layouts (name, layout, updated_at, updated_by) values ($1, $2, $3, $4)
     on conflict (name) do update
       set layout = excluded.layout, updated_at = excluded.updated_at, updated_by = excluded.updated_by
     returning name, layout, updated_at`,
    [name, JSON.stringify(layout), at.toISOString(), userId],
  );
  return fromRow(res.rows[0]!);
}

/** Whether there was a center layout to delete. */
export async function deleteCenterLayout(db: Queryable, name: string): Promise<boolean> {
  const res = await db.query('delete from center_layouts where name = $1', [name]);
  return (res.rowCount ?? 0) > 0;
}
