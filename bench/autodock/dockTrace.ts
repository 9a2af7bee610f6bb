/**
 * `--trace`: where each docked tile's time went, stage by stage, all in ms after the ingest's
 * acknowledgement. The console's side comes from its performance marks (the dock) and each
 * tile's `data-startup` (tileStartup.ts); the host's from its log lines at info level (the grants,
 * and each stream's startup trace: electron/host/gateway/startupTrace.ts).
 */

interface MarkWindow {
  readonly performance: {
    readonly timeOrigin: number;
    getEntriesByName(name: string): ArrayLike<{ readonly startTime: number }>;
  };
  readonly document: {
    querySelectorAll(selector: string): ArrayLike<{
      getAttribute(name: string): string | null;
    }>;
  };
}

export interface ConsoleTrace {
  readonly dock: Record<string, number>;
  readonly tiles: Record<string, { readonly startedAt: number | null; readonly startup: string }>;
}

/** Runs in the page: the dock's marks and every tile's startup, as wall-clock ms. */
export function readConsoleTrace(): ConsoleTrace {
  const w = globalThis as unknown as MarkWindow;
  const dock: Record<string, number> = {};
  for (const name of ['wf.dock.requested', 'wf.dock.asked', 'wf.dock.answered']) {
    const entries = w.performance.getEntriesByName(name);
    const last = entries[entries.length - 1];
    if (last) dock[name] = w.performance.timeOrigin + last.startTime;
  }
  const tiles: ConsoleTrace['tiles'] = {};
  for (const t of Array.from(w.document.querySelectorAll('[data-testid="wall-tile"]'))) {
    const id = t.getAttribute('data-camera-id');
    if (!id) continue;
    const startedAt = Number(t.getAttribute('data-started-at') ?? '');
    tiles[id] = {
      startedAt: Number.isFinite(startedAt) && startedAt > 0 ? startedAt : null,
      startup: t.getAttribute('data-startup') ?? '',
    };
  }
  return { dock, tiles };
}

interface HostLine {
  readonly time: number;
  readonly msg: string;
  readonly sourceKey?: string;
  readonly grantsMs?: number;
  readonly startupMs?: Record<string, number>;
}

function hostLines(output: string): HostLine[] {
  const lines: HostLine[] = [];
  for (const raw of output.split('\n')) {
    const at = raw.indexOf('{"level"');
    if (at < 0) continue;
    try {
      const line = JSON.parse(raw.slice(at)) as HostLine;
      if (typeof line.time === 'number' && typeof line.msg === 'string') lines.push(line);
    } catch {
      // not a log line
    }
  }
  return lines;
}

/** One line per tile: each stage in ms after the acknowledgement. */
export function describeTrace(
  ackAt: number,
  cameraIds: readonly string[],
  trace: ConsoleTrace,
  output: string,
): string[] {
  const rel = (t: number | undefined | null) => (t == null ? '-' : String(Math.round(t - ackAt)));
  const lines = hostLines(output).filter((l) => l.time >= ackAt - 50);
  const docked = lines.find((l) => l.msg.startsWith('docked '));
  const out = [
    `    console heard the request ${rel(trace.dock['wf.dock.requested'])}, asked the host ${rel(
      trace.dock['wf.dock.asked'],
    )}, host had the grants ${docked ? rel(docked.time) : '-'} (server ${docked?.grantsMs ?? '-'} ms), console had the views ${rel(trace.dock['wf.dock.answered'])}`,
  ];
  for (const id of cameraIds) {
    const started = lines.find((l) => l.sourceKey === id && l.startupMs);
    let host = 'host: no startup line';
    if (started?.startupMs) {
      const s = started.startupMs;
      const opened = started.time - (s['playlistAnswered'] ?? 0);
      host = `opened ${rel(opened)} ${Object.entries(s)
        .map(([k, v]) => `${k} ${rel(opened + v)}`)
        .join(' ')}`;
    }
    const tile = trace.tiles[id];
    const console = tile?.startedAt
      ? `tile attached ${rel(tile.startedAt)} ${tile.startup.replace(/(\w+)=(\d+)/g, (_m, k: string, v: string) => `${k} ${rel(tile.startedAt! + Number(v))}`)}`
      : 'no tile';
    out.push(`    ${id.slice(0, 8)}: ${host} | ${console}`);
  }
  return out;
}
