import { create } from 'zustand';
import type { ProductKind, ProductSummary } from '../../shared/domain/products';
import { call } from '../app/watchfloor';
import { base64Bytes, saveFile } from '../app/saveFile';
import type { StillSource } from './stillTray';

export interface ProductDraft {
  readonly kind: ProductKind;
  readonly title: string;
  readonly caseNumber?: string;
  readonly incidentNumber?: string;
  readonly text: string;
  readonly stills: readonly StillSource[];
}

interface ProductStore {
  /** The case whose products are listed. */
  readonly caseNumber: string | null;
  readonly products: readonly ProductSummary[];
  readonly error: string | null;
  readonly busy: boolean;
  show(caseNumber: string): Promise<void>;
  create(draft: ProductDraft): Promise<boolean>;
  approve(id: string): Promise<void>;
  downloadPdf(id: string): Promise<void>;
  /** A product was made or approved: reload if it belongs to the case shown. */
  changed(product: ProductSummary): void;
  reset(): void;
}

/** Products kept with a case: the list, making one, approving one, and its PDF. */
export const useProductStore = create<ProductStore>()((set, get) => ({
  caseNumber: null,
  products: [],
  error: null,
  busy: false,
  async show(caseNumber) {
    set({ caseNumber });
    const r = await call('products.list', { caseNumber });
    if (get().caseNumber !== caseNumber) return;
    if (r.ok) set({ products: r.value.products, error: null });
    else set({ products: [], error: r.error.message });
  },
  async create(draft) {
    set({ busy: true });
    const r = await call('products.create', { ...draft, stills: [...draft.stills] });
    set({ busy: false, error: r.ok ? null : r.error.message });
    if (r.ok && r.value.caseNumber) await get().show(r.value.caseNumber);
    return r.ok;
  },
  async approve(id) {
    const r = await call('products.approve', { id });
    set({ error: r.ok ? null : r.error.message });
    const shown = get().caseNumber;
    if (r.ok && shown) await get().show(shown);
  },
  async downloadPdf(id) {
    const r = await call('products.pdf', { id });
    if (!r.ok) {
      set({ error: r.error.message });
      return;
    }
    saveFile(
      r.value.filename,
      new Blob([base64Bytes(r.value.data)], { type: r.value.contentType }),
    );
  },
  changed(product) {
    const shown = get().caseNumber;
    if (shown && product.caseNumber?.toUpperCase() === shown.toUpperCase()) void get().show(shown);
  },
  reset() {
    set({ caseNumber: null, products: [], error: null, busy: false });
  },
}));
