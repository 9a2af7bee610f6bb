import type { ConsoleModule } from '../app/consoleModule';
import { ProductsPanel } from './ProductsPanel';
import { useProductStore } from './productStore';

/** The center's standard products kept with a case (docs/products.md). */
export const productsModule: ConsoleModule = {
  id: 'products',
  permission: 'cases.read',
  panel: { label: 'Products', key: 'X', Component: ProductsPanel },
  load: () => useProductStore.getState().reset(),
  reducers: {
    'product.created': (p) => useProductStore.getState().changed(p.product),
    'product.approved': (p) => useProductStore.getState().changed(p.product),
  },
};
