import { z } from 'zod';
import {
  NewProductSchema,
  NewStillSchema,
  ProductKindSchema,
  ProductSchema,
  ProductSummarySchema,
} from '../domain/products';
import { CaseReferenceSchema } from '../domain/reasons';
import { IncidentNumberSchema } from '../domain/incidents';
import { defineEvent, endpoint, holders, serverCall } from './contract';
import { ReportFileSchema } from './shifts';

/** The center's standard products (docs/products.md). */

const IdParams = z.object({ id: z.uuid('a product id') });

export const ProductListQuerySchema = z.object({
  /** The products kept with this case. */
  caseNumber: CaseReferenceSchema,
});

export const PRODUCT_ENDPOINTS = {
  create: endpoint({
    method: 'POST',
    path: '/v1/products',
    access: 'products.write',
    summary: 'Make an assist report or a bulletin from a case or an incident, with stills',
    tags: ['products'],
    body: NewProductSchema,
    response: ProductSchema,
    status: 201,
    errors: [404, 409, 413],
    bodyLimit: 14 * 1024 * 1024,
  }),
  list: endpoint({
    method: 'GET',
    path: '/v1/products',
    access: 'cases.read',
    summary: 'The products kept with a case',
    tags: ['products'],
    query: ProductListQuerySchema,
    response: z.object({ products: z.array(ProductSummarySchema) }),
  }),
  get: endpoint({
    method: 'GET',
    path: '/v1/products/:id',
    access: 'cases.read',
    summary: 'One product',
    tags: ['products'],
    params: IdParams,
    response: ProductSchema,
    errors: [404],
  }),
  approve: endpoint({
    method: 'POST',
    path: '/v1/products/:id/approve',
    access: 'products.approve',
    summary: 'Approve a product (someone other than its author): it may then leave the center',
    tags: ['products'],
    params: IdParams,
    response: ProductSchema,
    errors: [404, 409],
  }),
  pdf: endpoint({
    method: 'GET',
    path: '/v1/products/:id/pdf',
    access: 'cases.read',
    summary: "The product as a PDF (base64), in the agency's product layout",
    tags: ['products'],
    params: IdParams,
    response: ReportFileSchema,
    errors: [404],
  }),
};

export const PRODUCT_CALLS = {
  'products.create': serverCall(
    PRODUCT_ENDPOINTS.create,
    z
      .object({
        kind: ProductKindSchema,
        title: z.string().max(200),
        caseNumber: CaseReferenceSchema.optional(),
        incidentNumber: IncidentNumberSchema.optional(),
        text: z.string().max(8000).optional(),
        stills: z.array(NewStillSchema).max(6).optional(),
      })
      .strict(),
  ),
  'products.list': serverCall(
    PRODUCT_ENDPOINTS.list,
    z.object({ caseNumber: CaseReferenceSchema }).strict(),
  ),
  'products.get': serverCall(PRODUCT_ENDPOINTS.get, z.object({ id: z.uuid() }).strict()),
  'products.approve': serverCall(PRODUCT_ENDPOINTS.approve, z.object({ id: z.uuid() }).strict()),
  'products.pdf': serverCall(PRODUCT_ENDPOINTS.pdf, z.object({ id: z.uuid() }).strict()),
};

const ProductEventSchema = z.object({ product: ProductSummarySchema });

export const PRODUCT_EVENTS = {
  'product.created': defineEvent(ProductEventSchema, {
    priority: 'routine',
    audience: [holders('products.approve'), holders('products.write')],
  }),
  'product.approved': defineEvent(ProductEventSchema, {
    priority: 'notable',
    audience: [holders('products.write')],
    describe: ({ product: p }) => ({
      title: `${p.number} approved`,
      body: `${p.title}, approved by ${p.approvedByName ?? 'a lieutenant'}`,
    }),
  }),
};
