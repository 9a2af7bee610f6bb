import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { useMap } from 'react-leaflet';
import L from 'leaflet';
import type { OwnerContact } from '../../shared/domain/cameras';
import type { Snapshot } from '../../shared/api/views';
import { useViewableStore, viewability } from '../cameras/viewableNow';
import { ViewableMark } from '../cameras/ViewableMark';
import { usePullStore } from '../pulls/pullStore';
import { useUiStore } from '../ui/uiStore';
import { describeSharingPolicy } from '../../shared/policy/describeSharingPolicy';
import { useCameraStore } from '../cameras/cameraStore';
import { liveSnapshot, revealOwnerContact } from '../cameras/cameraActions';
import { permissionsOf, useSessionStore } from '../session/sessionStore';
import { DRAG_CAMERA } from '../wall/dragStore';
import { putCameraOnTile } from '../wall/wallActions';
import { useWallStore } from '../wall/wallStore';
import { KindSymbol } from './KindSymbol';
import { KIND_STYLE } from './cameraSymbols';
import { useMapStore } from './mapStore';

/** The pop-up of the camera clicked on the map: what it is, a live still, and what can be done. */
export function CameraPopup() {
  const map = useMap();
  const cameraId = useMapStore((s) => s.popupCameraId);
  const camera = useCameraStore((s) => (cameraId ? s.byId.get(cameraId) : undefined));
  const close = () => useMapStore.getState().openPopup(null);
  const [pos, setPos] = useState<L.Point | null>(null);
  const ref = useRef<HTMLDivElement>(null);

  // Opened from the list or the radius results: bring the camera into view.
  const cameraKey = camera?.id;
  useEffect(() => {
    if (!camera) return;
    const at = L.latLng(camera.lat, camera.lng);
    if (!map.getBounds().pad(-0.1).contains(at)) map.panTo(at, { animate: false });
    // Only when another camera is chosen, not on every update of this one.
  }, [map, cameraKey]);

  useLayoutEffect(() => {
    if (!camera) return setPos(null);
    const place = () => setPos(map.latLngToContainerPoint([camera.lat, camera.lng]));
    place();
    map.on('move zoom resize', place);
    return () => {
      map.off('move zoom resize', place);
    };
  }, [map, camera]);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    L.DomEvent.disableClickPropagation(el);
    L.DomEvent.disableScrollPropagation(el);
  });

  if (!camera || !pos) return null;
  const size = map.getSize();
  const left = Math.min(Math.max(8, pos.x + 14), size.x - 330);
  const top = Math.min(Math.max(8, pos.y - 40), Math.max(8, size.y - 380));
  return createPortal(
    <div
      ref={ref}
      className="camera-popup"
      style={{ left, top }}
      data-testid="camera-popup"
      data-camera-id={camera.id}
      role="dialog"
      aria-label={`Camera ${camera.name}`}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          close();
        }
      }}
    >
      <PopupBody key={camera.id} cameraId={camera.id} onClose={close} />
    </div>,
    map.getContainer(),
  );
}

function PopupBody({
  cameraId,
  onClose,
}: {
  readonly cameraId: string;
  readonly onClose: () => void;
}) {
  const camera = useCameraStore((s) => s.byId.get(cameraId));
  const agency = useSessionStore((s) => s.agency);
  const mayReveal = useSessionStore((s) => permissionsOf(s).includes('cameras.owner_contact'));
  const mayPull = useSessionStore((s) => permissionsOf(s).includes('pulls.work'));
  const selectedTile = useWallStore((s) => s.selected);
  const [snapshot, setSnapshot] = useState<Snapshot | null>(null);
  const [snapError, setSnapError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [owner, setOwner] = useState<OwnerContact | null>(null);
  const [ownerError, setOwnerError] = useState<string | null>(null);
  const blocked = useViewableStore((s) => s.blocked);

  // A camera already on the wall gives its still without asking anything.
  useEffect(() => {
    let cancelled = false;
    if (camera?.kind !== 'registered')
      void liveSnapshot(cameraId, false).then((r) => {
        if (cancelled || !r) return;
        if (r.ok) setSnapshot(r.value);
        else setSnapError(r.message);
      });
    return () => {
      cancelled = true;
    };
  }, [cameraId, camera?.kind]);

  if (!camera) return null;
  const registered = camera.kind === 'registered';
  const closedReason = registered ? null : viewability(camera, blocked).reason;

  const takeSnapshot = async () => {
    setBusy(true);
    setSnapError(null);
    const r = await liveSnapshot(cameraId, true);
    setBusy(false);
    if (!r) return;
    if (r.ok) setSnapshot(r.value);
    else setSnapError(r.message);
  };

  const reveal = async () => {
    setOwnerError(null);
    const r = await revealOwnerContact(cameraId);
    if (!r) return;
    if (r.ok) setOwner(r.value);
    else setOwnerError(r.message);
  };

  return (
    <>
      <h3>
        <KindSymbol kind={camera.kind} />
        <span style={{ flex: 1 }}>{camera.name}</span>
        <button
          type="button"
          className="btn small ghost"
          aria-label="Close"
          onClick={onClose}
          autoFocus
        >
          ✕
        </button>
      </h3>
      <div className="meta">
        {KIND_STYLE[camera.kind].label} camera
        {camera.address ? ` · ${camera.address}` : ''}
        {camera.alarmActive ? ' · owner alarm raised' : ''}
      </div>
      {camera.sharing && (
        <div className="meta" data-testid="camera-popup-sharing">
          {describeSharingPolicy(camera.sharing, agency?.timeZone)}
        </div>
      )}
      {!registered && (
        <div className="meta" data-testid="camera-popup-viewable">
          <ViewableMark camera={camera} />
          {closedReason ? ` ${closedReason}` : ''}
        </div>
      )}

      {registered ? (
        <>
          <p className="note">
            A registered camera shares only its location: the owner keeps the footage
            {camera.retentionDays !== null ? ` (about ${camera.retentionDays} days)` : ''} and is
            contacted through a camera pull.
          </p>
          <div className="row">
            {mayPull && (
              <button
                type="button"
                className="btn small"
                aria-describedby="pull-note"
                data-testid="request-footage"
                onClick={() => {
                  // A camera pull at the camera's place: the form opens with the place picked.
                  const pulls = usePullStore.getState();
                  pulls.startLogging();
                  pulls.pick({ lat: camera.lat, lon: camera.lng });
                  useUiStore.getState().setTab('pulls');
                }}
              >
                Request footage…
              </button>
            )}
            {mayReveal && camera.hasOwnerContact && (
              <button
                type="button"
                className="btn small"
                onClick={reveal}
                data-testid="reveal-owner"
              >
                Reveal owner contact…
              </button>
            )}
          </div>
          <p className="note" id="pull-note">
            Footage from a registered camera is asked of its owner through a camera pull, which
            lists the cameras nearby and records each owner's answer.
          </p>
          {owner && (
            <div data-testid="owner-contact">
              <strong>{owner.name}</strong>
              {owner.phone && <div>{owner.phone}</div>}
              {owner.email && <div>{owner.email}</div>}
              <div className="note">This reveal was recorded in the audit trail.</div>
            </div>
          )}
          {ownerError && <p className="error-text">{ownerError}</p>}
        </>
      ) : (
        <>
          <div className="snapshot" data-testid="camera-popup-snapshot">
            {snapshot ? (
              <img
                src={snapshot.imageDataUrl}
                alt={`Live snapshot of ${camera.name} at ${snapshot.capturedAt}`}
              />
            ) : (
              <div>
                {snapError ? <p className="error-text">{snapError}</p> : null}
                <button
                  type="button"
                  className="btn small"
                  onClick={takeSnapshot}
                  disabled={busy || closedReason !== null}
                  data-testid="snapshot-button"
                >
                  {busy ? 'Taking a snapshot…' : 'Show live snapshot'}
                </button>
              </div>
            )}
          </div>
          {snapshot && (
            <div className="note">
              Snapshot {new Date(snapshot.capturedAt).toLocaleTimeString()}{' '}
              <button
                type="button"
                className="btn small ghost"
                onClick={takeSnapshot}
                disabled={busy}
              >
                Refresh
              </button>
            </div>
          )}
          <div className="row">
            <button
              type="button"
              className="btn small primary"
              onClick={() => void putCameraOnTile(cameraId, selectedTile, { advance: true })}
              disabled={closedReason !== null}
              data-testid="popup-put-on-wall"
            >
              Put on tile {selectedTile + 1}
            </button>
            <span
              className="drag-chip"
              draggable
              onDragStart={(e) => {
                e.dataTransfer.setData(DRAG_CAMERA, cameraId);
                e.dataTransfer.effectAllowed = 'copy';
              }}
              title="Drag onto a tile"
            >
              ⠿ drag to a tile
            </span>
          </div>
        </>
      )}
    </>
  );
}
