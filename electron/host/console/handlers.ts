import type { ConsoleConnection, WindowsPort } from './consoleConnection';
import type { CallHandlers } from './dispatch';
import { HostCallError } from '../calls/hostCallError';
import { recordingMediaPath } from './tipMedia';

function windowsOf(c: ConsoleConnection): WindowsPort {
  if (!c.windows) {
    throw new HostCallError(
      'unsupported',
      'Wall windows on other displays need the desktop console.',
    );
  }
  return c.windows;
}

/**
 * What each host call of the WatchfloorApi does: the work the host itself does (session, views
 * and media, windows). Calls the server answers need no handler here: dispatch.ts proxies them.
 * Arguments arrive parsed with the contract's schema; replies are parsed with it again on the way
 * out.
 */
export const CONSOLE_HANDLERS: CallHandlers<ConsoleConnection> = {
  'console.info': (_args, c) => ({
    shell: c.host.shell,
    version: c.host.version,
    canOpenWallWindows: c.windows !== null,
    window: c.window,
    mapTiles: c.host.mapTiles,
    tipMediaRoot: c.host.tipMediaRoot,
  }),

  'session.state': (_args, c) => c.session.state(),
  'session.signIn': (args, c) => c.session.signIn(args),
  'session.verifyTotp': (args, c) => c.session.verifyTotp(args.totpCode),
  'session.unlock': (args, c) => c.session.unlock(args.password),
  'session.beginEnrolment': (args, c) => c.session.beginEnrolment(args.enrolmentCode),
  'session.confirmEnrolment': (args, c) => c.session.confirmEnrolment(args.totpCode),
  'session.chooseFirstPassword': (args, c) => c.session.chooseFirstPassword(args.newPassword),
  'session.changePassword': (args, c) => c.session.changePassword(args),
  'session.lock': (_args, c) => c.session.lock('manual'),
  'session.signOut': (_args, c) => c.host.signOut(),
  'session.activity': (_args, c) => c.session.activity(),
  'session.setIdleLock': (args, c) => c.session.setIdleLock(args.minutes),

  'views.open': (args, c) => c.views.open(args),
  'views.setVariant': (args, c) => c.views.setVariant(args.viewId, args.variant),
  'views.variantShown': (args, c) => c.views.variantShown(args.viewId),
  'views.close': async (args, c) => {
    await c.views.close(args.viewId);
    return { viewId: args.viewId, closed: true as const };
  },
  'views.list': (_args, c) => ({ views: c.views.list() }),
  'views.replay': (args, c) => c.views.replay(args.viewId, args.seconds),
  'views.snapshot': (args, c) => c.views.snapshot(args.viewId),
  'views.ptz': (args, c) => c.views.ptz(args.viewId, args.command),
  'views.exportClip': (args, c) =>
    c.views.exportClip(args.viewId, {
      seconds: args.seconds,
      caseNumber: args.caseNumber,
      ...(args.pullId ? { pullId: args.pullId } : {}),
    }),
  'views.recording': async (args, c) => {
    const granted = await c.views.recordingGrant(args.viewId);
    if (granted.kind !== 'granted') return granted;
    const [startMs, endMs] = [Date.parse(args.start), Date.parse(args.end)];
    return {
      kind: 'recording' as const,
      path: recordingMediaPath(granted.grantId, startMs, endMs),
      startAt: new Date(startMs).toISOString(),
      endAt: new Date(endMs).toISOString(),
      expiresAt: new Date(granted.expiresAt).toISOString(),
    };
  },
  'views.keepStill': (args, c) =>
    c.views.keepStill(args.viewId, {
      caseNumber: args.caseNumber,
      ...(args.at ? { atMs: Date.parse(args.at) } : {}),
    }),
  'docking.dock': (args, c) => c.views.dock(args),

  'windows.displays': (_args, c) => ({ displays: windowsOf(c).displays() }),
  'windows.openWall': (args, c) => ({ displays: windowsOf(c).openWall(args.displayId) }),
  'windows.closeWall': (args, c) => ({ displays: windowsOf(c).closeWall(args.displayId) }),
};
