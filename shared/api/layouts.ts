import { z } from 'zod';
import { LayoutNameSchema, SavedLayoutSchema, WallLayoutSchema } from '../domain/layouts';
import { defineEvent, endpoint, serverCall, theUser } from './contract';

/** Saved wall layouts: each user's own, by name. */

export const LayoutListSchema = z.object({ layouts: z.array(SavedLayoutSchema) });
export const LayoutDeletedSchema = z.object({ name: z.string(), deleted: z.literal(true) });
const NameParams = z.object({ name: LayoutNameSchema });

export const LAYOUT_ENDPOINTS = {
  list: endpoint({
    method: 'GET',
    path: '/v1/layouts',
    access: 'layouts.own',
    summary: "The caller's saved wall layouts",
    tags: ['layouts'],
    response: LayoutListSchema,
  }),
  save: endpoint({
    method: 'PUT',
    path: '/v1/layouts/:name',
    access: 'layouts.own',
    summary: 'Save (or replace) a named wall layout',
    tags: ['layouts'],
    params: NameParams,
    body: z.object({ layout: WallLayoutSchema }),
    response: SavedLayoutSchema,
    errors: [409],
  }),
  delete: endpoint({
    method: 'DELETE',
    path: '/v1/layouts/:name',
    access: 'layouts.own',
    summary: 'Delete a saved wall layout',
    tags: ['layouts'],
    params: NameParams,
    response: LayoutDeletedSchema,
    errors: [404],
  }),
};

export const LAYOUT_CALLS = {
  'layouts.list': serverCall(LAYOUT_ENDPOINTS.list, z.object({}).strict()),
  'layouts.save': serverCall(
    LAYOUT_ENDPOINTS.save,
    z.object({ name: LayoutNameSchema, layout: WallLayoutSchema }).strict(),
  ),
  'layouts.delete': serverCall(
    LAYOUT_ENDPOINTS.delete,
    z.object({ name: LayoutNameSchema }).strict(),
  ),
};

const LayoutChangedSchema = z.object({ userId: z.string(), name: z.string() });

/** A layout is its owner's business only: the event goes to that user's consoles. */
export const LAYOUT_EVENTS = {
  'layout.saved': defineEvent(LayoutChangedSchema, {
    priority: 'routine',
    audience: [theUser((p) => p.userId)],
  }),
  'layout.deleted': defineEvent(LayoutChangedSchema, {
    priority: 'routine',
    audience: [theUser((p) => p.userId)],
  }),
};
