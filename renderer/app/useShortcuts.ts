import { useEffect, useRef } from 'react';
import { systemClock } from '../../shared/time/clock';
import { LAYOUTS, nextLayout, tileCount } from '../wall/wallGeometry';
import { useWallStore } from '../wall/wallStore';
import { useMapStore } from '../map/mapStore';
import { useUiStore } from '../ui/uiStore';
import { useSessionStore } from '../session/sessionStore';
import { useReasonStore } from '../wall/reasonStore';
import { popOutWall } from '../wall/WallBar';
import { recallLayoutAt, requestGrid } from '../wall/wallActions';
import { useTileToolsStore } from '../wall/tileToolsStore';
import { panelsFor } from './modules';
import { TileNumberInput, movedSelection, shortcutFor } from './shortcuts';

function inField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** The console's keyboard: one window listener acting on the stores (shortcuts.ts maps the keys). */
export function useShortcuts(enabled: boolean): void {
  const digits = useRef(new TileNumberInput(systemClock));
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      // A dialog handles its own keys.
      if (useReasonStore.getState().request || useUiStore.getState().saveLayoutOpen) return;
      const session = useSessionStore.getState().session;
      const panels = panelsFor(
        session && session.status !== 'signed_out' ? session.user.permissions : null,
      );
      const action = shortcutFor(
        {
          key: e.key,
          ctrlKey: e.ctrlKey,
          altKey: e.altKey,
          metaKey: e.metaKey,
          shiftKey: e.shiftKey,
          inField: inField(e.target),
        },
        panels,
      );
      if (!action) return;
      // The focused map keeps its own keys: arrows pan it, + and - zoom it, Enter places the
      // radius circle.
      const onMap = e.target instanceof Element && e.target.closest('.leaflet-container') !== null;
      const mapKeys: readonly string[] = ['move', 'maximize', 'zoom'];
      if (onMap && mapKeys.includes(action.type)) return;
      const wall = useWallStore.getState();
      const ui = useUiStore.getState();
      const count = tileCount(wall.grid);
      if (action.type !== 'digit' && action.type !== 'restore') ui.setSwapping(false);
      switch (action.type) {
        case 'digit': {
          // 0 resets the selected tile's zoom, unless it finishes or starts a tile number.
          const tools = useTileToolsStore.getState();
          if (
            action.digit === 0 &&
            !ui.swapping &&
            !digits.current.pending() &&
            (count < 10 || tools.zoom[wall.selected])
          ) {
            tools.resetZoom(wall.selected);
            break;
          }
          const index = digits.current.press(action.digit, count);
          if (index === null) break;
          if (ui.swapping) {
            wall.swap(wall.selected, index);
            ui.setSwapping(false);
          } else wall.select(index);
          break;
        }
        case 'move':
          wall.select(
            movedSelection(wall.selected, action.dx, action.dy, LAYOUTS[wall.grid].columns, count),
          );
          break;
        case 'maximize':
          // Enter on a focused button presses it; only a wall-level Enter maximises.
          if (e.target instanceof HTMLButtonElement) return;
          wall.toggleMaximize();
          break;
        case 'restore':
          if (ui.helpOpen) ui.setHelp(false);
          else if (ui.swapping) ui.setSwapping(false);
          else if (useMapStore.getState().popupCameraId) useMapStore.getState().openPopup(null);
          else if (wall.maximized !== null) wall.toggleMaximize(wall.maximized);
          else return;
          break;
        case 'nextLayout':
          requestGrid(nextLayout(wall.grid, action.step));
          break;
        case 'recallLayout':
          void recallLayoutAt(action.index);
          break;
        case 'panel':
          ui.setTab(action.id);
          panels.find((p) => p.id === action.id)?.activate?.();
          break;
        case 'focusWall':
          document.getElementById('wall')?.focus();
          break;
        case 'search':
          ui.openSearch();
          break;
        case 'clearTile':
          wall.clear(wall.selected);
          break;
        case 'replay':
          ui.requestReplay(wall.selected);
          break;
        case 'swap':
          ui.setSwapping(true);
          digits.current.reset();
          break;
        case 'saveLayout':
          ui.setSaveLayout(true);
          break;
        case 'popOut':
          void popOutWall();
          break;
        case 'radius':
          ui.setTab('map');
          useMapStore.getState().startPicking();
          useMapStore.getState().requestFocus();
          break;
        case 'lock':
          void useSessionStore.getState().lock();
          break;
        case 'toggleSide':
          ui.toggleSide();
          break;
        case 'help':
          ui.setHelp(!ui.helpOpen);
          break;
        case 'zoom':
          useTileToolsStore.getState().zoomStep(wall.selected, action.step);
          break;
        case 'frameStep':
          if (!useTileToolsStore.getState().replaying[wall.selected]) return;
          useTileToolsStore.getState().requestFrameStep(wall.selected, action.step);
          break;
        case 'ptz':
          useTileToolsStore.getState().requestPtz(wall.selected, action.command);
          break;
      }
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}
