import { SHORTCUT_HELP, panelShortcutHelp } from './shortcuts';
import { useUiStore } from '../ui/uiStore';
import { useSessionStore } from '../session/sessionStore';
import { panelsFor } from './modules';

/** Every keyboard shortcut, from the same list the handler uses. */
export function HelpOverlay() {
  const open = useUiStore((s) => s.helpOpen);
  const setHelp = useUiStore((s) => s.setHelp);
  const session = useSessionStore((s) => s.session);
  if (!open) return null;
  const permissions = session && session.status !== 'signed_out' ? session.user.permissions : null;
  const lines = [...panelShortcutHelp(panelsFor(permissions)), ...SHORTCUT_HELP];
  return (
    <div className="backdrop" onMouseDown={(e) => e.target === e.currentTarget && setHelp(false)}>
      <div
        className="dialog wide"
        role="dialog"
        aria-modal="true"
        aria-labelledby="help-title"
        data-testid="help-overlay"
        onKeyDown={(e) => e.key === 'Escape' && setHelp(false)}
      >
        <h2 id="help-title">Keyboard shortcuts</h2>
        <table className="help-table">
          <tbody>
            {lines.map((h) => (
              <tr key={h.keys}>
                <td>
                  <kbd>{h.keys}</kbd>
                </td>
                <td>{h.does}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p style={{ margin: 0, color: 'var(--muted)' }}>
          Every action also has a button. Drag cameras from the map or the camera list onto a tile;
          drag a tile’s title bar onto another tile to swap them.
        </p>
        <div className="actions">
          <button type="button" className="btn primary" onClick={() => setHelp(false)} autoFocus>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
