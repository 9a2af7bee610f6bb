import { describe, expect, it } from 'vitest';
import { CLOSED_FADE_MS, incidentMarkers } from '../../../renderer/incidents/incidentMapData';
import { priorityStyle } from '../../../renderer/incidents/incidentLabels';
import { testIncident } from './incidentFixture';

const NOW = Date.parse('2026-11-29T20:00:00.000Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString();

describe('the incidents the map draws', () => {
  it('draws the open incidents with a position, each with the symbol and colour of its priority, the most urgent on top', () => {
    const markers = incidentMarkers(
      [
        testIncident(1, { priority: 1, callType: { code: 'SHOTS', text: 'Shots fired' } }),
        testIncident(2, { priority: 4 }),
        testIncident(3, { priority: 2, status: 'on_scene' }),
        testIncident(4, { priority: null }),
      ],
      NOW,
    );
    expect(markers.map((m) => m.priority.short)).toEqual(['P?', 'P4', 'P2', 'P1']);
    const p1 = markers.at(-1)!;
    expect(p1).toMatchObject({ lat: 36.1, lon: -80.25, opacity: 1, closed: false });
    expect(p1.priority).toMatchObject({ key: 'p1', symbol: '◆', color: '#d62728' });
    expect(p1.label).toBe('P1 Shots fired · Dispatched · 100 N Main St');
    expect(markers[2]!.label).toContain('On scene');
  });

  it('leaves off the incidents still to be placed (a civic address only): the board lists them', () => {
    const markers = incidentMarkers(
      [
        testIncident(1),
        testIncident(2, { position: null, needsPlacement: true, address: '100 Oak St' }),
      ],
      NOW,
    );
    expect(markers.map((m) => m.id)).toEqual([testIncident(1).id]);
  });

  it('fades a closed incident out over the fade time, under the open ones, then drops it', () => {
    const closed = (n: number, msAgo: number) =>
      testIncident(n, { status: 'closed', closedAt: ago(msAgo), priority: 1 });
    const markers = incidentMarkers(
      [
        testIncident(1, { priority: 3 }),
        closed(2, 0),
        closed(3, CLOSED_FADE_MS / 4),
        closed(4, CLOSED_FADE_MS),
        closed(5, CLOSED_FADE_MS * 3),
      ],
      NOW,
    );
    expect(markers.map((m) => [m.id.slice(-1), m.opacity, m.closed])).toEqual([
      ['2', 1, true],
      ['3', 0.75, true],
      ['1', 1, false],
    ]);
  });

  it('reads every priority as a symbol and a word', () => {
    expect(priorityStyle(1).word).toBe('Priority 1 · emergency');
    expect(priorityStyle(2)).toMatchObject({ symbol: '▲', word: 'Priority 2 · urgent' });
    expect(priorityStyle(3)).toMatchObject({ symbol: '●', word: 'Priority 3 · prompt' });
    expect(priorityStyle(7)).toMatchObject({
      key: 'p4',
      short: 'P7',
      word: 'Priority 7 · routine',
    });
    expect(priorityStyle(null)).toMatchObject({ key: 'px', short: 'P?' });
  });
});
