import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ProductSummary } from '../../../shared/domain/products';

vi.mock('leaflet', () => ({ default: { Layer: class {} } }));
vi.mock('react-leaflet', () => ({}));

const { applyServerEvent } = await import('../../../renderer/app/serverEvents');
const { useProductStore } = await import('../../../renderer/products/productStore');

const summary = (over: Partial<ProductSummary> = {}): ProductSummary => ({
  id: '3f1c2b1e-8d4a-4c55-9a55-0f8f3a2b6c01',
  number: 'AR-2026-0001',
  kind: 'assist_report',
  title: 'Shots fired',
  caseNumber: '2026-000123',
  incidentNumber: 'WS-2001',
  status: 'draft',
  authorName: 'analyst-kim',
  createdAt: '2026-11-29T21:00:00.000Z',
  approvedAt: null,
  approvedByName: null,
  ...over,
});

const server = {
  products: [summary()],
  calls: [] as { name: string; args: Record<string, unknown> }[],
};
const api = {
  async call(name: string, args: Record<string, unknown>) {
    server.calls.push({ name, args });
    if (name === 'products.list') return { ok: true, value: { products: server.products } };
    if (name === 'products.approve') {
      return {
        ok: false,
        error: {
          code: 'conflict',
          message: 'AR-2026-0001 is yours: another lieutenant approves it.',
        },
      };
    }
    return { ok: false, error: { code: 'failed', message: `${name} is not faked` } };
  },
  subscribe: () => () => undefined,
};
(globalThis as unknown as { window: unknown }).window = { watchfloor: api };

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('the products store', () => {
  beforeEach(async () => {
    server.calls.length = 0;
    useProductStore.getState().reset();
    await useProductStore.getState().show('2026-000123');
  });

  it("lists a case's products and reloads when one of that case is made or approved", async () => {
    expect(useProductStore.getState().products.map((p) => p.number)).toEqual(['AR-2026-0001']);
    server.products = [summary(), summary({ id: 'b', number: 'BL-2026-0001', kind: 'bulletin' })];
    applyServerEvent({
      id: 1,
      at: '',
      type: 'product.created',
      payload: { product: summary({ caseNumber: '2026-000999' }) },
    });
    await settle();
    expect(server.calls).toHaveLength(1);
    applyServerEvent({
      id: 2,
      at: '',
      type: 'product.created',
      payload: { product: server.products[1] },
    });
    await settle();
    expect(useProductStore.getState().products).toHaveLength(2);
  });

  it("keeps the server's sentence when an approval is refused", async () => {
    await useProductStore.getState().approve(summary().id);
    expect(useProductStore.getState().error).toMatch(/another lieutenant/);
  });
});
