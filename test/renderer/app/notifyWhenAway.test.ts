import { beforeEach, describe, expect, it, vi } from 'vitest';
import { desktopNotificationDue, typedEvent } from '../../../shared/api/eventCatalog';

vi.mock('leaflet', () => ({ default: { Layer: class {} } }));
vi.mock('react-leaflet', () => ({}));
const desktopNotify = vi.fn();
vi.mock('../../../renderer/app/desktopNotify', () => ({ desktopNotify }));
(globalThis as unknown as { window: unknown }).window = {
  watchfloor: {
    call: async () => ({ ok: false, error: { code: 'failed', message: 'offline in this test' } }),
    subscribe: () => () => undefined,
  },
};

const { applyServerEvent, consoleAway } = await import('../../../renderer/app/serverEvents');

const received = {
  id: 1,
  at: '2026-11-29T12:00:00.000Z',
  type: 'tip.received',
  payload: {
    tipId: '7c0e2f9a-1b2c-4d3e-8f40-000000000001',
    threadId: '3f1d6a2b-5c4e-4f70-9a81-000000000001',
    alias: 'K7Q2',
    receivedAt: '2026-11-29T12:00:00.000Z',
    preview: 'Silver sedan behind the pharmacy',
    mediaCount: 2,
    outsideHours: false,
  },
};

function showDocument(hidden: boolean, focused: boolean): void {
  (globalThis as unknown as { document: unknown }).document = { hidden, hasFocus: () => focused };
}

describe('desktop notifications for notable events marked notifyWhenAway', () => {
  beforeEach(() => desktopNotify.mockClear());

  it('the rule: urgent always; notifyWhenAway only while away; other notable never', () => {
    const due = (type: string, payload: Record<string, unknown>, away: boolean) => {
      const typed = typedEvent({ ...received, type, payload });
      if (!typed) throw new Error(`${type}: not a valid event`);
      return desktopNotificationDue(typed, away);
    };
    const tipId = received.payload.tipId;
    expect(due('tip.received', received.payload, true)).toBe(true);
    expect(due('tip.received', received.payload, false)).toBe(false);
    const assigned = { tipId, alias: 'K7Q2', assigneeId: 'u1', byName: 'lt1' };
    expect(due('tip.assigned', assigned, true)).toBe(true);
    expect(due('tip.assigned', assigned, false)).toBe(false);
    // Routine never notifies on the desktop.
    const updated = { tipId, change: 'state', state: 'new', assignedTo: null, byName: null };
    expect(due('tip.updated', updated, true)).toBe(false);
  });

  it('away means hidden or not focused', () => {
    expect(consoleAway({ hidden: false, hasFocus: () => true })).toBe(false);
    expect(consoleAway({ hidden: true, hasFocus: () => true })).toBe(true);
    expect(consoleAway({ hidden: false, hasFocus: () => false })).toBe(true);
    expect(consoleAway(undefined)).toBe(false);
  });

  it('a new tip notifies on the desktop while the console is away, not while it is in front', () => {
    showDocument(false, true);
    applyServerEvent(received);
    expect(desktopNotify).not.toHaveBeenCalled();
    showDocument(false, false);
    applyServerEvent(received);
    expect(desktopNotify).toHaveBeenCalledTimes(1);
    expect(desktopNotify.mock.calls[0]![0]).toBe('New tip from tipster K7Q2');
    showDocument(true, true);
    applyServerEvent(received);
    expect(desktopNotify).toHaveBeenCalledTimes(2);
  });
});
