import type { RouteModule } from '../http/api';
import { actorOf } from '../http/guard';
import { serve } from '../http/serve';
import { HttpError } from '../http/errorHandler';
import { PRODUCT_ENDPOINTS } from '../../shared/api/products';
import { approveProduct, createProduct } from './productChanges';
import { findProduct, listCaseProducts } from './productRepository';
import { renderProductPdf } from './productDocument';
import { evidenceServices } from '../evidence/evidenceChanges';

/** The center's standard products; shared/api/products.ts. */
export const productRoutes: RouteModule = (api, ctx) => {
  // Stills may come from the case's evidence (docs/products.md).
  const stillSources = evidenceServices(ctx);
  const productOr404 = async (id: string) => {
    const found = await findProduct(ctx.store, id);
    if (!found) throw new HttpError(404, 'There is no such product.');
    return found;
  };

  serve(api, PRODUCT_ENDPOINTS.create, async ({ req, body }) =>
    createProduct(ctx, stillSources, actorOf(req), body),
  );

  serve(api, PRODUCT_ENDPOINTS.list, async ({ query }) => ({
    products: await listCaseProducts(ctx.store, query.caseNumber),
  }));

  serve(api, PRODUCT_ENDPOINTS.get, async ({ params }) => {
    const { incidentId: _i, authorId: _a, ...product } = await productOr404(params.id);
    return product;
  });

  serve(api, PRODUCT_ENDPOINTS.approve, async ({ req, params }) =>
    approveProduct(ctx, actorOf(req), params.id),
  );

  serve(api, PRODUCT_ENDPOINTS.pdf, async ({ params }) => {
    const product = await productOr404(params.id);
    const { pdf, pages } = await renderProductPdf(ctx.store, product);
    return {
      filename: `${product.number}.pdf`,
      contentType: 'application/pdf' as const,
      data: pdf.toString('base64'),
      pages,
    };
  });
};
