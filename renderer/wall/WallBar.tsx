import { useCallback, useEffect, useRef, useState } from 'react';
import { Dropdown } from '../ui/Dropdown';
import { useDismiss } from '../ui/useDismiss';
import { LayoutNameSchema } from '../../shared/domain/layouts';
import type { Display } from '../../shared/api/console';
import { call } from '../app/watchfloor';
import { useSessionStore } from '../session/sessionStore';
import { notify } from '../ui/noticeStore';
import { useUiStore } from '../ui/uiStore';
import { LAYOUTS, LAYOUT_IDS } from './wallGeometry';
import { useLayoutStore } from './layoutStore';
import { recallLayout } from './wallActions';
import { toLayout } from './wallModel';
import { useWallStore, wallModelOf } from './wallStore';

/** Pop the wall out: Electron opens a wall window on a display; a browser opens a window. */
export async function popOutWall(displayId?: number): Promise<void> {
  const info = useSessionStore.getState().info;
  if (info?.canOpenWallWindows && displayId !== undefined) {
    const r = await call('windows.openWall', { displayId });
    if (!r.ok) notify('error', r.error.message);
    return;
  }
  const url = new URL(window.location.href);
  url.searchParams.set('window', 'wall');
  const w = window.open(url.toString(), 'watchfloor-wall', 'popup,width=1280,height=720');
  if (!w) notify('warning', 'The browser blocked the wall window: allow pop-ups for the console.');
}

function PopOutButton() {
  const info = useSessionStore((s) => s.info);
  const [displays, setDisplays] = useState<readonly Display[] | null>(null);
  const electron = !!info?.canOpenWallWindows;
  const ref = useRef<HTMLSpanElement>(null);
  useDismiss(
    ref,
    displays !== null,
    useCallback(() => setDisplays(null), []),
  );
  const open = async () => {
    if (!electron) return void popOutWall();
    const r = await call('windows.displays', {});
    if (!r.ok) return notify('error', r.error.message);
    setDisplays(r.value.displays);
  };
  return (
    <span className="anchor" ref={ref}>
      <button
        type="button"
        className="btn small"
        onClick={() => void open()}
        data-testid="wall-pop-out"
        title="Pop the wall out to another display (P)"
      >
        Pop out ↗
      </button>
      {displays && (
        <div
          className="menu"
          style={{ right: 0, top: '110%' }}
          role="menu"
          onMouseLeave={() => setDisplays(null)}
        >
          {displays.map((d) => (
            <button
              key={d.id}
              type="button"
              role="menuitem"
              className="menu-item"
              onClick={() => {
                setDisplays(null);
                void popOutWall(d.id);
              }}
            >
              <span>{d.label}</span>
              <span>{d.primary ? 'primary' : `${d.bounds.width}×${d.bounds.height}`}</span>
            </button>
          ))}
        </div>
      )}
    </span>
  );
}

function LayoutsMenu() {
  const layouts = useLayoutStore((s) => s.layouts);
  const remove = useLayoutStore((s) => s.remove);
  const setSave = useUiStore((s) => s.setSaveLayout);
  return (
    <Dropdown testId="layouts-menu" label="Saved layouts ▾">
      {(close) => (
        <>
          {layouts.length === 0 && <div className="empty">No saved layouts yet.</div>}
          {layouts.map((l) => (
            <div key={l.name} style={{ display: 'flex' }}>
              <button
                type="button"
                role="menuitem"
                className="menu-item"
                style={{ flex: 1 }}
                data-testid="saved-layout"
                data-name={l.name}
                onClick={() => {
                  close();
                  void recallLayout(l);
                }}
                autoFocus={l === layouts[0]}
              >
                <span>{l.name}</span>
                <span style={{ color: 'var(--faint)' }}>{LAYOUTS[l.layout.grid].label}</span>
              </button>
              <button
                type="button"
                className="btn small ghost"
                aria-label={`Delete layout ${l.name}`}
                onClick={() => void remove(l.name).then((err) => err && notify('error', err))}
              >
                ✕
              </button>
            </div>
          ))}
          <button
            type="button"
            role="menuitem"
            className="menu-item"
            onClick={() => {
              close();
              setSave(true);
            }}
            data-testid="save-layout"
          >
            <span>Save current wall…</span>
            <kbd>Ctrl+S</kbd>
          </button>
        </>
      )}
    </Dropdown>
  );
}

export function SaveLayoutDialog() {
  const open = useUiStore((s) => s.saveLayoutOpen);
  const setOpen = useUiStore((s) => s.setSaveLayout);
  const save = useLayoutStore((s) => s.save);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (open) {
      setError(null);
      inputRef.current?.focus();
    }
  }, [open]);
  if (!open) return null;
  const submit = async () => {
    const parsed = LayoutNameSchema.safeParse(name);
    if (!parsed.success) return setError(parsed.error.issues[0]?.message ?? 'Check the name');
    const err = await save(parsed.data, toLayout(wallModelOf(useWallStore.getState())));
    if (err) return setError(err);
    notify('info', `Saved the wall as "${parsed.data}".`);
    setOpen(false);
  };
  return (
    <div className="backdrop" onMouseDown={(e) => e.target === e.currentTarget && setOpen(false)}>
      <form
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="save-title"
        data-testid="save-layout-dialog"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
        onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}
      >
        <h2 id="save-title">Save the wall as a layout</h2>
        <div className="field">
          <label htmlFor="layout-name">Name</label>
          <input
            id="layout-name"
            ref={inputRef}
            value={name}
            onChange={(e) => setName(e.target.value)}
            data-testid="layout-name"
            maxLength={60}
            placeholder="e.g. Downtown night"
          />
          <span className="hint">
            Saved for you on the server; a layout of the same name is replaced.
          </span>
        </div>
        {error && (
          <p className="error-text" role="alert">
            {error}
          </p>
        )}
        <div className="actions">
          <button type="button" className="btn" onClick={() => setOpen(false)}>
            Cancel
          </button>
          <button type="submit" className="btn primary" data-testid="layout-save-submit">
            Save
          </button>
        </div>
      </form>
    </div>
  );
}

export function WallBar() {
  const grid = useWallStore((s) => s.grid);
  const setGrid = useWallStore((s) => s.setGrid);
  const maximized = useWallStore((s) => s.maximized);
  const toggleMaximize = useWallStore((s) => s.toggleMaximize);
  const swapping = useUiStore((s) => s.swapping);
  return (
    <div className="wall-bar" role="toolbar" aria-label="Wall layout">
      <span className="label">Layout</span>
      {LAYOUT_IDS.map((id) => (
        <button
          key={id}
          type="button"
          className="btn small"
          aria-pressed={grid === id}
          onClick={() => setGrid(id)}
          data-testid={`layout-${id}`}
          title={`${LAYOUTS[id].label} (L cycles)`}
        >
          {LAYOUTS[id].label}
        </button>
      ))}
      {maximized !== null && (
        <button
          type="button"
          className="btn small"
          onClick={() => toggleMaximize(maximized)}
          data-testid="wall-restore"
        >
          ⤡ Restore grid
        </button>
      )}
      {swapping && (
        <span className="status-pill" role="status">
          Swap: type the other tile’s number
        </span>
      )}
      <span style={{ flex: 1 }} />
      <LayoutsMenu />
      <PopOutButton />
    </div>
  );
}
