import pino, { type Logger } from 'pino';
import {
  describeEvent,
  desktopNotificationDue,
  typedEvent,
} from '../../../shared/api/eventCatalog';
import type { ServerEvent } from '../../../shared/api/events';
import {
  WATCHFLOOR_SUBSCRIPTIONS,
  type CallName,
  type CallArgs,
  type CallOutcome,
  type CallResult,
  type SubscriptionName,
  type SubscriptionPayload,
} from '../../../shared/api/watchfloorApi';
import type { MapTiles } from '../../../shared/api/console';
import { type SessionState } from '../../../shared/api/session';
import { EventFeed } from '../events/eventFeed';
import { BackendSession } from '../session/backendSession';
import type { BackoffPolicy } from '../../../shared/time/backoff';
import { systemClock, type Clock } from '../../../shared/time/clock';
import type { SecretStore } from '../session/secretStore';
import { ServerHttp } from '../serverLink/serverHttp';
import { ViewManager, type GatewayPort } from '../views/viewManager';
import type { ConsoleConnection, ConsoleHostInfo, WindowsPort } from './consoleConnection';
import { dispatchCall } from './dispatch';
import {
  TipMediaGrants,
  fetchTipMedia,
  grantKey,
  parseTipMediaPath,
  type TipMediaAnswer,
} from './tipMedia';
import { CONSOLE_HANDLERS } from './handlers';

export interface ConsoleHostOptions {
  readonly serverUrl: string;
  readonly certSha256?: string | undefined;
  readonly secretStore: SecretStore;
  readonly gateway: GatewayPort;
  readonly shell: 'electron' | 'web';
  readonly version: string;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly idleLockMinutes?: number;
  readonly wallPlaysWhenLocked?: boolean;
  /** The basemap's tile source (WF_MAP_TILES), given to the renderer with the agency. */
  readonly mapTiles?: MapTiles | null;
  readonly backoff?: BackoffPolicy;
  /**
   * Events that call for a desktop notification (eventCatalog.ts's desktopNotificationDue: urgent
   * ones, and notable ones marked `notifyWhenAway` while the console is away), with their line.
   */
  readonly onUrgentEvent?: (notice: { readonly title: string; readonly body: string }) => void;
  /** Whether the console window is out of sight (hidden, minimised, not focused); default no. */
  readonly consoleAway?: () => boolean;
  /** The prefix of tip media URLs in this shell (ConsoleInfo.tipMediaRoot). */
  readonly tipMediaRoot?: string;
}

export interface ConnectionOptions {
  readonly window: 'console' | 'wall';
  /** Prefix of media URLs for this connection: `wf-media://media/` or `/media/<key>/`. */
  readonly mediaRoot: string;
  /** Sends a subscription payload to this window or tab. */
  readonly push: (subscription: SubscriptionName, payload: unknown) => void;
  readonly windows?: WindowsPort | undefined;
}

/**
 * How long the views of a page that reloaded wait for the new page to put them back on its tiles
 * (ConsoleHost.reload); whatever it has not taken back by then ends, with its grant.
 */
export const RELOAD_HANDOVER_MS = 20_000;

const LOCKED_MESSAGE = 'The console is locked.';

/**
 * The host side of the console for one backend session: the session itself, its event feed, and
 * the windows (Electron) or the tab (web host) connected to it. Electron has one per process; the
 * web host one per browser (its tabs share it; decision 0022), so that two people at two browsers
 * never share a session.
 */
export class ConsoleHost implements ConsoleHostInfo {
  readonly server: ServerHttp;
  readonly session: BackendSession;
  readonly feed: EventFeed;
  readonly shell: 'electron' | 'web';
  readonly version: string;
  readonly mapTiles: MapTiles | null;
  readonly tipMediaRoot: string;
  private readonly consoleAway: () => boolean;
  private readonly gateway: GatewayPort;
  private readonly clock: Clock;
  readonly log: Logger;
  private readonly connections = new Set<ConsoleConnection>();
  /** Connections a reload replaced, with when the host lets them go (`reload`). */
  private readonly replaced = new Map<ConsoleConnection, number>();
  private readonly tipGrants = new TipMediaGrants();
  private readonly onUrgentEvent: (notice: {
    readonly title: string;
    readonly body: string;
  }) => void;
  private lastStatus: SessionState['status'] = 'signed_out';
  private closed = false;

  constructor(options: ConsoleHostOptions) {
    this.shell = options.shell;
    this.version = options.version;
    this.mapTiles = options.mapTiles ?? null;
    this.tipMediaRoot = options.tipMediaRoot ?? '/tip-media/';
    this.consoleAway = options.consoleAway ?? (() => false);
    this.gateway = options.gateway;
    this.clock = options.clock ?? systemClock;
    this.log = options.logger ?? pino({ level: 'silent' });
    this.onUrgentEvent = options.onUrgentEvent ?? (() => undefined);
    this.server = new ServerHttp({ baseUrl: options.serverUrl, certSha256: options.certSha256 });
    this.session = new BackendSession({
      server: this.server,
      store: options.secretStore,
      clock: this.clock,
      logger: this.log,
      idleLockMinutes: options.idleLockMinutes,
      wallPlaysWhenLocked: options.wallPlaysWhenLocked,
      backoff: options.backoff,
    });
    this.feed = new EventFeed({
      server: this.server,
      bearer: () => this.session.bearer(),
      onEvent: (event) => this.deliver(event),
      onState: (state) => this.broadcast('feed', state),
      clock: this.clock,
      logger: this.log,
      backoff: options.backoff,
    });
    this.session.onChange((state) => this.sessionChanged(state));
  }

  /** Picks up a session kept from before a restart (Electron); it starts locked. */
  async start(): Promise<void> {
    const state = await this.session.restore();
    this.sessionChanged(state);
  }

  connect(options: ConnectionOptions): ConsoleConnection {
    const connection = new WindowConnection(this, options, this.gateway, this.clock);
    this.connections.add(connection);
    connection.push('session', this.session.state());
    connection.push('feed', this.feed.state);
    return connection;
  }

  /**
   * The page of `earlier` loaded again (docs/console.md, "A reload keeps the console"): a new
   * connection for it, which takes over each view its tiles put back with the same camera, stream
   * and reason, under the grant audited when the camera went up and with its video still running.
   * `earlier` pushes nothing more; its other views end `RELOAD_HANDOVER_MS` later (`tick`).
   */
  reload(earlier: ConsoleConnection, options: ConnectionOptions): ConsoleConnection {
    const connection = this.connect(options);
    if (this.connections.has(earlier)) {
      connection.views.inherit(earlier.views);
      this.replaced.set(earlier, this.clock.now() + RELOAD_HANDOVER_MS);
    }
    return connection;
  }

  async disconnect(connection: ConsoleConnection): Promise<void> {
    if (this.connections.delete(connection)) await connection.views.closeAll();
    this.replaced.delete(connection);
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Whether any connected window or tab was handed this media id. */
  ownsMedia(id: string): boolean {
    for (const c of this.connections) if (c.views.ownsMedia(id)) return true;
    return false;
  }

  /** Whether this session opened the grant of a media path (tipMedia.ts). */
  ownsRecordMedia(path: string): boolean {
    const parsed = parseTipMediaPath(path);
    return parsed !== null && this.ownsGrant(grantKey(parsed.kind, parsed.token));
  }

  private ownsGrant(key: string): boolean {
    return this.tipGrants.owns(key, this.clock.now());
  }

  /** Remembers a grant this session opened, so that its files may be served to its windows. */
  tipMediaOpened(grant: { readonly token: string; readonly expiresAt: string }): void {
    this.tipGrants.opened(grant, this.clock.now());
  }

  /** Remembers an alert's evidence this session opened (alerts.openEvidence). */
  alertEvidenceOpened(grant: { readonly alertId: string; readonly expiresAt: string }): void {
    this.tipGrants.opened(
      { token: grantKey('alert', grant.alertId), expiresAt: grant.expiresAt },
      this.clock.now(),
    );
  }

  /** Remembers a report's files this session opened (onlineReports.openFiles). */
  onlineReportFilesOpened(grant: { readonly reportId: string; readonly expiresAt: string }): void {
    this.tipGrants.opened(
      { token: grantKey('online-report', grant.reportId), expiresAt: grant.expiresAt },
      this.clock.now(),
    );
  }

  /** Remembers a stretch of recordings a tile was given (views.recording), while its grant lasts. */
  recordingOpened(recording: { readonly path: string; readonly expiresAt: string }): void {
    const parsed = parseTipMediaPath(recording.path);
    if (parsed?.kind !== 'recording') return;
    this.tipGrants.opened(
      { token: grantKey('recording', parsed.token), expiresAt: recording.expiresAt },
      this.clock.now(),
    );
  }

  /** Remembers an evidence link this session opened (evidence.openLink), until it expires. */
  evidenceLinkOpened(token: string, link: { readonly expiresAt: string }): void {
    this.tipGrants.opened(
      { token: grantKey('evidence', token), expiresAt: link.expiresAt },
      this.clock.now(),
    );
  }

  /** One file of a record's media (tipMedia.ts has the paths), streamed from the server. */
  tipMedia(path: string, range: string | undefined, signal?: AbortSignal): Promise<TipMediaAnswer> {
    return fetchTipMedia(this.session, (key) => this.ownsGrant(key), path, range, signal);
  }

  async tick(): Promise<void> {
    if (this.closed) return;
    await this.session.tick();
    await this.feed.tick().catch(() => undefined);
    const now = this.clock.now();
    for (const [c, until] of [...this.replaced]) if (until <= now) await this.disconnect(c);
    for (const c of this.connections) await c.views.tick().catch(() => undefined);
  }

  /**
   * Ends this host. `signOut` ends the server session too: the web host does, since its refresh
   * token lives only in memory; Electron keeps it for the next start.
   */
  async close(options: { readonly signOut: boolean }): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const c of [...this.connections]) await this.disconnect(c);
    this.feed.stop();
    if (options.signOut) await this.session.signOut(null).catch(() => undefined);
    this.server.close();
  }

  /** Ends every view (and its grant) while the session can still say so, then signs out. */
  async signOut(): Promise<SessionState> {
    for (const c of this.connections) await c.views.closeAll();
    return this.session.signOut(null);
  }

  broadcast<N extends SubscriptionName>(name: N, payload: SubscriptionPayload<N>): void {
    for (const c of this.connections) c.push(name, payload);
  }

  /** Whether a reload replaced this connection: its page is gone, so nothing is pushed to it. */
  isReplaced(connection: ConsoleConnection): boolean {
    return this.replaced.has(connection);
  }

  private sessionChanged(state: SessionState): void {
    const before = this.lastStatus;
    this.lastStatus = state.status;
    this.broadcast('session', state);
    if (state.status === 'signed_out') {
      this.tipGrants.clear();
      this.feed.stop();
      for (const c of this.connections) void c.views.closeAll();
      return;
    }
    if (before === 'signed_out') void this.feed.start();
    const playsLocked = this.session.playsWhenLocked;
    if (state.status === 'locked' && before !== 'locked' && !playsLocked) {
      for (const c of this.connections) c.views.pauseAll(LOCKED_MESSAGE);
    }
    if (before === 'locked' && state.status !== 'locked' && !playsLocked) {
      for (const c of this.connections) void c.views.resumeAll();
    }
  }

  /** The host's own reducers: it acts on grant and session events; the renderer shows the rest. */
  private deliver(event: ServerEvent): void {
    this.broadcast('events', event);
    const typed = typedEvent(event);
    if (!typed) return;
    if (typed.type === 'grant.revoked') {
      for (const c of this.connections) {
        c.views.grantRevoked(typed.payload.grantId, typed.payload.reason);
      }
    }
    if (typed.type === 'session.revoked' && typed.payload.sessionId === this.session.sessionId) {
      void this.session.ended(
        typed.payload.reason === 'logout'
          ? 'You signed out from another window.'
          : 'The session was ended on the server: sign in again.',
      );
    }
    if (desktopNotificationDue(typed, this.consoleAway())) {
      const line = describeEvent(event);
      if (line) this.onUrgentEvent(line);
    }
  }
}

/** One window (Electron) or browser tab (web host): its views, and where its pushes go. */
class WindowConnection implements ConsoleConnection {
  readonly views: ViewManager;
  readonly window: 'console' | 'wall';
  readonly windows: WindowsPort | null;

  constructor(
    readonly host: ConsoleHost,
    private readonly options: ConnectionOptions,
    gateway: GatewayPort,
    clock: Clock,
  ) {
    this.window = options.window;
    this.windows = options.windows ?? null;
    this.views = new ViewManager({
      session: host.session,
      serverUrl: host.server.baseUrl,
      gateway,
      mediaRoot: options.mediaRoot,
      onUpdate: (update) => this.push('views', update),
      clock,
      logger: host.log,
    });
  }

  get session(): BackendSession {
    return this.host.session;
  }

  async call(name: unknown, args: unknown): Promise<CallOutcome<CallName>> {
    const outcome = await dispatchCall(CONSOLE_HANDLERS, this, name, args, this.host.log);
    // A tip media grant the server opened for this session: its files may now pass the host.
    if (name === 'tips.openMedia' && outcome.ok) {
      this.host.tipMediaOpened(outcome.value as CallResult<'tips.openMedia'>);
    }
    if (name === 'alerts.openEvidence' && outcome.ok) {
      this.host.alertEvidenceOpened(outcome.value as CallResult<'alerts.openEvidence'>);
    }
    if (name === 'evidence.openLink' && outcome.ok) {
      const { token } = args as CallArgs<'evidence.openLink'>;
      this.host.evidenceLinkOpened(token, outcome.value as CallResult<'evidence.openLink'>);
    }
    if (name === 'views.recording' && outcome.ok) {
      const result = outcome.value as CallResult<'views.recording'>;
      if (result.kind === 'recording') this.host.recordingOpened(result);
    }
    if (name === 'onlineReports.openFiles' && outcome.ok) {
      this.host.onlineReportFilesOpened(outcome.value as CallResult<'onlineReports.openFiles'>);
    }
    return outcome;
  }

  /** Payloads are parsed with the contract's schema on the way out, like call results. */
  push(name: SubscriptionName, payload: unknown): void {
    if (this.host.isReplaced(this)) return;
    const checked = WATCHFLOOR_SUBSCRIPTIONS[name].payload.safeParse(payload);
    if (!checked.success) {
      this.host.log.error({ subscription: name }, 'a push did not match the contract');
      return;
    }
    try {
      this.options.push(name, checked.data);
    } catch (err) {
      this.host.log.warn({ err }, 'a push could not be delivered');
    }
  }
}
