import { describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from '../../../server/store/migrate';
import { openTestStore, STORE_KINDS } from '../../support/stores';

describe.each(STORE_KINDS)('migrations on %s', (kind) => {
  it('apply every migration once and record them', async () => {
    const t = await openTestStore(kind, { migrated: false });
    try {
      const all = loadMigrations().map((m) => m.version);
      expect(await migrate(t.store)).toEqual(all);
      const rows = await t.store.query<{ version: number }>(
        'select version from schema_migrations order by version',
      );
      expect(rows.rows.map((r) => Number(r.version))).toEqual(all);
    } finally {
      await t.dispose();
    }
  });

  it('are safe to run twice', async () => {
    const t = await openTestStore(kind, { migrated: false });
    try {
      await migrate(t.store);
      expect(await migrate(t.store)).toEqual([]);
    } finally {
      await t.dispose();
    }
  });

  it('say how the online reports kept before 0030 were placed: by their position, or not at all', async () => {
    const t = await openTestStore(kind, { migrated: false });
    try {
      const all = loadMigrations();
      await migrate(
        t.store,
        all.filter((m) => m.version < 30),
      );
      const report = (id: string, lat: number | null) =>
        t.store.query(
          `insert into online_reports (id, temp_number, form_token_hash, category, state,
             submitted_at, due_at, reporter_name, reporter_email, occurred_at, lat, lng, address,
             details, updated_at)
           values ($1, $1, $1, 'theft', 'submitted', now(), now(), 'R', 'r@example.org', now(),
             $2, $3, '200 W 4th St', '{}'::jsonb, now())`,
          [id, lat, lat === null ? null : -80.24],
        );
      await report('pinned', 36.1);
      await report('address-only', null);
      await migrate(t.store, all);
      const rows = await t.store.query<{ id: string; location_check: string }>(
        'select id, location_check from online_reports order by id',
      );
      expect(rows.rows).toEqual([
        { id: 'address-only', location_check: 'unverified' },
        { id: 'pinned', location_check: 'coordinates' },
      ]);
      // A checked place has a position.
      await expect(
        t.store.query(
          "update online_reports set location_check = 'address_point' where id = 'address-only'",
        ),
      ).rejects.toThrow(/online_reports_location_check/);
    } finally {
      await t.dispose();
    }
  });

  it('roll back a failing migration whole and record nothing for it', async () => {
    const t = await openTestStore(kind, { migrated: false });
    try {
      const bad = [
        { version: 1, name: 'ok', sql: 'create table a (x int);' },
        { version: 2, name: 'broken', sql: 'create table b (x int); select * from nowhere;' },
      ];
      await expect(migrate(t.store, bad)).rejects.toThrow(/nowhere/);
      const b = await t.store.query(
        "select 1 from information_schema.tables where table_name = 'b' and table_schema = current_schema()",
      );
      expect(b.rowCount).toBe(0);
      const done = await t.store.query<{ version: number }>(
        'select version from schema_migrations',
      );
      expect(done.rows.map((r) => Number(r.version))).toEqual([1]);
    } finally {
      await t.dispose();
    }
  });
});

// Two processes need two connections: PGlite is one process's embedded database.
if (STORE_KINDS.includes('postgres'))
  describe('migrations from two processes at once', () => {
    it('apply each migration exactly once', async () => {
      const t = await openTestStore('postgres', { migrated: false });
      const other = await t.reopen();
      try {
        const [a, b] = await Promise.all([migrate(t.store), migrate(other)]);
        const all = loadMigrations().map((m) => m.version);
        expect([...a, ...b].sort((x, y) => x - y)).toEqual(all);
        const rows = await t.store.query('select version from schema_migrations');
        expect(rows.rowCount).toBe(all.length);
      } finally {
        await t.dispose();
      }
    });
  });
