import type { CallError, CallErrorCode } from '../../../shared/api/watchfloorApi';

/**
 * A call that could not be done, with a code the renderer acts on and a sentence it shows. The
 * dispatcher turns it into a CallError reply; any other exception becomes a generic `failed`.
 */
export class HostCallError extends Error {
  constructor(
    readonly code: CallErrorCode,
    message: string,
    readonly issues?: CallError['issues'],
  ) {
    super(message);
    this.name = 'HostCallError';
  }

  toCallError(): CallError {
    return {
      code: this.code,
      message: this.message,
      ...(this.issues ? { issues: this.issues } : {}),
    };
  }
}
