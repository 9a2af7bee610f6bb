import { beforeEach, describe, expect, it, vi } from 'vitest';
import { testIncident } from './incidentFixture';
import { ageText, closedForBoard, openForBoard } from '../../../renderer/incidents/incidentBoard';

// The map's libraries touch the DOM when imported; the board does not need them.
vi.mock('leaflet', () => ({ default: { Layer: class {} } }));
vi.mock('react-leaflet', () => ({}));

const { applyServerEvent } = await import('../../../renderer/app/serverEvents');
const { useIncidentStore } = await import('../../../renderer/incidents/incidentStore');
const { useNoticeStore } = await import('../../../renderer/ui/noticeStore');

const incident = testIncident;

let eventId = 0;
const event = (type: string, payload: Record<string, unknown>) =>
  applyServerEvent({ id: ++eventId, at: '2026-11-29T19:00:00.000Z', type, payload });

describe('the incident board', () => {
  beforeEach(() => {
    useIncidentStore.setState({ byId: new Map(), error: null });
    useNoticeStore.setState({ notices: [] });
  });

  it('lists open incidents by priority, then the longest waiting; closed ones apart', () => {
    const list = [
      incident(1, { priority: 3 }),
      incident(2, { priority: 1, receivedAt: '2026-11-29T19:05:00.000Z' }),
      incident(3, { priority: 1 }),
      incident(4, { priority: null }),
      incident(5, { status: 'closed', closedAt: '2026-11-29T19:30:00.000Z' }),
    ];
    expect(openForBoard(list).map((i) => i.number)).toEqual([
      '26-003',
      '26-002',
      '26-001',
      '26-004',
    ]);
    expect(closedForBoard(list).map((i) => i.number)).toEqual(['26-005']);
  });

  it('gives each incident its age', () => {
    const at = '2026-11-29T19:00:00.000Z';
    const t0 = Date.parse(at);
    expect(ageText(at, t0 + 45_000)).toBe('45s');
    expect(ageText(at, t0 + 12 * 60_000)).toBe('12m');
    expect(ageText(at, t0 + 65 * 60_000)).toBe('1h 05m');
    expect(ageText(at, t0 + 51 * 3_600_000)).toBe('2d 3h');
    expect(ageText(at, t0 - 5_000)).toBe('0s');
  });

  it('follows the incident events; a worked call leaves a notice, a quiet one none', () => {
    event('incident.opened', { incident: incident(1) });
    event('incident.opened', { incident: incident(2, { worked: false, priority: 5 }) });
    const notices = useNoticeStore.getState().notices;
    expect(notices).toHaveLength(1);
    expect(notices[0]!.text).toContain('P2 Robbery');
    expect(openForBoard(useIncidentStore.getState().byId.values())).toHaveLength(2);

    const closed = incident(1, {
      status: 'closed',
      closedAt: '2026-11-29T19:40:00.000Z',
      updatedAt: '2026-11-29T19:40:00.000Z',
    });
    event('incident.closed', { incident: closed });
    // A stale update arriving late does not reopen it.
    event('incident.updated', { incident: incident(1), changed: ['units'] });
    const byId = useIncidentStore.getState().byId;
    expect(openForBoard(byId.values()).map((i) => i.number)).toEqual(['26-002']);
    expect(closedForBoard(byId.values()).map((i) => i.number)).toEqual(['26-001']);

    // A malformed payload changes nothing.
    event('incident.opened', { incident: { ...incident(3), priority: 'high' } });
    expect(useIncidentStore.getState().byId.size).toBe(2);
  });
});
