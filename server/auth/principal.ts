import type { Role } from '../../shared/domain/roles';

/** Who is making a request, once their access token has been checked. */
export interface Principal {
  readonly userId: string;
  readonly username: string;
  readonly role: Role;
  readonly sessionId: string;
}
