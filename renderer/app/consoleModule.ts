import type { ComponentType } from 'react';
import type { EventPayload, EventType } from '../../shared/api/eventCatalog';
import type { Permission } from '../../shared/domain/roles';

/**
 * One server event type's reducer: it applies the (already checked) payload to its domain's
 * store. Reducers never call the bridge while React renders; they may ask a store to reload.
 */
export type EventReducers = {
  readonly [T in EventType]?: (payload: EventPayload<T>) => void;
};

/** A side panel of the console: a tab with its keyboard shortcut. */
export interface ConsolePanel {
  readonly label: string;
  /** The key that opens it (shown on the tab and in the help), one character. */
  readonly key: string;
  /** What the shortcut does once the panel is showing (focus its map, its search box). */
  readonly activate?: () => void;
  /** Keys the panel's own views take while focused, for the help screen. */
  readonly help?: readonly { readonly keys: string; readonly does: string }[];
  readonly Component: ComponentType;
}

/**
 * What a domain brings to the console (docs/architecture.md, "The module recipe"): its panel if
 * it has one, what it loads when someone signs in, and its event reducers. The console shell
 * reads the list in modules.ts and nothing else, so a new domain is one entry there.
 */
export interface ConsoleModule {
  readonly id: string;
  /**
   * The permission a user needs for this module (or any one of a list: the pulls a supervisor
   * reads and those an officer asked for); without it, nothing of it shows or loads.
   */
  readonly permission?: Permission | readonly Permission[];
  readonly panel?: ConsolePanel;
  /** Runs at sign-in (and again when the signed-in user changes). */
  readonly load?: () => void | Promise<void>;
  readonly reducers?: EventReducers;
}

/** Whether a user with these permissions gets the module. */
export function moduleAllowed(
  module: ConsoleModule,
  permissions: readonly Permission[] | null,
): boolean {
  const needed = module.permission;
  if (needed === undefined) return true;
  const held = permissions ?? [];
  return typeof needed === 'string' ? held.includes(needed) : needed.some((p) => held.includes(p));
}
