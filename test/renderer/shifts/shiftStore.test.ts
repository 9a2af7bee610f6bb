import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ShiftLog } from '../../../shared/domain/shifts';
import type * as SaveFile from '../../../renderer/app/saveFile';

vi.mock('leaflet', () => ({ default: { Layer: class {} } }));
vi.mock('react-leaflet', () => ({}));
const saved: { filename: string; type: string; size: number }[] = [];
vi.mock('../../../renderer/app/saveFile', async (original) => ({
  ...(await original<typeof SaveFile>()),
  saveFile: (filename: string, blob: Blob) =>
    saved.push({ filename, type: blob.type, size: blob.size }),
}));

const { applyServerEvent } = await import('../../../renderer/app/serverEvents');
const { useShiftStore } = await import('../../../renderer/shifts/shiftStore');

const log = (over: Partial<ShiftLog> = {}): ShiftLog => ({
  date: '2026-11-29',
  shift: 'Night',
  startsAt: '2026-11-29T23:00:00.000Z',
  endsAt: '2026-11-30T11:00:00.000Z',
  supervisors: [],
  staff: [],
  entries: [],
  summary: {
    incidentsWorked: 3,
    camerasDocked: 2,
    cameraViews: 3,
    tipsTriaged: 2,
    alertsAcknowledged: 1,
    pullsLogged: 2,
    pullsFulfilled: 1,
    exports: 1,
  },
  signedOff: null,
  ...over,
});

/** A fake `window.watchfloor` holding one shift's log. */
const server = {
  log: log(),
  calls: [] as { name: string; args: Record<string, unknown> }[],
};
const refused = (message: string) => ({ ok: false, error: { code: 'conflict', message } });
const api = {
  async call(name: string, args: Record<string, unknown>) {
    server.calls.push({ name, args });
    if (name === 'shifts.get') return { ok: true, value: server.log };
    if (name === 'shifts.addEntry') {
      if (server.log.signedOff)
        return refused('The shift was signed off: add an addendum instead.');
      return { ok: true, value: {} };
    }
    if (name === 'shifts.report') {
      return {
        ok: true,
        value: {
          filename: 'shift-report-2026-11-29-Night.pdf',
          contentType: 'application/pdf',
          data: btoa('%PDF-1.3 x'),
          pages: 1,
        },
      };
    }
    return refused(`${name} is not faked`);
  },
  subscribe: () => () => undefined,
};
(globalThis as unknown as { window: unknown }).window = { watchfloor: api };

const settle = () => new Promise((r) => setTimeout(r, 0));
const event = (payload: Record<string, unknown>) => ({
  id: 1,
  at: '',
  type: 'shift.changed',
  payload,
});

describe('the shift log store', () => {
  beforeEach(async () => {
    server.log = log();
    server.calls.length = 0;
    saved.length = 0;
    useShiftStore.getState().reset();
    await useShiftStore.getState().choose({ date: '2026-11-29', shift: 'Night' });
  });

  it("loads the chosen shift's log", () => {
    expect(useShiftStore.getState().log?.summary.incidentsWorked).toBe(3);
    expect(server.calls).toEqual([
      { name: 'shifts.get', args: { date: '2026-11-29', shift: 'Night' } },
    ]);
  });

  it('reloads when its shift changes elsewhere, and not for another shift', async () => {
    applyServerEvent(event({ date: '2026-11-29', shift: 'Day', change: 'entry', byName: 'lt' }));
    await settle();
    expect(server.calls).toHaveLength(1);
    server.log = log({
      signedOff: { at: '2026-11-30T10:55:00.000Z', byId: 'u1', byName: 'sgt', note: '' },
    });
    applyServerEvent(
      event({ date: '2026-11-29', shift: 'night', change: 'signoff', byName: 'sgt' }),
    );
    await settle();
    expect(server.calls).toHaveLength(2);
    expect(useShiftStore.getState().log?.signedOff?.byName).toBe('sgt');
  });

  it("keeps the server's sentence when an entry is refused, and reloads after one is taken", async () => {
    expect(await useShiftStore.getState().addEntry({ kind: 'briefing', text: 'Roll call' })).toBe(
      true,
    );
    expect(server.calls.map((c) => c.name)).toEqual([
      'shifts.get',
      'shifts.addEntry',
      'shifts.get',
    ]);
    expect(server.calls[1]!.args).toEqual({
      date: '2026-11-29',
      shift: 'Night',
      kind: 'briefing',
      text: 'Roll call',
    });
    server.log = log({
      signedOff: { at: '2026-11-30T10:55:00.000Z', byId: 'u1', byName: 'sgt', note: '' },
    });
    expect(await useShiftStore.getState().addEntry({ kind: 'other', text: 'Late' })).toBe(false);
    expect(useShiftStore.getState().error).toMatch(/addendum/);
  });

  it('downloads the report as a PDF file', async () => {
    await useShiftStore.getState().downloadReport();
    expect(saved).toEqual([
      { filename: 'shift-report-2026-11-29-Night.pdf', type: 'application/pdf', size: 10 },
    ]);
  });
});
