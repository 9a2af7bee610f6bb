/**
 * What a `wf` command prints and what it ends with. The same command function runs in the `wf`
 * process or in the running server (server/cli/storeCommands.ts); these are all it may use to
 * talk to the person who typed it, so its output reaches that person, and only them, either way.
 */
export interface CommandIo {
  out(line: string): void;
  err(line: string): void;
}

export interface CommandOutcome<R = unknown> {
  /** The process exit code: 0 done, 1 done but something is wrong, 2 refused. */
  readonly code: number;
  /** Data for the caller to finish with where it runs (a file to write), as JSON. */
  readonly result?: R;
}
