import { spawn, type ChildProcess } from 'node:child_process';

/**
 * The processes `npm start` runs. Each is spawned with an argument array (no shell), and all of
 * them are stopped together: on Ctrl-C, on SIGTERM, or when any one of them dies.
 */
export class ProcessGroup {
  private readonly children = new Map<string, ChildProcess>();
  private stopping = false;

  constructor(private readonly onUnexpectedExit: (name: string, code: number | null) => void) {}

  start(
    name: string,
    command: string,
    args: readonly string[],
    env: NodeJS.ProcessEnv,
  ): ChildProcess {
    const child = spawn(command, [...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.children.set(name, child);
    const prefix = (line: string) => `[${name}] ${line}\n`;
    const pipe = (stream: NodeJS.ReadableStream | null, to: NodeJS.WriteStream) => {
      let rest = '';
      stream?.on('data', (buf: Buffer) => {
        const lines = (rest + buf.toString('utf8')).split('\n');
        rest = lines.pop() ?? '';
        for (const l of lines) if (l.trim()) to.write(prefix(l));
      });
    };
    pipe(child.stdout, process.stdout);
    pipe(child.stderr, process.stderr);
    child.on('exit', (code) => {
      this.children.delete(name);
      if (!this.stopping) this.onUnexpectedExit(name, code);
    });
    return child;
  }

  /** SIGTERM to every child, then SIGKILL to any still running after the grace period. */
  async stopAll(graceMs = 5000): Promise<void> {
    this.stopping = true;
    const waits = [...this.children.values()].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    );
    await Promise.all(waits);
  }
}
