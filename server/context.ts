import type { Logger } from 'pino';
import type { Store } from './store/store';
import type { Clock } from '../shared/time/clock';
import type { ServerConfig } from './config';
import type { AccessTokens } from './auth/accessTokens';
import type { EventHub } from './events/eventHub';
import type { Change, ChangeOutcome } from './events/recordChange';
import type { TaskSupervisor } from './runtime/taskSupervisor';
import type { BackgroundTiming } from './runtime/backgroundTiming';
import type { AuditTrail } from './audit/checkpointer';
import type { SignInThrottle } from './auth/signInThrottle';
import type { MailOutbox } from './mail/mailOutbox';

/** What every route module is given: the store and the services around it. */
export interface ServerContext {
  readonly store: Store;
  readonly clock: Clock;
  readonly config: ServerConfig;
  readonly log: Logger;
  readonly tokens: AccessTokens;
  readonly hub: EventHub;
  /** Runs every background task (rechecks, sweeps, LISTEN): failures are logged and retried. */
  readonly tasks: TaskSupervisor;
  readonly timing: BackgroundTiming;
  /** Throttles failed sign-ins; set by buildApp (the command-line tool serves no sign-ins). */
  readonly signInThrottle?: SignInThrottle;
  /** Sends what changes queued in the outbox; set by buildApp (docs/portal.md). */
  readonly mail?: MailOutbox;
  /** Commits domain rows + audit row + event row in one transaction, then wakes streams. */
  record<T = undefined>(change: Change<T>): Promise<ChangeOutcome<T>>;
  /** Signed checkpoints and what this process knows of the trail (docs/decisions/0004). */
  readonly audit: AuditTrail;
}
