import { describe, expect, it, vi } from 'vitest';
import type { MetricsReport, MetricsRow } from '../../../shared/domain/metrics';
import type * as SaveFile from '../../../renderer/app/saveFile';
import { metricsCsv, metricsFilename } from '../../../renderer/metrics/metricsCsv';

const saved: { filename: string; text: string }[] = [];
vi.mock('../../../renderer/app/saveFile', async (original) => ({
  ...(await original<typeof SaveFile>()),
  saveFile: async (filename: string, blob: Blob) =>
    saved.push({ filename, text: await blob.text() }),
}));

const row = (key: string, label: string, over: Partial<MetricsRow> = {}): MetricsRow => ({
  key,
  label,
  assists: 5,
  callToCamera: { count: 4, median: 60, p90: 195 },
  pullsRequested: 2,
  pullsFulfilled: 1,
  timeToFulfil: { count: 0, median: null, p90: null },
  tipsByOutcome: { actionable: 0, no_action: 1, duplicate: 1 },
  viewsByReason: {
    active_incident: 5,
    sensor_alert: 0,
    camera_pull: 1,
    investigation_follow_up: 0,
    event_situational_awareness: 0,
  },
  casesSupported: 1,
  exports: 1,
  ...over,
});

const REPORT: MetricsReport = {
  from: '2026-11-29',
  to: '2026-11-30',
  by: 'analyst',
  timeZone: 'America/New_York',
  rows: [row('u1', 'Kim, "Jo"'), row('u2', '=HYPERLINK("x")')],
  total: row('total', 'Total', { assists: 6 }),
};

describe('metrics as CSV', () => {
  it('has a header, a line per group and the total, quoted where it must be, formulas defused', () => {
    const lines = metricsCsv(REPORT).split('\r\n');
    expect(lines[0]).toBe(
      'analyst,assists,calls_with_camera,call_to_camera_median_s,call_to_camera_p90_s,' +
        'pulls_requested,pulls_fulfilled,time_to_fulfil_median_min,time_to_fulfil_p90_min,' +
        'tips_actionable,tips_no_action,tips_duplicate,views_active_incident,views_sensor_alert,' +
        'views_camera_pull,views_investigation_follow_up,views_event_situational_awareness,' +
        'cases_supported,exports',
    );
    expect(lines[1]).toBe('"Kim, ""Jo""",5,4,60,195,2,1,,,0,1,1,5,0,1,0,0,1,1');
    expect(lines[2]!.startsWith(`"'=HYPERLINK(""x"")",`)).toBe(true);
    expect(lines[3]!.startsWith('Total,6,')).toBe(true);
    expect(lines).toHaveLength(5);
    expect(lines[4]).toBe('');
    expect(metricsFilename(REPORT)).toBe('metrics-2026-11-29-to-2026-11-30-by-analyst.csv');
  });

  it('downloads what the store holds', async () => {
    const calls: unknown[] = [];
    (globalThis as unknown as { window: unknown }).window = {
      watchfloor: {
        call: async (name: string, args: unknown) => {
          calls.push({ name, args });
          return { ok: true, value: REPORT };
        },
        subscribe: () => () => undefined,
      },
    };
    const { useMetricsStore } = await import('../../../renderer/metrics/metricsStore');
    await useMetricsStore.getState().load({ from: '2026-11-29', to: '2026-11-30', by: 'analyst' });
    expect(calls).toEqual([
      { name: 'metrics.get', args: { from: '2026-11-29', to: '2026-11-30', by: 'analyst' } },
    ]);
    useMetricsStore.getState().downloadCsv();
    await vi.waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0]!.filename).toBe('metrics-2026-11-29-to-2026-11-30-by-analyst.csv');
    expect(saved[0]!.text).toBe(metricsCsv(REPORT));
  });
});
