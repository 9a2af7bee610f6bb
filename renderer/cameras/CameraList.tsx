import {
  useDeferredValue,
  useEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type MouseEvent,
  type ReactNode,
} from 'react';
import { useCameraStore, type Camera } from './cameraStore';
import {
  KIND_KEYWORDS,
  MATCH_RANKS,
  searchCameras,
  searchIndex,
  sortByName,
  type MatchRank,
} from './cameraSearch';
import type { AddressMatch } from '../../shared/api/addresses';
import { placeLabel, usePlaceStore } from '../map/placeStore';
import { useViewableStore, viewability } from './viewableNow';
import { ViewableMark } from './ViewableMark';
import { KindSymbol } from '../map/KindSymbol';
import { KIND_STYLE } from '../map/cameraSymbols';
import { useMapStore } from '../map/mapStore';
import { DRAG_CAMERA } from '../wall/dragStore';
import { putCameraOnTile } from '../wall/wallActions';
import { useWallStore } from '../wall/wallStore';
import { useUiStore } from '../ui/uiStore';

const SHOWN = 200;

/** A row of the list: a camera, or an address or place to go to. */
type Row =
  | { readonly type: 'camera'; readonly camera: Camera; readonly rank: MatchRank | undefined }
  | { readonly type: 'place'; readonly place: AddressMatch };

/**
 * Places among the cameras by how well each matched: a place goes before the first camera that
 * matched no better than it did ("1300 block n main" finds the address before the cameras that
 * only have it as their address).
 */
export function mergeRows(
  cameras: readonly Camera[],
  ranks: readonly MatchRank[],
  places: readonly AddressMatch[],
): Row[] {
  const rows: Row[] = cameras.map((camera, i) => ({ type: 'camera', camera, rank: ranks[i] }));
  let from = 0;
  for (const place of places) {
    const mine = MATCH_RANKS.indexOf(place.rank);
    let at = rows.findIndex(
      (r, i) =>
        i >= from && r.type === 'camera' && MATCH_RANKS.indexOf(r.rank ?? 'partial') >= mine,
    );
    if (at < 0) at = rows.length;
    rows.splice(at, 0, { type: 'place', place });
    from = at + 1;
  }
  return rows;
}

const rowId = (r: Row) =>
  r.type === 'camera' ? `camera-row-${r.camera.id}` : `place-row-${r.place.id}`;

/** Search every camera by name or address; drag one to a tile, or Enter to the selected tile. */
export function CameraList() {
  const byId = useCameraStore((s) => s.byId);
  const total = byId.size;
  const searchRequest = useUiStore((s) => s.searchRequest);
  const setTab = useUiStore((s) => s.setTab);
  const selectedTile = useWallStore((s) => s.selected);
  const [query, setQuery] = useState('');
  const deferred = useDeferredValue(query);
  const [active, setActive] = useState(0);
  const inputRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLUListElement>(null);

  const blocked = useViewableStore((s) => s.blocked);
  const onlyViewable = useViewableStore((s) => s.onlyViewable);
  const setOnlyViewable = useViewableStore((s) => s.setOnlyViewable);
  const index = useMemo(() => {
    const sorted = sortByName(byId.values());
    return searchIndex(
      onlyViewable ? sorted.filter((c) => viewability(c, blocked).viewable) : sorted,
    );
  }, [byId, blocked, onlyViewable]);
  const keywords = useMemo(() => {
    const viewable = (c: Camera) => viewability(c, blocked).viewable;
    return {
      ...KIND_KEYWORDS,
      viewable,
      shared: viewable,
      unshared: (c: Camera) => c.kind === 'integrated' && blocked.has(c.id),
    };
  }, [blocked]);
  const {
    items,
    ranks,
    total: matches,
  } = useMemo(() => searchCameras(index, deferred, SHOWN, keywords), [index, deferred, keywords]);
  const placesFor = usePlaceStore((s) => s.matchesFor);
  const placeMatches = usePlaceStore((s) => s.matches);
  useEffect(() => {
    void usePlaceStore.getState().searchPlaces(deferred);
  }, [deferred]);
  const places = placesFor === deferred.trim() ? placeMatches : [];
  const rows = useMemo(() => mergeRows(items, ranks, places), [items, ranks, places]);
  const activeRow = rows[active];
  const activeCamera = activeRow?.type === 'camera' ? activeRow.camera : undefined;

  useEffect(() => {
    inputRef.current?.focus();
    inputRef.current?.select();
  }, [searchRequest]);
  useEffect(() => setActive(0), [deferred]);
  useEffect(() => {
    listRef.current
      ?.querySelector(`[data-index="${active}"]`)
      ?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  const choose = (index: number) => {
    const row = rows[index];
    if (!row) return;
    if (row.type === 'place') {
      setTab('map');
      usePlaceStore.getState().goTo(row.place);
      return;
    }
    const c = row.camera;
    if (c.kind === 'registered') {
      setTab('map');
      useMapStore.getState().openPopup(c.id);
    } else void putCameraOnTile(c.id, selectedTile, { advance: true });
  };

  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown') {
      setActive((a) => Math.min(a + 1, rows.length - 1));
      e.preventDefault();
    } else if (e.key === 'ArrowUp') {
      setActive((a) => Math.max(a - 1, 0));
      e.preventDefault();
    } else if (e.key === 'Enter') {
      choose(active);
      e.preventDefault();
    }
  };

  return (
    <div className="camera-list">
      <div className="search">
        <label htmlFor="camera-search" className="sr-only">
          Search cameras
        </label>
        <input
          id="camera-search"
          ref={inputRef}
          type="search"
          placeholder="Search cameras by name or address  ( / )"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={onKey}
          data-testid="camera-search"
          role="combobox"
          aria-expanded="true"
          aria-controls="camera-results"
          aria-activedescendant={activeRow ? rowId(activeRow) : undefined}
          autoComplete="off"
        />
        <label className="viewable-filter">
          <input
            type="checkbox"
            checked={onlyViewable}
            onChange={(e) => setOnlyViewable(e.target.checked)}
            data-testid="only-viewable"
          />{' '}
          Viewable now only
        </label>
      </div>
      <div className="summary" data-testid="camera-search-summary" data-matches={matches}>
        {matches.toLocaleString('en-US')} of {total.toLocaleString('en-US')} cameras
        {matches > SHOWN ? ` · first ${SHOWN} shown` : ''}
        {activeRow?.type === 'place' && (
          <span data-testid="camera-search-hint">
            {' · '}
            <kbd>↑</kbd>
            <kbd>↓</kbd> <kbd>Enter</kbd> drops a pin there and lists the nearest cameras
          </span>
        )}
        {activeCamera && (
          <span data-testid="camera-search-hint">
            {' · '}
            <kbd>↑</kbd>
            <kbd>↓</kbd> <kbd>Enter</kbd>{' '}
            {activeCamera.kind === 'registered'
              ? 'shows its details on the map (location only: no feed)'
              : viewability(activeCamera, blocked).viewable
                ? `puts it on tile ${selectedTile + 1}`
                : 'says when it can be viewed (not shared now)'}
          </span>
        )}
      </div>
      <ul id="camera-results" ref={listRef} role="listbox" aria-label="Cameras">
        {rows.map((row, i) =>
          row.type === 'place' ? (
            <li
              key={row.place.id}
              id={rowId(row)}
              className="camera-row place"
              role="option"
              aria-selected={i === active}
              data-index={i}
              data-testid="place-row"
              data-rank={row.place.rank}
              onClick={(e) => (onRowAction(e) ? choose(i) : setActive(i))}
              onDoubleClick={() => choose(i)}
            >
              <span className="place-symbol" aria-hidden="true">
                ⌖
              </span>
              <span className="name">
                {placeLabel(row.place)}
                <span className="sub">{row.place.kind === 'place' ? 'Place' : 'Address'}</span>
              </span>
              <RowAction title={`Go to ${placeLabel(row.place)} on the map`}>Go</RowAction>
            </li>
          ) : (
            (() => {
              const c = row.camera;
              return (
                <li
                  key={c.id}
                  id={`camera-row-${c.id}`}
                  className={`camera-row ${c.kind}`}
                  role="option"
                  aria-selected={i === active}
                  data-index={i}
                  data-testid="camera-row"
                  data-camera-id={c.id}
                  data-kind={c.kind}
                  data-rank={row.rank}
                  draggable={c.kind !== 'registered'}
                  onDragStart={(e) => {
                    e.dataTransfer.setData(DRAG_CAMERA, c.id);
                    e.dataTransfer.effectAllowed = 'copy';
                  }}
                  onClick={(e) => {
                    if (!onRowAction(e)) setActive(i);
                    else if (c.kind === 'registered') choose(i);
                    else void putCameraOnTile(c.id, selectedTile, { advance: true });
                  }}
                  onDoubleClick={() => choose(i)}
                >
                  <KindSymbol kind={c.kind} />
                  <span className="name">
                    {c.name}
                    <span className="sub">
                      {KIND_STYLE[c.kind].label}
                      {c.address ? ` · ${c.address}` : ''}
                    </span>
                  </span>
                  <ViewableMark camera={c} />
                  {c.kind === 'registered' ? (
                    <RowAction ghost title={`Show ${c.name} on the map`}>
                      Details
                    </RowAction>
                  ) : (
                    <RowAction title={`Put ${c.name} on tile ${selectedTile + 1}`}>
                      ▶ {selectedTile + 1}
                    </RowAction>
                  )}
                </li>
              );
            })()
          ),
        )}
      </ul>
    </div>
  );
}

/**
 * A row's action for the mouse, drawn as a small button. It is not a control of its own: an
 * option of a listbox may hold none (WCAG 4.1.2), and the keyboard reaches the same action with
 * Enter on the row, which the hint above the list names.
 */
function RowAction(props: { title: string; ghost?: boolean; children: ReactNode }) {
  return (
    <span
      className={`btn small row-action${props.ghost ? ' ghost' : ''}`}
      data-row-action=""
      title={props.title}
      aria-hidden="true"
    >
      {props.children}
    </span>
  );
}

/** Whether a click on a row landed on its action. */
function onRowAction(e: MouseEvent): boolean {
  return e.target instanceof Element && e.target.closest('[data-row-action]') !== null;
}
