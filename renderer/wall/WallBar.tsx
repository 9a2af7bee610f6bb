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
import { layoutsInOrder, useLayoutStore } from './layoutStore';
import { recallLayout, requestGrid } from './wallActions';
import { LayoutThumb } from './LayoutThumb';
import { permissionsOf } from '../session/sessionStore';
import { toLayout } from './wallModel';
import { useWallStore, wallModelOf } from './wallStore';
import { returnWall } from './wallSync';

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
  const center = useLayoutStore((s) => s.center);
  const remove = useLayoutStore((s) => s.remove);
  const mayShare = useSessionStore((s) => permissionsOf(s).includes('layouts.share'));
  const setSave = useUiStore((s) => s.setSaveLayout);
  const ordered = layoutsInOrder({ layouts, center });
  return (
    <Dropdown testId="layouts-menu" label="Saved layouts ▾">
      {(close) => (
        <>
          {ordered.length === 0 && <div className="empty">No saved layouts yet.</div>}
          {ordered.map(({ layout: l, center: forCenter }, i) => (
            <div key={`${forCenter ? 'center' : 'own'}:${l.name}`}>
              {i === 0 && forCenter && <div className="menu-heading">Center layouts</div>}
              {!forCenter && (i === 0 || ordered[i - 1]!.center) && (
                <div className="menu-heading">My layouts</div>
              )}
              <div style={{ display: 'flex' }}>
                <button
                  type="button"
                  role="menuitem"
                  className="menu-item"
                  style={{ flex: 1 }}
                  data-testid="saved-layout"
                  data-name={l.name}
                  data-center={forCenter}
                  onClick={() => {
                    close();
                    void recallLayout(l);
                  }}
                  autoFocus={i === 0}
                >
                  <LayoutThumb layout={l.layout} />
                  <span style={{ flex: 1, textAlign: 'left' }}>{l.name}</span>
                  <span style={{ color: 'var(--faint)' }}>{LAYOUTS[l.layout.grid].label}</span>
                  {i < 9 && <kbd>Alt+{i + 1}</kbd>}
                </button>
                {(!forCenter || mayShare) && (
                  <button
                    type="button"
                    className="btn small ghost"
                    aria-label={`Delete ${forCenter ? 'center ' : ''}layout ${l.name}`}
                    onClick={() =>
                      void remove(l.name, forCenter).then((err) => err && notify('error', err))
                    }
                  >
                    ✕
                  </button>
                )}
              </div>
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

/** Asks before a smaller grid takes cameras off the wall, naming them. */
export function GridSwitchDialog() {
  const confirm = useUiStore((s) => s.gridConfirm);
  const setConfirm = useUiStore((s) => s.setGridConfirm);
  const setGrid = useWallStore((s) => s.setGrid);
  if (!confirm) return null;
  const n = confirm.dropped.length;
  const go = () => {
    setGrid(confirm.grid);
    setConfirm(null);
  };
  return (
    <div className="backdrop" onMouseDown={(e) => e.target === e.currentTarget && setConfirm(null)}>
      <form
        className="dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="grid-switch-title"
        aria-describedby="grid-switch-cameras"
        data-testid="grid-switch-dialog"
        onSubmit={(e) => {
          e.preventDefault();
          go();
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            setConfirm(null);
          }
        }}
      >
        <h2 id="grid-switch-title">
          {LAYOUTS[confirm.grid].label} takes {n} camera{n === 1 ? '' : 's'} off the wall
        </h2>
        <p id="grid-switch-cameras" data-testid="grid-switch-cameras">
          {confirm.dropped.join(', ')}
        </p>
        <p className="hint">They come back if you switch back to a larger grid.</p>
        <div className="actions">
          <button type="button" className="btn" onClick={() => setConfirm(null)}>
            Keep the wall
          </button>
          <button type="submit" className="btn primary" autoFocus data-testid="grid-switch-go">
            Switch to {LAYOUTS[confirm.grid].label}
          </button>
        </div>
      </form>
    </div>
  );
}

export function SaveLayoutDialog() {
  const open = useUiStore((s) => s.saveLayoutOpen);
  const setOpen = useUiStore((s) => s.setSaveLayout);
  const save = useLayoutStore((s) => s.save);
  const mayShare = useSessionStore((s) => permissionsOf(s).includes('layouts.share'));
  const [forCenter, setForCenter] = useState(false);
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
    const err = await save(
      parsed.data,
      toLayout(wallModelOf(useWallStore.getState())),
      mayShare && forCenter,
    );
    if (err) return setError(err);
    notify(
      'info',
      mayShare && forCenter
        ? `Saved the wall as the center layout "${parsed.data}": every console offers it.`
        : `Saved the wall as "${parsed.data}".`,
    );
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
        {mayShare && (
          <label className="field-check">
            <input
              type="checkbox"
              checked={forCenter}
              onChange={(e) => setForCenter(e.target.checked)}
              data-testid="layout-for-center"
            />{' '}
            For the whole center: every console offers it, first in the menu
          </label>
        )}
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

/**
 * Where the bar is: over the wall in the console window; in the console window while the wall
 * is popped out (it still changes the wall there); in the popped-out wall window itself.
 */
export type WallBarPlace = 'console' | 'away' | 'wall-window';

export function WallBar({ place = 'console' }: { readonly place?: WallBarPlace }) {
  const grid = useWallStore((s) => s.grid);
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
          onClick={() => requestGrid(id)}
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
      {place === 'console' && <PopOutButton />}
      {place === 'away' && (
        <button
          type="button"
          className="btn small"
          onClick={returnWall}
          data-testid="wall-return"
          title="Close the wall window and show the wall here"
        >
          ↙ Bring back
        </button>
      )}
      {place === 'wall-window' && (
        <button
          type="button"
          className="btn small"
          onClick={() => window.close()}
          data-testid="wall-window-close"
          title="Close this window: the wall returns to the console"
        >
          ↙ Back to the console
        </button>
      )}
    </div>
  );
}
