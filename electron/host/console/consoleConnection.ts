import type { CallName, CallOutcome, SubscriptionName } from '../../../shared/api/watchfloorApi';
import type { Display, MapTiles } from '../../../shared/api/console';
import type { SessionState } from '../../../shared/api/session';
import type { BackendSession } from '../session/backendSession';
import type { ViewManager } from '../views/viewManager';

/** Wall windows on other displays: the Electron shell provides them, the web host does not. */
export interface WindowsPort {
  displays(): Display[];
  openWall(displayId: number): Display[];
  closeWall(displayId: number): Display[];
}

/** What a call handler may ask of the console host that a connection belongs to. */
export interface ConsoleHostInfo {
  readonly shell: 'electron' | 'web';
  readonly version: string;
  /** The basemap's tile source, given to the renderer with the agency. */
  readonly mapTiles: MapTiles | null;
  /** The prefix of tip media URLs in this shell (tipMedia.ts). */
  readonly tipMediaRoot: string;
  /** Ends every view (and its grant) while the session can still say so, then signs out. */
  signOut(): Promise<SessionState>;
}

/**
 * One window (Electron) or browser tab (web host) as the call handlers and the shells see it:
 * its views, the session it shares with the other windows, and where its pushes go. The console
 * host (consoleHost.ts) makes them; this file exists so that the handlers depend on the shape
 * alone and never import the host that runs them.
 */
export interface ConsoleConnection {
  readonly host: ConsoleHostInfo;
  readonly window: 'console' | 'wall';
  readonly windows: WindowsPort | null;
  readonly session: BackendSession;
  readonly views: ViewManager;
  /** Runs one call of the WatchfloorApi; never throws (dispatch.ts). */
  call(name: unknown, args: unknown): Promise<CallOutcome<CallName>>;
  /** Sends a subscription payload to this window or tab, checked against the contract. */
  push(name: SubscriptionName, payload: unknown): void;
}
