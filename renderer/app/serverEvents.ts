import type { ServerEvent } from '../../shared/api/events';
import {
  describeEvent,
  desktopNotificationDue,
  eventPriority,
  typedEvent,
} from '../../shared/api/eventCatalog';
import { notify } from '../ui/noticeStore';
import type { ConsoleModule } from './consoleModule';
import { desktopNotify } from './desktopNotify';
import { CONSOLE_MODULES } from './modules';
import { subscribe } from './watchfloor';

type AnyReducer = (payload: unknown) => void;

/** Every module's reducers, by event type: one event may concern several modules. */
export function reducerTable(modules: readonly ConsoleModule[]): Map<string, AnyReducer[]> {
  const table = new Map<string, AnyReducer[]>();
  for (const m of modules) {
    for (const [type, reduce] of Object.entries(m.reducers ?? {})) {
      if (!reduce) continue;
      table.set(type, [...(table.get(type) ?? []), reduce as AnyReducer]);
    }
  }
  return table;
}

const REDUCERS = reducerTable(CONSOLE_MODULES);

/**
 * Whether the console is out of the analyst's sight: its document hidden (another tab, the
 * window minimised) or its window not focused (they are on the wall or another program).
 */
export function consoleAway(doc: Pick<Document, 'hidden' | 'hasFocus'> | undefined): boolean {
  if (!doc) return false;
  return doc.hidden || !doc.hasFocus();
}

/**
 * Applies one server event: its payload is checked against the event catalog (an unknown type
 * or a malformed payload changes nothing), then every module's reducer for the type runs, and
 * the type's declared priority decides whether the operator is told: notable events as a notice
 * in the console, urgent ones also as a desktop notification, and notable ones that ask for it
 * (`notifyWhenAway`) as a desktop notification too while the console is away.
 */
export function applyServerEvent(event: ServerEvent): void {
  const typed = typedEvent(event);
  if (!typed) return;
  for (const reduce of REDUCERS.get(typed.type) ?? []) reduce(typed.payload);
  const priority = eventPriority(typed);
  if (priority === 'routine') return;
  const line = describeEvent(event);
  if (!line) return;
  notify(priority === 'urgent' ? 'error' : 'warning', `${line.title}: ${line.body}`);
  const away = typeof document === 'undefined' ? false : consoleAway(document);
  if (desktopNotificationDue(typed, away)) desktopNotify(line.title, line.body);
}

export function startServerEvents(): () => void {
  return subscribe('events', applyServerEvent);
}
