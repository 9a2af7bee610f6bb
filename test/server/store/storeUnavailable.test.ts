import { afterEach, describe, expect, it } from 'vitest';
import { openPgliteStore } from '../../../server/store/pgliteStore';
import { openPostgresStore } from '../../../server/store/postgresStore';
import { StoreUnavailableError, isStoreUnavailable } from '../../../server/store/storeUnavailable';
import { STORE_KINDS, openTestStore, type TestStore } from '../../support/stores';

async function failureOf(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (err) {
    return err;
  }
  throw new Error('expected a failure');
}

let opened: TestStore | null = null;
afterEach(async () => {
  await opened?.dispose();
  opened = null;
});

describe('telling "the database is away" from other failures', () => {
  it('a closed embedded database is unavailable', async () => {
    const store = await openPgliteStore(undefined);
    await store.close();
    expect(isStoreUnavailable(await failureOf(() => store.query('select 1')))).toBe(true);
  });

  it('a PostgreSQL server nobody listens for is unavailable', async () => {
    // Port 9 (discard) on loopback: nothing answers, the connection is refused.
    const err = await failureOf(() => openPostgresStore('postgres://postgres@127.0.0.1:9/none'));
    expect(isStoreUnavailable(err)).toBe(true);
    expect(isStoreUnavailable(new StoreUnavailableError(err))).toBe(true);
  });

  it.each(STORE_KINDS)('a statement the database refuses is not an outage (%s)', async (kind) => {
    opened = await openTestStore(kind);
    const store = opened.store;
    expect(isStoreUnavailable(await failureOf(() => store.query('selec 1')))).toBe(false);
    expect(isStoreUnavailable(await failureOf(() => store.query("select 'x'::integer")))).toBe(
      false,
    );
    expect(isStoreUnavailable(await failureOf(() => store.query('select * from nowhere')))).toBe(
      false,
    );
    expect(isStoreUnavailable(new Error('something else'))).toBe(false);
    // The connection a refused statement used is fine for the next one.
    expect((await store.query('select 1 as ok')).rows).toEqual([{ ok: 1 }]);
  });
});
