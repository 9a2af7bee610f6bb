import { beforeEach, describe, expect, it } from 'vitest';
import type { Integration } from '../../../shared/domain/integrations';

/** A fake `window.watchfloor` standing for the server's integration endpoints. */
const server = { integrations: [] as Integration[], calls: [] as string[] };
let n = 0;
const api = {
  async call(name: string, args: Record<string, unknown>) {
    server.calls.push(name);
    if (name === 'integrations.list') {
      return { ok: true, value: { integrations: [...server.integrations] } };
    }
    if (name === 'integrations.create') {
      if (server.integrations.some((i) => i.name === args.name)) {
        return {
          ok: false,
          error: { code: 'conflict', message: 'An integration has that name already.' },
        };
      }
      const created: Integration = {
        id: `int-${++n}`,
        name: args.name as string,
        scope: args.scope as Integration['scope'],
        createdBy: 'admin',
        createdAt: '2026-11-29T12:00:00.000Z',
        lastUsedAt: null,
        revokedAt: null,
      };
      server.integrations.push(created);
      return { ok: true, value: { ...created, key: `wfi_secret_${n}` } };
    }
    if (name === 'integrations.revoke') {
      const i = server.integrations.find((x) => x.id === args.id)!;
      Object.assign(i, { revokedAt: '2026-11-29T12:05:00.000Z' });
      return { ok: true, value: i };
    }
    return { ok: false, error: { code: 'failed', message: `${name} is not faked` } };
  },
  subscribe: () => () => undefined,
};
(globalThis as unknown as { window: unknown }).window = { watchfloor: api };

const { useIntegrationStore } = await import('../../../renderer/integrations/integrationStore');

describe('the integrations store', () => {
  beforeEach(() => {
    server.integrations.length = 0;
    server.calls.length = 0;
    useIntegrationStore.setState({ integrations: [], error: null, newKey: null });
  });

  it('shows a new key once, lists the integration, and forgets the key when dismissed', async () => {
    expect(await useIntegrationStore.getState().create('County CAD', 'cad')).toBe(true);
    const s = useIntegrationStore.getState();
    expect(s.newKey).toEqual({ name: 'County CAD', key: 'wfi_secret_1' });
    expect(s.integrations.map((i) => i.name)).toEqual(['County CAD']);
    // The list never carries a key.
    expect(JSON.stringify(s.integrations)).not.toContain('wfi_secret');
    s.dismissKey();
    expect(useIntegrationStore.getState().newKey).toBeNull();
  });

  it('says why a create is refused and keeps no key', async () => {
    await useIntegrationStore.getState().create('County CAD', 'cad');
    useIntegrationStore.getState().dismissKey();
    expect(await useIntegrationStore.getState().create('County CAD', 'lpr')).toBe(false);
    expect(useIntegrationStore.getState()).toMatchObject({
      error: 'An integration has that name already.',
      newKey: null,
    });
  });

  it('revokes and shows the integration as revoked', async () => {
    await useIntegrationStore.getState().create('Downtown LPR', 'lpr');
    const id = useIntegrationStore.getState().integrations[0]!.id;
    await useIntegrationStore.getState().revoke(id);
    expect(useIntegrationStore.getState().integrations[0]!.revokedAt).not.toBeNull();
    expect(server.calls).toEqual([
      'integrations.create',
      'integrations.list',
      'integrations.revoke',
      'integrations.list',
    ]);
  });
});
