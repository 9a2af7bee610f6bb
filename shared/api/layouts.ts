import { z } from 'zod';
import { LayoutNameSchema, SavedLayoutSchema, WallLayoutSchema } from '../domain/layouts';
import { defineEvent, endpoint, holders, serverCall, theUser } from './contract';

/**
 * Saved wall layouts: each user's own, by name, and the center's, which a supervisor sets and
 * every console offers.
 */

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
  centerList: endpoint({
    method: 'GET',
    path: '/v1/center-layouts',
    access: 'layouts.own',
    summary: "The center's shared wall layouts",
    tags: ['layouts'],
    response: LayoutListSchema,
  }),
  centerSave: endpoint({
    method: 'PUT',
    path: '/v1/center-layouts/:name',
    access: 'layouts.share',
    summary: 'Save (or replace) a wall layout for the whole center',
    tags: ['layouts'],
    params: NameParams,
    body: z.object({ layout: WallLayoutSchema }),
    response: SavedLayoutSchema,
    errors: [409],
  }),
  centerDelete: endpoint({
    method: 'DELETE',
    path: '/v1/center-layouts/:name',
    access: 'layouts.share',
    summary: "Delete one of the center's wall layouts",
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
  'layouts.centerList': serverCall(LAYOUT_ENDPOINTS.centerList, z.object({}).strict()),
  'layouts.centerSave': serverCall(
    LAYOUT_ENDPOINTS.centerSave,
    z.object({ name: LayoutNameSchema, layout: WallLayoutSchema }).strict(),
  ),
  'layouts.centerDelete': serverCall(
    LAYOUT_ENDPOINTS.centerDelete,
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
  /** The center's layouts are offered to everyone who keeps layouts. */
  'layout.center.changed': defineEvent(z.object({ name: z.string() }), {
    priority: 'routine',
    audience: [holders('layouts.own')],
  }),
};
