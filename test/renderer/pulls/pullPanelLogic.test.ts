import { describe, expect, it, vi } from 'vitest';
import { ROLE_PERMISSIONS } from '../../../shared/domain/roles';
import { panelShortcutHelp } from '../../../renderer/app/shortcuts';
import { candidateKeyAction } from '../../../renderer/pulls/candidateKeys';
import { candidateColour } from '../../../renderer/pulls/pullMapStyle';
import { emptyDraft, localInputValue, pullFromDraft } from '../../../renderer/pulls/pullDraft';
import { requesterLine, sortPulls } from '../../../renderer/pulls/pullOrder';
import { testPull } from './pullFixture';

vi.mock('leaflet', () => ({ default: { Layer: class {} } }));
vi.mock('react-leaflet', () => ({}));
const { panelsFor } = await import('../../../renderer/app/modules');

const key = (k: string, mods: Partial<{ ctrlKey: boolean; altKey: boolean }> = {}) => ({
  key: k,
  ctrlKey: false,
  altKey: false,
  metaKey: false,
  ...mods,
});

describe('the Pulls panel', () => {
  it('lists open pulls first, the viewer’s own first among them, then urgency, then the oldest', () => {
    const mine = testPull(1, { assignedTo: { id: 'me', name: 'Me' } });
    const urgent = testPull(2, { urgency: 'urgent' });
    const olderRoutine = testPull(3);
    const newerRoutine = testPull(4);
    const closedOld = testPull(5, { status: 'fulfilled', assignedTo: { id: 'me', name: 'Me' } });
    const closedNew = testPull(6, { status: 'closed_unfulfilled' });
    const order = sortPulls(
      [closedOld, newerRoutine, closedNew, urgent, olderRoutine, mine],
      'me',
    ).map((p) => p.number);
    expect(order).toEqual(
      [mine, urgent, olderRoutine, newerRoutine, closedNew, closedOld].map((p) => p.number),
    );
  });

  it('shows for analysts and officers, not for the admin, and lists its own keys in the help', () => {
    expect(panelsFor(ROLE_PERMISSIONS.analyst).map((p) => p.id)).toContain('pulls');
    expect(panelsFor(ROLE_PERMISSIONS.officer).map((p) => p.id)).toContain('pulls');
    expect(panelsFor(ROLE_PERMISSIONS.supervisor).map((p) => p.id)).toContain('pulls');
    expect(panelsFor(ROLE_PERMISSIONS.admin).map((p) => p.id)).not.toContain('pulls');
    const help = panelShortcutHelp(panelsFor(ROLE_PERMISSIONS.analyst)).map((h) => h.keys);
    expect(help).toContain('U');
    expect(help).toContain('C F N D X U');
  });

  it('says who asked in one line', () => {
    expect(requesterLine(testPull(1))).toBe('Ofc. Dana Reyes #4471 (2B12)');
    expect(
      requesterLine(
        testPull(1, {
          requester: { name: null, badge: '4471', unit: null, userId: null, userName: null },
        }),
      ),
    ).toBe('Badge 4471');
  });

  it('maps the candidate list keys to outcomes, moves and the owner reveal', () => {
    expect(candidateKeyAction(key('f'))).toEqual({ type: 'outcome', outcome: 'footage_obtained' });
    expect(candidateKeyAction(key('D'))).toEqual({ type: 'outcome', outcome: 'declined' });
    expect(candidateKeyAction(key('ArrowDown'))).toEqual({ type: 'move', step: 1 });
    expect(candidateKeyAction(key('k'))).toEqual({ type: 'move', step: -1 });
    expect(candidateKeyAction(key('o'))).toEqual({ type: 'reveal' });
    expect(candidateKeyAction(key('c', { ctrlKey: true }))).toBeNull();
    expect(candidateKeyAction(key('q'))).toBeNull();
  });

  it('colours a candidate by what can be done until it is settled', () => {
    expect(candidateColour({ action: 'fetch_now', outcome: 'contacted' })).not.toBe(
      candidateColour({ action: 'contact_owner', outcome: 'contacted' }),
    );
    expect(candidateColour({ action: 'fetch_now', outcome: 'declined' })).toBe(
      candidateColour({ action: 'agency', outcome: 'footage_obtained' }),
    );
  });

  it('turns the form into a request, or names the fields to fix', () => {
    const now = Date.parse('2026-11-29T14:30:00Z');
    const draft = {
      ...emptyDraft(now),
      officerName: 'Ofc. Reyes',
      unit: '2B12',
      caseNumber: '2026-004512',
      lookFor: 'Grey sedan',
    };
    const ok = pullFromDraft(draft, { lat: 36.1, lon: -80.24 });
    expect(ok.ok).toBe(true);
    if (ok.ok) {
      expect(ok.pull).toMatchObject({
        requester: { name: 'Ofc. Reyes', unit: '2B12' },
        caseNumber: '2026-004512',
        radiusM: 300,
        urgency: 'routine',
      });
      expect(Date.parse(ok.pull.windowEnd) - Date.parse(ok.pull.windowStart)).toBe(3_600_000);
    }
    const bad = pullFromDraft(
      {
        ...draft,
        officerName: '',
        caseNumber: '',
        lookFor: '',
        to: localInputValue(now - 7_200_000),
      },
      null,
    );
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(Object.keys(bad.errors).sort()).toEqual(
        ['caseNumber', 'location', 'lookFor', 'officerName', 'to'].sort(),
      );
      expect(bad.errors.location).toBe('pick the place on the map');
    }
  });
});
