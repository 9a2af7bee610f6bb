import { useEffect } from 'react';
import { LockScreen } from '../session/LockScreen';
import { SignIn } from '../session/SignIn';
import { useSessionStore } from '../session/sessionStore';
import { useReasonStore } from '../wall/reasonStore';
import { EMPTY_WALL } from '../wall/wallModel';
import { useWallStore } from '../wall/wallStore';
import { clearRestore } from './viewRestore';
import { useFeedStore } from './feedStore';
import { startServerEvents } from './serverEvents';
import { Console } from './Console';
import { WallWindow } from './WallWindow';

function isWallWindow(info: { readonly window: 'console' | 'wall' } | null): boolean {
  return (
    info?.window === 'wall' || new URLSearchParams(window.location.search).get('window') === 'wall'
  );
}

export function App() {
  const session = useSessionStore((s) => s.session);
  const info = useSessionStore((s) => s.info);

  useEffect(() => {
    const stops = [
      useSessionStore.getState().start(),
      useFeedStore.getState().start(),
      startServerEvents(),
    ];
    return () => stops.forEach((stop) => stop());
  }, []);

  const signedOut = session?.status === 'signed_out';
  // A new sign-in is a new shift: the reasons given before, and the cameras put up under them,
  // are not carried over, nor is what a reload would have restored.
  useEffect(() => {
    if (!signedOut) return;
    useReasonStore.getState().reset();
    useWallStore.getState().replace(EMPTY_WALL);
    clearRestore(window.sessionStorage);
  }, [signedOut]);

  if (!session)
    return (
      <main className="gate" data-testid="connecting">
        <p>Connecting to the console host…</p>
      </main>
    );
  if (session.status === 'signed_out') return <SignIn message={session.message} />;

  const locked = session.status === 'locked';
  const videoAllowed = !locked || session.wallPlaysWhenLocked;
  return (
    <>
      {isWallWindow(info) ? (
        <WallWindow locked={locked} videoAllowed={videoAllowed} />
      ) : (
        <Console locked={locked} videoAllowed={videoAllowed} />
      )}
      {locked && (
        <LockScreen
          reason={session.reason}
          wallVisible={session.wallPlaysWhenLocked}
          userName={session.user.displayName}
        />
      )}
    </>
  );
}
